import type { Engine, EngineName } from '../../../utils/engine';
import { formatCommand, runShort } from '../../../utils/run-process';
import { parseBootcLintOutput, type BootcLintResult } from './bootc-lint-output';

/** bootc-build's bootcLint option: off, `bootc container lint`, or with --fatal-warnings. */
export type BootcLintMode = 'off' | 'on' | 'strict';

/** What one platform's image said. */
export type ImageLintRun =
  | { platform?: string; status: 'ran'; format: string; results: BootcLintResult[]; failed: boolean }
  | { platform?: string; status: 'skipped'; reason: string };

// Every exit code of the lint is an answer to read (a signal is not).
const ANY_EXIT = Array.from({ length: 255 }, (_, i) => i + 1);

/**
 * How each engine runs `bootc container lint` in an image, as the image's own root (as a
 * `RUN bootc container lint` step would): no network, never pulling, the platform picked from a
 * manifest list. podman and docker run it in a container removed after; buildah has no `run` of an
 * image, so it makes a working container, runs in it and removes it.
 */
export const IMAGE_LINT_COMMANDS: Record<
  EngineName,
  | { kind: 'run'; argv: (image: string, platform: string | undefined, lintArgs: readonly string[]) => string[] }
  | {
      kind: 'container';
      create: (image: string, platform: string | undefined) => string[];
      run: (container: string, lintArgs: readonly string[]) => string[];
      remove: (container: string) => string[];
    }
> = {
  podman: { kind: 'run', argv: (image, platform, lintArgs) => ['run', '--rm', '--network=none', '--pull=never', ...platformArgs(platform), '--entrypoint', 'bootc', image, 'container', 'lint', ...lintArgs] },
  docker: { kind: 'run', argv: (image, platform, lintArgs) => ['run', '--rm', '--network=none', '--pull=never', ...platformArgs(platform), '--entrypoint', 'bootc', image, 'container', 'lint', ...lintArgs] },
  buildah: {
    kind: 'container',
    create: (image, platform) => ['from', '--pull=never', '--quiet', ...platformArgs(platform), image],
    run: (container, lintArgs) => ['run', '--network=none', container, '--', 'bootc', 'container', 'lint', ...lintArgs],
    remove: (container) => ['rm', container],
  },
};

function platformArgs(platform: string | undefined): string[] {
  return platform ? ['--platform', platform] : [];
}

/** bootc's options for the mode: strict makes warnings fatal; each skipped lint is a --skip. */
export function bootcLintArgs(mode: Exclude<BootcLintMode, 'off'>, skip: readonly string[]): string[] {
  return [...(mode === 'strict' ? ['--fatal-warnings'] : []), ...skip.flatMap((name) => ['--skip', name])];
}

/**
 * Runs `bootc container lint` in the built image: once for a single image, once per platform
 * (from the manifest list `image` names) for several. An image without bootc is skipped, not failed.
 */
export async function lintImage(
  engine: Engine,
  target: { image: string; platforms: readonly string[] },
  lintArgs: readonly string[],
  cwd: string,
): Promise<ImageLintRun[]> {
  const platforms: Array<string | undefined> = target.platforms.length > 1 ? [...target.platforms] : [undefined];
  const runs: ImageLintRun[] = [];
  for (const platform of platforms) runs.push(await lintOne(engine, target.image, platform, lintArgs, cwd));
  return runs;
}

async function lintOne(engine: Engine, image: string, platform: string | undefined, lintArgs: readonly string[], cwd: string): Promise<ImageLintRun> {
  const commands = IMAGE_LINT_COMMANDS[engine.name];
  let argv: string[];
  let container: string | undefined;
  if (commands.kind === 'run') {
    argv = commands.argv(image, platform, lintArgs);
  } else {
    container = (await runShort(engine.command, commands.create(image, platform), { cwd })).stdout.trim().split('\n').at(-1) ?? '';
    argv = commands.run(container, lintArgs);
  }
  try {
    const { stdout, stderr, exitCode = 0 } = await runShort(engine.command, argv, { cwd, okExitCodes: ANY_EXIT });
    const output = parseBootcLintOutput({ stdout, stderr, exitCode });
    const at = platform ? { platform } : {};
    if (output === undefined) {
      const tail = (stderr || stdout).trimEnd().split('\n').slice(-20).join('\n');
      throw new Error(
        `${formatCommand(engine.command, argv)} exited ${exitCode} with output in no format bootc prints (bootc-build reads bootc 0.1.12 to 1.16.9):\n${tail}\nRun the command by hand to see what happened, or turn bootcLint off.`,
      );
    }
    if (output.kind === 'unavailable') return { ...at, status: 'skipped', reason: output.reason };
    return { ...at, status: 'ran', format: output.format, results: output.results, failed: output.failed };
  } finally {
    if (container !== undefined && commands.kind === 'container') await runShort(engine.command, commands.remove(container), { cwd }).catch(() => undefined);
  }
}
