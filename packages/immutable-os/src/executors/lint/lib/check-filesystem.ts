import { existsSync, statSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { Instruction } from 'dockerfile-ast';
import { copyArguments, instructionPosition, runMounts, runScript } from './instruction-parts';
import { createFinding, type ContainerfileInput, type Finding, type Position, type RuleId } from './rules';
import { normalizePath, shellEffects } from './shell-effects';
import { finalStageChain } from './stage-chain';

/** Where content must not end up in a bootc image, and the rule that says so. */
export const WATCHED_PATHS: ReadonlyArray<{ prefix: string; rule: RuleId }> = [
  { prefix: '/usr/etc', rule: 'usr-etc' },
  { prefix: '/var', rule: 'var-content' },
  { prefix: '/tmp', rule: 'tmp-run-leftovers' },
  { prefix: '/run', rule: 'tmp-run-leftovers' },
];

interface Write {
  path: string;
  via: string;
  position: Position;
  /** Order of the write among all writes and removals, to match later removals. */
  seq: number;
  /** Mount targets of the RUN that writes: what is written there is not in the image. */
  mounts: string[];
}

/**
 * usr-etc, var-content and tmp-run-leftovers: content the final image's stages put in /usr/etc,
 * /var, /tmp or /run by COPY/ADD (including project folders such as rootfs/var that a COPY
 * carries there) or by a RUN that visibly writes there and does not remove it later.
 */
export function checkFilesystem({ file, parsed, projectDir }: ContainerfileInput): Finding[] {
  const findings: Finding[] = [];
  const writes: Write[] = [];
  const removals: Array<{ path: string; seq: number }> = [];
  let seq = 0;
  let workdir: string | undefined = '/';
  for (const stage of finalStageChain(parsed)) {
    for (const instruction of stage.instructions) {
      const keyword = instruction.getKeyword();
      const position = instructionPosition(instruction);
      if (keyword === 'WORKDIR') {
        workdir = resolvePath(workdir, instruction.getArgumentsContent() ?? '');
      } else if (keyword === 'COPY' || keyword === 'ADD') {
        for (const { path, via } of copyPlacements(instruction, keyword, workdir, projectDir)) {
          writes.push({ path, via, position, seq: seq++, mounts: [] });
        }
      } else if (keyword === 'RUN') {
        const script = runScript(instruction);
        // Judged by what the script writes and removes, like the other watched paths: `rm -rf /usr/etc`
        // is bootc's own fix for etc-usretc, not a use of it.
        const mounts = runMounts(instruction).flatMap((m) => (m.target ? [m.target] : []));
        for (const effect of shellEffects(script)) {
          if (effect.kind === 'remove') removals.push({ path: effect.path, seq: seq++ });
          else writes.push({ path: effect.path, via: `RUN ${effect.via}`, position, seq: seq++, mounts });
        }
      }
    }
  }

  const left = writes.filter(
    (w) => !w.mounts.some((m) => isUnder(w.path, m)) && !removals.some((r) => r.seq > w.seq && removes(r.path, w.path)),
  );
  const groups = new Map<string, { rule: RuleId; position: Position; via: string; paths: string[] }>();
  for (const write of left) {
    const rule = WATCHED_PATHS.find(({ prefix }) => isUnder(write.path, prefix))?.rule;
    if (!rule) continue;
    const key = `${rule}:${write.position.line}:${write.via}`;
    const group = groups.get(key) ?? { rule, position: write.position, via: write.via, paths: [] };
    if (!group.paths.includes(write.path)) group.paths.push(write.path);
    groups.set(key, group);
  }
  for (const { rule, position, via, paths } of groups.values()) {
    findings.push(createFinding(rule, file, position, placementMessage(rule, via, paths)));
  }
  return findings;
}

function placementMessage(rule: RuleId, via: string, paths: string[]): string {
  const shown = paths.length > 3 ? `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more` : paths.join(', ');
  if (rule === 'usr-etc') return `${via} puts content in ${shown}; bootc reserves /usr/etc for the image's default /etc, and bootc container lint rejects content there.`;
  if (rule === 'var-content') return `${via} puts content in ${shown}; /var is unpacked only at first install and never updated by bootc upgrade.`;
  return `${via} leaves ${shown} in the image; /tmp and /run are emptied at boot, so the content only adds weight to every update.`;
}

// A COPY/ADD's destination, plus each watched folder that a copied project folder carries (COPY rootfs/ / with rootfs/var).
function copyPlacements(instruction: Instruction, keyword: string, workdir: string | undefined, projectDir: string): Array<{ path: string; via: string }> {
  const { sources, destination, from } = copyArguments(instruction);
  const target = destination === undefined ? undefined : resolvePath(workdir, destination);
  if (target === undefined) return [];
  const placements = [{ path: target, via: keyword }];
  if (from !== undefined) return placements;
  for (const source of sources) {
    if (/[*?[$]|^[a-z][a-z0-9+.-]*:\/\//i.test(source)) continue;
    const folder = join(projectDir, source);
    if (!isDirectory(folder)) continue;
    for (const { prefix } of WATCHED_PATHS) {
      if (prefix === target || !isUnder(prefix, target)) continue;
      const inside = posix.relative(target, prefix);
      if (existsSync(join(folder, inside))) {
        placements.push({ path: prefix, via: `${keyword} of ${posix.join(posix.normalize(source), inside)}` });
      }
    }
  }
  return placements;
}

// An absolute, normalized path; undefined when it depends on a variable or an unknown WORKDIR.
function resolvePath(workdir: string | undefined, path: string): string | undefined {
  const trimmed = path.trim();
  if (trimmed === '' || trimmed.includes('$')) return undefined;
  if (trimmed.startsWith('/')) return normalizePath(trimmed);
  return workdir === undefined ? undefined : normalizePath(posix.join(workdir, trimmed));
}

export function isUnder(path: string, folder: string): boolean {
  return folder === '/' || path === folder || path.startsWith(`${folder}/`);
}

/** True when removing `pattern` (a path, possibly with * and ? globs) removes `path`. */
export function removes(pattern: string, path: string): boolean {
  const regex = new RegExp(`^${pattern.split(/([*?])/).map((part) => (part === '*' ? '[^/]*' : part === '?' ? '[^/]' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`);
  for (let ancestor = path; ancestor !== '/' && ancestor !== '.'; ancestor = posix.dirname(ancestor)) {
    if (regex.test(ancestor)) return true;
  }
  return false;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
