import { parseContainerfile, type ParsedContainerfile } from '../../../utils/containerfile';
import { workspaceRelative } from '../../../utils/workspace-path';
import { checkSyntax } from '../../lint/lib/check-syntax';

/** Parses the Containerfile and refuses one the engine could not build (the same checks as bootc-lint's containerfile-syntax). */
export function readContainerfile(path: string, content: string, workspaceRoot: string, buildArgs: Readonly<Record<string, string>> = {}): ParsedContainerfile {
  const file = workspaceRelative(path, workspaceRoot);
  const parsed = parseContainerfile(content, buildArgs);
  const problems = checkSyntax({ file, parsed, projectDir: '', isWorkspaceImage: () => false });
  if (problems.length > 0) {
    throw new Error(`${file} cannot be built:\n${problems.map((p) => `  ${p.file}:${p.line}: ${p.message}`).join('\n')}\nFix it (nx run <project>:bootc-lint lists every finding).`);
  }
  return parsed;
}
