/**
 * Reads what `bootc container lint` prints. bootc has no JSON output for it (`--list` prints YAML
 * that bootc says not to parse), so this reads its text, in the two formats bootc has printed
 * (checked in bootc-dev/bootc's history of lints.rs and cli.rs, up to 534c76ea, bootc-lib 1.16.9):
 *
 * - v1.1.5 (155c5e2d) to v1.16.9 (850b12f1): every lint runs; stdout has a line per failing lint,
 *   `Failed lint: <name>: <message>` (fatal) or `Lint warning: <name>: <message>`, a message
 *   that lists items going on over indented lines and ending with an empty one; then
 *   `Checks passed: N`, `Checks skipped: N` and `Warnings: N`. When anything fails, stderr ends
 *   with `error: Linting: Checks failed: N` and bootc exits 1. A lint that cannot run (kernel with
 *   two kernels, bootc-kargs with a kargs.d file that does not parse) stops bootc with
 *   `error: Linting: Unexpected runtime error running lint <name>: <message>`, no summary.
 *   --fatal-warnings since v1.1.5, --skip since v1.1.6, --no-truncate since v1.3.0 (lists are cut
 *   at 5 items and `...and N more`).
 * - v0.1.12 (40c17907) to v1.1.4 (8dff3208): the first failing check stops bootc with
 *   `error: Linting: <message>`, naming no lint; success prints `Checks passed: N`. No options.
 */

/** One lint bootc reported. */
export interface BootcLintResult {
  /** bootc's lint name; none when an old bootc's message names no known lint. */
  lint?: string;
  kind: 'fatal' | 'warning';
  /** bootc's message, items on their own lines as bootc prints them. */
  message: string;
  /** The lint could not run and bootc stopped there: the lints after it were not checked. */
  stopped?: boolean;
}

export type BootcLintOutput =
  | { kind: 'ran'; format: 'v1.1.5+' | 'v1.1.4-'; results: BootcLintResult[]; failed: boolean; passed?: number; skipped?: number }
  /** bootc is not in the image, or cannot lint (too old): nothing was checked. */
  | { kind: 'unavailable'; reason: string };

const RESULT = /^(Failed lint|Lint warning): ([A-Za-z0-9_.-]+): (.*)$/;
const SUMMARY = /^(Checks passed|Checks skipped|Warnings): (\d+)$/;
const RUNTIME = /^Linting: Unexpected runtime error running lint ([A-Za-z0-9_.-]+): (.*)$/;
const CHECKS_FAILED = /^Linting: Checks failed: \d+$/;
// What the engines print when the image has no bootc (podman/crun or runc, docker, buildah) and
// what a shell prints for a missing command.
const NO_BOOTC = /executable file `bootc` not found|\\?"bootc\\?": executable file not found|bootc: (command )?not found/;
// clap, for a subcommand or an option this bootc does not have.
const UNKNOWN_COMMAND = /^error: (unrecognized subcommand '(container|lint)'|unexpected argument '(--[a-z-]+)' found|Found argument '(--[a-z-]+)' which wasn't expected)/m;

// bootc up to v1.1.4 names no lint; its messages do (lib/src/lints.rs at v1.1.4, 8dff3208).
const OLD_MESSAGES: ReadonlyArray<[RegExp, string]> = [
  [/^Not a symlink: var\/run$/, 'var-run'],
  [/^Found \/usr\/etc\b/, 'etc-usretc'],
  [/Found non-utf8 (filename|symlink target)/, 'utf8'],
  [/^Found multiple subdirectories in usr\/lib\/modules/, 'kernel'],
  [/^(Missing \/sysroot|Expected a directory for \/sysroot|Missing ostree -> sysroot\/ostree link|\/ostree should be a symlink|Expected \/ostree -> |usr\/lib\/ostree\/prepare-root\.conf)/, 'baseimage-root'],
  [/^Parsing .*\.toml\b|kargs/, 'bootc-kargs'],
];

/** Reads one run of `bootc container lint`; undefined when the output is in no format bootc prints. */
export function parseBootcLintOutput(run: { stdout: string; stderr: string; exitCode: number }): BootcLintOutput | undefined {
  const stdout = stripAnsi(run.stdout);
  const stderr = stripAnsi(run.stderr);
  if (run.exitCode !== 0 && NO_BOOTC.test(stderr + stdout)) return { kind: 'unavailable', reason: 'the image has no bootc on its PATH' };
  const unknown = UNKNOWN_COMMAND.exec(stderr);
  if (run.exitCode === 2 && unknown) {
    const option = unknown[3] ?? unknown[4];
    return {
      kind: 'unavailable',
      reason: option
        ? `the image's bootc has no ${option} (--fatal-warnings came in bootc 1.1.5, --skip in 1.1.6)`
        : "the image's bootc has no `container lint` (it came in bootc 0.1.12)",
    };
  }
  if (/^error: Not in a ostree container/m.test(stderr)) return { kind: 'unavailable', reason: 'bootc up to 1.1.4 lints only ostree containers, and this image is not one' };

  const results: BootcLintResult[] = [];
  const counts: Record<string, number> = {};
  let current: { result: BootcLintResult; lines: string[] } | undefined;
  const close = () => {
    if (current) current.result.message = trimEnd(current.lines).join('\n');
    current = undefined;
  };
  for (const line of stdout.split('\n')) {
    const result = RESULT.exec(line);
    const summary = SUMMARY.exec(line);
    if (result) {
      close();
      current = { result: { lint: result[2], kind: result[1] === 'Failed lint' ? 'fatal' : 'warning', message: '' }, lines: [result[3]] };
      results.push(current.result);
    } else if (summary) {
      close();
      counts[summary[1]] = Number(summary[2]);
    } else if (current) {
      current.lines.push(line);
    }
  }
  close();

  const error = stderr.split('\n').map((l) => /^error: (.*)$/.exec(l)?.[1]).filter((e): e is string => e !== undefined).at(-1);
  const newFormat = results.length > 0 || 'Checks skipped' in counts || 'Warnings' in counts;
  const ran = (format: 'v1.1.5+' | 'v1.1.4-'): BootcLintOutput => ({
    kind: 'ran',
    format,
    results,
    failed: run.exitCode !== 0,
    ...(counts['Checks passed'] !== undefined ? { passed: counts['Checks passed'] } : {}),
    ...(counts['Checks skipped'] !== undefined ? { skipped: counts['Checks skipped'] } : {}),
  });
  if (run.exitCode === 0) return 'Checks passed' in counts ? ran(newFormat ? 'v1.1.5+' : 'v1.1.4-') : undefined;
  if (error === undefined) return undefined;
  if (CHECKS_FAILED.test(error)) return 'Checks passed' in counts ? ran('v1.1.5+') : undefined;
  const runtime = RUNTIME.exec(error);
  if (runtime) {
    results.push({ lint: runtime[1], kind: 'fatal', message: runtime[2], stopped: true });
    return ran('v1.1.5+');
  }
  if (error.startsWith('Linting: ') && !newFormat && !('Checks passed' in counts)) {
    const message = error.slice('Linting: '.length);
    const lint = OLD_MESSAGES.find(([pattern]) => pattern.test(message))?.[1];
    results.push({ ...(lint ? { lint } : {}), kind: 'fatal', message, stopped: true });
    return ran('v1.1.4-');
  }
  return undefined;
}

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}

function trimEnd(lines: string[]): string[] {
  const out = [...lines];
  while (out.length > 0 && out[out.length - 1].trim() === '') out.pop();
  return out;
}
