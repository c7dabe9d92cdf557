import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { workspaceRelative } from '../../../utils/workspace-path';
import type { TestExecutorSchema } from '../schema';
import { DEFAULT_EXPECT, DEFAULT_FAIL } from './console-watch';
import type { SshCommand } from './ssh-checks';
import { vmArch, type Firmware, type VmArch } from './qemu-argv';

const TYPES = ['qcow2', 'raw'] as const;
const FIRMWARES = ['uefi', 'bios'] as const;
const ACCELS = ['auto', 'kvm', 'tcg'] as const;

export interface NormalizedTestOptions {
  projectName: string;
  workspaceRoot: string;
  disk: { type: (typeof TYPES)[number]; path: string; sha256: string | null };
  imageId: string | null;
  arch: VmArch;
  firmware: Firmware;
  accel: (typeof ACCELS)[number];
  memoryMiB: number;
  cpus: number;
  timeoutMs: number;
  expect: string[];
  fail: string[];
  outputPath: string;
  extraArgs: string[];
  /** Commands to run in the guest over SSH after the console passed; undefined: no network, no SSH. */
  ssh?: { commands: SshCommand[]; commandTimeoutMs: number };
}

/** bootc-convert made no disk bootc-test boots (only installers or cloud formats), and no type was asked for: nothing to test. */
export class NothingToBoot extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NothingToBoot';
  }
}

interface ArtifactsRecord {
  imageId?: string;
  targetArch?: string | null;
  artifacts?: Array<{ type?: string; path?: string; sha256?: string }>;
}

/** Checks every option and reads bootc-convert's record before anything boots; errors name the option or file and the fix. */
export function normalizeOptions(options: TestExecutorSchema, context: ExecutorContext, hostArch: string = process.arch): NormalizedTestOptions {
  const projectName = context.projectName;
  if (!projectName) throw new Error('bootc-test must run for a project (nx run <project>:bootc-test).');
  const oneOf = <T extends string>(name: string, value: unknown, allowed: readonly T[], fallback: T): T => {
    if (value === undefined) return fallback;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    throw new Error(`bootc-test option "${name}" must be one of ${allowed.join(', ')}; got ${JSON.stringify(value)}.`);
  };
  const count = (name: string, value: unknown, fallback: number, minimum: number): number => {
    if (value === undefined) return fallback;
    if (typeof value === 'number' && Number.isInteger(value) && value >= minimum) return value;
    throw new Error(`bootc-test option "${name}" must be a whole number of at least ${minimum}; got ${JSON.stringify(value)}.`);
  };
  const patterns = (name: string, value: unknown, fallback: readonly string[]): string[] => {
    if (value === undefined) return [...fallback];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) {
      throw new Error(`bootc-test option "${name}" must be a list of regular expressions (e.g. ["Reached target Multi-User System"]); got ${JSON.stringify(value)}.`);
    }
    for (const pattern of value as string[]) {
      try {
        new RegExp(pattern);
      } catch (error) {
        throw new Error(`bootc-test option "${name}" has ${JSON.stringify(pattern)}, which is not a valid regular expression: ${(error as Error).message}.`, { cause: error });
      }
    }
    if (name === 'expect' && value.length === 0) throw new Error('bootc-test option "expect" is empty: give at least one pattern, or leave it out for the default.');
    return value as string[];
  };

  const firmware = oneOf('firmware', options.firmware, FIRMWARES, 'uefi');
  const accel = oneOf('accel', options.accel, ACCELS, 'auto');
  const requestedType = options.type === undefined ? undefined : oneOf('type', options.type, TYPES, 'qcow2');
  const extraArgs = options.extraArgs ?? [];
  if (!Array.isArray(extraArgs) || extraArgs.some((a) => typeof a !== 'string')) {
    throw new Error(`bootc-test option "extraArgs" must be a list of qemu arguments; got ${JSON.stringify(extraArgs)}.`);
  }

  const ssh = sshOption(options.ssh, count);

  const artifactsPath = resolveIn(context.root, options.artifacts ?? `dist/disks/${projectName}/artifacts.json`);
  const shown = workspaceRelative(artifactsPath, context.root);
  if (!existsSync(artifactsPath)) {
    throw new Error(`${shown} does not exist: bootc-test boots what bootc-convert made. Run \`nx run ${projectName}:bootc-convert\` first (bootc-test depends on it), or set the "artifacts" option.`);
  }
  let record: ArtifactsRecord;
  try {
    record = JSON.parse(readFileSync(artifactsPath, 'utf8')) as ArtifactsRecord;
  } catch (error) {
    throw new Error(`${shown} is not valid JSON (${(error as Error).message}); run bootc-convert again to rewrite it.`, { cause: error });
  }
  const disks = (record.artifacts ?? []).filter((a): a is { type: (typeof TYPES)[number]; path: string; sha256?: string } => (TYPES as readonly string[]).includes(a.type ?? '') && typeof a.path === 'string');
  const chosen = requestedType ? disks.find((d) => d.type === requestedType) : (disks.find((d) => d.type === 'qcow2') ?? disks.find((d) => d.type === 'raw'));
  if (!chosen) {
    const made = (record.artifacts ?? []).map((a) => a.type).join(', ') || 'nothing';
    const message = `${shown} has no ${requestedType ?? 'qcow2 or raw'} disk (bootc-convert made ${made}); bootc-test boots disk images: add qcow2 to metadata["immutable-os"].formats or bootc-convert's types`;
    // Asked for a type: an error. Otherwise a fleet's installer-only projects have nothing to boot.
    if (requestedType) throw new Error(`${message}.`);
    throw new NothingToBoot(`${message} to test this project.`);
  }
  const diskPath = resolveIn(context.root, chosen.path);
  if (!existsSync(diskPath)) throw new Error(`${chosen.path}, listed in ${shown}, does not exist; run bootc-convert again.`);

  const archName = record.targetArch ?? hostArch;
  const arch = vmArch(archName);
  if (!arch) throw new Error(`bootc-test boots x86_64 and aarch64 disks; ${shown} is for ${archName}.`);
  if (firmware === 'bios' && arch !== 'x86_64') throw new Error(`bootc-test option "firmware" is bios, but BIOS boots are x86_64 only and the disk is ${arch}: use uefi.`);

  return {
    projectName,
    workspaceRoot: context.root,
    disk: { type: chosen.type, path: diskPath, sha256: chosen.sha256 ?? null },
    imageId: record.imageId ?? null,
    arch,
    firmware,
    accel,
    memoryMiB: count('memory', options.memory, 2048, 128),
    cpus: count('cpus', options.cpus, 2, 1),
    timeoutMs: count('timeout', options.timeout, 600, 1) * 1000,
    expect: patterns('expect', options.expect, DEFAULT_EXPECT),
    fail: patterns('fail', options.fail, DEFAULT_FAIL),
    outputPath: resolveIn(context.root, (options.outputPath ?? 'dist/tests/{projectName}').replace('{projectName}', projectName)),
    extraArgs,
    ...(ssh ? { ssh } : {}),
  };
}

// The ssh option: { commands: [string | { name, run }], timeout }. No commands: no SSH at all.
function sshOption(value: unknown, count: (name: string, value: unknown, fallback: number, minimum: number) => number): NormalizedTestOptions['ssh'] {
  if (value === undefined) return undefined;
  const example = 'e.g. { "commands": ["systemctl is-system-running --wait", { "name": "bootc status", "run": "bootc status" }] }';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`bootc-test option "ssh" must be an object, ${example}; got ${JSON.stringify(value)}.`);
  const { commands, timeout, ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new Error(`bootc-test option "ssh" has ${unknown.map((k) => `"${k}"`).join(', ')}, which it does not know: it takes "commands" and "timeout".`);
  if (!Array.isArray(commands)) throw new Error(`bootc-test option "ssh.commands" must be a list of commands, ${example}; got ${JSON.stringify(commands)}.`);
  const list = commands.map((entry, i): SshCommand => {
    if (typeof entry === 'string' && entry.trim() !== '') return { name: entry, run: entry };
    if (typeof entry === 'object' && entry !== null && typeof entry.run === 'string' && entry.run.trim() !== '' && (entry.name === undefined || (typeof entry.name === 'string' && entry.name !== ''))) {
      const extra = Object.keys(entry).filter((k) => k !== 'name' && k !== 'run');
      if (extra.length === 0) return { name: entry.name ?? entry.run, run: entry.run };
    }
    throw new Error(`bootc-test option "ssh.commands[${i}]" must be a command (a non-empty string) or { "name": ..., "run": ... }; got ${JSON.stringify(entry)}.`);
  });
  if (list.length === 0) return undefined;
  const names = list.map((c) => c.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new Error(`bootc-test option "ssh.commands" names two checks ${JSON.stringify(twice)}: give each a name of its own.`);
  return { commands: list, commandTimeoutMs: count('ssh.timeout', timeout, 120, 1) * 1000 };
}

function resolveIn(root: string, path: string): string {
  return isAbsolute(path) ? resolve(path) : join(root, path);
}
