import { readText, updateJson, writeFile } from './files';

/** Inserts `lines` before the final `RUN bootc container lint` of a project's Containerfile. */
export function addBeforeLint(workspace: string, project: string, lines: string[]): void {
  const path = `images/${project}/Containerfile`;
  const content = readText(workspace, path);
  const lint = content.lastIndexOf('RUN bootc container lint');
  if (lint === -1) throw new Error(`${path} has no "RUN bootc container lint" line to insert before:\n${content}`);
  writeFile(workspace, path, `${content.slice(0, lint)}${lines.join('\n')}\n\n${content.slice(lint)}`);
}

/** Merges `options` into the options of one target in a project's project.json. */
export function setTargetOptions(workspace: string, project: string, target: string, options: Record<string, unknown>): void {
  updateJson(workspace, `images/${project}/project.json`, (json) => ({
    ...json,
    targets: { ...json.targets, [target]: { ...json.targets?.[target], options: { ...json.targets?.[target]?.options, ...options } } },
  }));
}
