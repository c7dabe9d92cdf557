import type { ExecutorContext } from '@nx/devkit';
import { imageRoots, variantOf } from '../../image/variants';
import { lintProject } from './lib/lint-project';
import { normalizeOptions } from './lib/normalize-options';
import { formatJson, formatText, lintPassed } from './lib/report';
import type { LintExecutorSchema } from './schema';

/** Static, engine-free checks of an image project (the inferred bootc-lint target). */
export default async function lintExecutor(options: LintExecutorSchema, context: ExecutorContext): Promise<{ success: boolean }> {
  const { format, strict, ignore, pins, bootcBases } = normalizeOptions(options);
  const projectName = context.projectName;
  const project = projectName ? context.projectsConfigurations?.projects[projectName] : undefined;
  if (!projectName || !project) {
    throw new Error(`bootc-lint needs a project to check; run it as a target, e.g. \`nx run <project>:bootc-lint\` (got project "${projectName ?? ''}").`);
  }
  const findings = lintProject({
    ...imageRoots(context.root, project),
    projectName,
    projects: context.projectsConfigurations.projects,
    ...(pins ? { pinsFile: pins } : {}),
    bootcBases,
  }).filter((finding) => !ignore.has(finding.rule));

  console.log(format === 'json' ? formatJson(projectName, findings) : formatText(project.root === '.' || variantOf(project) ? projectName : project.root, findings));
  return { success: lintPassed(findings, strict) };
}
