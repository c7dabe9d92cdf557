import { parseBootcLintOutput, type BootcLintOutput } from './bootc-lint-output';

// bootc's text, built from the format strings of bootc-dev/bootc's crates/lib/src/lints.rs at
// 534c76ea (bootc-lib 1.16.9; the same lines since v1.1.5, 155c5e2d, where they were in
// lib/src/lints.rs): writeln!("Failed lint: {name}: {e}"), writeln!("Lint warning: {name}: {e}"),
// "Checks passed: {}", "Checks skipped: {}", "Warnings: {}", bail!("Checks failed: {}") under the
// "Linting" context, printed by run_main as "error: {:#}"; format_items' "{header}:" and "  {item}"
// lines, "  ...and {rest} more". And v1.1.4's (8dff3208): println!("Checks passed: {}"), bail!(<message>).
const V1_16 = {
  passed: { stdout: 'Checks passed: 13\nChecks skipped: 1\n', stderr: '', exitCode: 0 },
  warning: {
    stdout: 'Lint warning: var-log: Found non-empty logfiles:\n  /var/log/dnf/dnf.log\n  /var/log/hawkey.log\n\nChecks passed: 12\nChecks skipped: 1\nWarnings: 1\n',
    stderr: '',
    exitCode: 0,
  },
  fatal: {
    stdout:
      'Lint warning: nonempty-boot: Found non-empty /boot:\n  a\n  b\n  c\n  d\n  e\n  ...and 2 more\n\nFailed lint: var-run: Not a symlink: var/run\nFailed lint: utf8: /subdir/2: Found non-utf8 filename "bad\\xFFdir"\nChecks passed: 10\nChecks skipped: 1\nWarnings: 1\n',
    stderr: 'error: Linting: Checks failed: 2\n',
    exitCode: 1,
  },
  strict: {
    stdout: 'Lint warning: sysusers: Found /etc/passwd entry without corresponding systemd sysusers.d:\n  app\n\nChecks passed: 12\nChecks skipped: 1\nWarnings: 1\n',
    stderr: 'error: Linting: Checks failed: 1\n',
    exitCode: 1,
  },
  runtime: {
    stdout: 'Lint warning: baseimage-composefs: ostree/prepare-root.conf is not present to enable composefs\n',
    stderr: 'error: Linting: Unexpected runtime error running lint kernel: Found multiple subdirectories in usr/lib/modules\n',
    exitCode: 1,
  },
};

describe('parseBootcLintOutput', () => {
  test.each<[string, { stdout: string; stderr: string; exitCode: number }, BootcLintOutput]>([
    ['1.16.9: every lint passed', V1_16.passed, { kind: 'ran', format: 'v1.1.5+', results: [], failed: false, passed: 13, skipped: 1 }],
    [
      '1.16.9: a warning with its items, the empty line after them dropped',
      V1_16.warning,
      {
        kind: 'ran',
        format: 'v1.1.5+',
        results: [{ lint: 'var-log', kind: 'warning', message: 'Found non-empty logfiles:\n  /var/log/dnf/dnf.log\n  /var/log/hawkey.log' }],
        failed: false,
        passed: 12,
        skipped: 1,
      },
    ],
    [
      '1.16.9: fatal lints and a truncated list',
      V1_16.fatal,
      {
        kind: 'ran',
        format: 'v1.1.5+',
        results: [
          { lint: 'nonempty-boot', kind: 'warning', message: 'Found non-empty /boot:\n  a\n  b\n  c\n  d\n  e\n  ...and 2 more' },
          { lint: 'var-run', kind: 'fatal', message: 'Not a symlink: var/run' },
          { lint: 'utf8', kind: 'fatal', message: '/subdir/2: Found non-utf8 filename "bad\\xFFdir"' },
        ],
        failed: true,
        passed: 10,
        skipped: 1,
      },
    ],
    [
      '1.16.9 --fatal-warnings: a warning fails',
      V1_16.strict,
      { kind: 'ran', format: 'v1.1.5+', results: [{ lint: 'sysusers', kind: 'warning', message: 'Found /etc/passwd entry without corresponding systemd sysusers.d:\n  app' }], failed: true, passed: 12, skipped: 1 },
    ],
    [
      '1.16.9: a lint that cannot run stops bootc (no summary)',
      V1_16.runtime,
      {
        kind: 'ran',
        format: 'v1.1.5+',
        results: [
          { lint: 'baseimage-composefs', kind: 'warning', message: 'ostree/prepare-root.conf is not present to enable composefs' },
          { lint: 'kernel', kind: 'fatal', message: 'Found multiple subdirectories in usr/lib/modules', stopped: true },
        ],
        failed: true,
      },
    ],
    [
      'colours, when bootc thinks stderr is a terminal',
      { ...V1_16.fatal, stderr: '\x1b[31merror: \x1b[0mLinting: Checks failed: 2\n' },
      expect.objectContaining({ kind: 'ran', failed: true }) as BootcLintOutput,
    ],
    ['1.1.4: passed', { stdout: 'Checks passed: 6\n', stderr: '', exitCode: 0 }, { kind: 'ran', format: 'v1.1.4-', results: [], failed: false, passed: 6 }],
    [
      '1.1.4: the first failure stops bootc, named by its message',
      { stdout: '', stderr: 'error: Linting: Not a symlink: var/run\n', exitCode: 1 },
      { kind: 'ran', format: 'v1.1.4-', results: [{ lint: 'var-run', kind: 'fatal', message: 'Not a symlink: var/run', stopped: true }], failed: true },
    ],
    [
      '1.1.4: a message naming no known lint',
      { stdout: '', stderr: 'error: Linting: something new\n', exitCode: 1 },
      { kind: 'ran', format: 'v1.1.4-', results: [{ kind: 'fatal', message: 'something new', stopped: true }], failed: true },
    ],
    [
      'podman: no bootc in the image',
      { stdout: '', stderr: 'Error: runc: runc create failed: unable to start container process: exec: "bootc": executable file not found in $PATH: OCI runtime attempted to invoke a command that was not found\n', exitCode: 127 },
      { kind: 'unavailable', reason: 'the image has no bootc on its PATH' },
    ],
    [
      'buildah: no bootc in the image',
      { stdout: '', stderr: 'error running container: from /usr/bin/runc creating container for [bootc container lint]: time="x" level=error msg="runc create failed: unable to start container process: exec: \\"bootc\\": executable file not found in $PATH"\n: exit status 1\nError: while running runtime: exit status 1\n', exitCode: 1 },
      { kind: 'unavailable', reason: 'the image has no bootc on its PATH' },
    ],
    [
      'a bootc before --fatal-warnings (clap)',
      { stdout: '', stderr: "error: unexpected argument '--fatal-warnings' found\n\nUsage: bootc container lint\n\nFor more information, try '--help'.\n", exitCode: 2 },
      { kind: 'unavailable', reason: "the image's bootc has no --fatal-warnings (--fatal-warnings came in bootc 1.1.5, --skip in 1.1.6)" },
    ],
  ])('%s', (_name, run, expected) => {
    expect(parseBootcLintOutput(run)).toEqual(expected);
  });

  test.each([
    ['a failure without bootc\'s error line', { stdout: 'Segmentation fault\n', stderr: '', exitCode: 139 }],
    ['exit 0 without a summary', { stdout: 'hello\n', stderr: '', exitCode: 0 }],
    ['"Checks failed" without the summary before it', { stdout: '', stderr: 'error: Linting: Checks failed: 1\n', exitCode: 1 }],
    ['another error', { stdout: '', stderr: 'Error: short-name resolution enforced\n', exitCode: 125 }],
  ])('in no format bootc prints: %s', (_name, run) => {
    expect(parseBootcLintOutput(run)).toBeUndefined();
  });
});
