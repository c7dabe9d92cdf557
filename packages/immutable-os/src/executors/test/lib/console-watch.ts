/** What a boot shows on its console when it reached its target, and when it failed. */
export const DEFAULT_EXPECT = [
  // systemd (a bootc system): the default target, or a login prompt on the serial console.
  String.raw`Reached target .*(?:Multi-User System|Graphical Interface)|login:\s*$`,
];
export const DEFAULT_FAIL = [
  String.raw`Kernel panic`,
  String.raw`You are in emergency mode|Entering emergency mode`,
  String.raw`Failed to start .*`,
  String.raw`Dependency failed for`,
  // The firmware found nothing to boot: OVMF drops to its shell, SeaBIOS says so on its debug port.
  String.raw`UEFI Interactive Shell`,
  String.raw`No bootable device`,
];

export interface Check {
  pattern: string;
  kind: 'expect' | 'fail';
  /** The first console line it matched, with its time since the boot started. */
  line?: string;
  atMs?: number;
}

export type WatchState = { status: 'running' } | { status: 'passed' } | { status: 'failed'; reason: string; check?: Check };

/**
 * Reads a console line by line: passes once every expected pattern has matched a line (in any
 * order), fails on the first line a failure pattern matches. Escape sequences and carriage
 * returns are taken out before matching.
 */
export class ConsoleWatch {
  readonly checks: Check[];
  private readonly expects: Array<{ check: Check; regex: RegExp }>;
  private readonly fails: Array<{ check: Check; regex: RegExp }>;
  private partial = '';
  private state: WatchState = { status: 'running' };
  private readonly tailLines: string[] = [];

  constructor(expect: readonly string[], fail: readonly string[], private readonly tailSize = 40) {
    const compile = (kind: Check['kind']) => (pattern: string) => {
      const check: Check = { pattern, kind };
      return { check, regex: new RegExp(pattern) };
    };
    this.expects = expect.map(compile('expect'));
    this.fails = fail.map(compile('fail'));
    this.checks = [...this.expects, ...this.fails].map((e) => e.check);
  }

  get result(): WatchState {
    return this.state;
  }

  /** The last console lines, for a failure's message. */
  tail(): string[] {
    return this.partial ? [...this.tailLines, this.partial] : [...this.tailLines];
  }

  /** Feeds console output; returns the state after it. */
  feed(chunk: string, atMs: number): WatchState {
    const text = this.partial + chunk;
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const raw of lines) this.line(clean(raw), atMs);
    // A prompt (`login: `) ends no line: match the pending text too, without consuming it.
    if (this.state.status === 'running' && this.partial) this.match(clean(this.partial), atMs, false);
    return this.state;
  }

  private line(line: string, atMs: number): void {
    this.tailLines.push(line);
    if (this.tailLines.length > this.tailSize) this.tailLines.shift();
    this.match(line, atMs, true);
  }

  private match(line: string, atMs: number, complete: boolean): void {
    if (this.state.status !== 'running') return;
    const failed = this.fails.find((f) => f.regex.test(line));
    if (failed && complete) {
      failed.check.line = line;
      failed.check.atMs = atMs;
      this.state = { status: 'failed', reason: `the console showed "${line.trim()}" (fail pattern /${failed.check.pattern}/)`, check: failed.check };
      return;
    }
    for (const e of this.expects) {
      if (e.check.line === undefined && e.regex.test(line)) {
        e.check.line = line;
        e.check.atMs = atMs;
      }
    }
    if (this.expects.every((e) => e.check.line !== undefined)) this.state = { status: 'passed' };
  }

  /** Ends the watch without a verdict (timeout, qemu exited): the state names what was missing. */
  end(reason: string): WatchState {
    if (this.partial) {
      this.line(clean(this.partial), Number.NaN);
      this.partial = '';
    }
    if (this.state.status === 'running') {
      const missing = this.expects.filter((e) => e.check.line === undefined).map((e) => `/${e.check.pattern}/`);
      this.state = { status: 'failed', reason: `${reason} before the console showed ${missing.join(', ')}` };
    }
    return this.state;
  }
}

// ANSI escape sequences (colours, cursor moves) and carriage returns from firmware and systemd.
function clean(line: string): string {
  return line.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1bc/g, '').replace(/\r/g, '');
}
