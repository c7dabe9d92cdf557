import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { engineHint } from './engine';
import { formatCommand, ProcessError, quoteForDisplay, runProcess, runShort, type RunResult, type ShortRunOptions } from './run-process';

describe('running processes', () => {
  let dir: string;
  const node = process.execPath;

  beforeAll(() => {
    dir = realpathSync(mkdtempSync(join(tmpdir(), 'immutable-os-run-')));
    const fixtures: Record<string, string> = {
      'echo.js': `process.stdout.write('out:' + process.argv.slice(2).join('|')); process.stderr.write('err line');`,
      'fail.js': `for (let i = 1; i <= 30; i++) console.error('problem ' + i); console.log('some output'); process.exit(Number(process.argv[2] ?? 3));`,
      'fail-stdout.js': `console.log('only stdout 1'); console.log('only stdout 2'); process.exit(1);`,
      'stdin.js': `let s = ''; process.stdin.on('data', (d) => (s += d)); process.stdin.on('end', () => process.stdout.write('got:' + s));`,
      'env-cwd.js': `process.stdout.write(JSON.stringify({ cwd: process.cwd(), spec: process.env.IMMUTABLE_OS_SPEC, extra: process.env.EXTRA }));`,
      'hang.js': `setInterval(() => {}, 1000); process.stdout.write('started');`,
      'kill-self.js': `process.kill(process.pid, 'SIGKILL');`,
      'no-space.js': `console.error('Error: writing blob: no space left on device'); process.exit(125);`,
    };
    for (const [name, code] of Object.entries(fixtures)) writeFileSync(join(dir, name), code);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const fixture = (name: string) => join(dir, name);

  // runShort (execFile) gives the results and errors of runProcess (execa) for captured commands.
  const runners: Array<[string, (file: string, args: string[], options: ShortRunOptions) => Promise<RunResult>]> = [
    ['runProcess', (file, args, options) => runProcess(file, args, { ...options, stream: false })],
    ['runShort', runShort],
  ];

  describe.each(runners)('%s', (_name, run) => {
    test('returns stdout and stderr of a successful run, arguments passed literally', async () => {
      const result = await run(node, [fixture('echo.js'), '$(id)', 'a b', '; rm -rf /', '`x`', `"q" 'q'`], { cwd: dir });
      expect(result).toEqual({ stdout: `out:$(id)|a b|; rm -rf /|\`x\`|"q" 'q'`, stderr: 'err line' });
    });
  
    test('a failure names the command, the exit code, the last lines of stderr and the hint', async () => {
      const hint = jest.fn((output: string) => (output.includes('problem 30') ? 'Do the obvious thing.' : undefined));
      const error = await run(node, [fixture('fail.js'), '7'], { cwd: dir, hint }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProcessError);
      const { message, exitCode, command, stderrTail, cause } = error as ProcessError;
      const lines = Array.from({ length: 20 }, (_, i) => `  problem ${i + 11}`).join('\n');
      expect(message).toBe(`${node} ${fixture('fail.js')} 7 failed with exit code 7.\nLast lines of its output:\n${lines}\nHint: Do the obvious thing.`);
      expect(message).not.toContain('problem 10\n');
      expect(exitCode).toBe(7);
      expect(command).toBe(`${node} ${fixture('fail.js')} 7`);
      expect(stderrTail.split('\n')).toHaveLength(20);
      expect(cause).toBeDefined();
      expect(hint).toHaveBeenCalledWith(expect.stringContaining('some output'));
    });
  
    test('without stderr the tail is the end of stdout; without a hint there is no Hint line', async () => {
      const error = (await run(node, [fixture('fail-stdout.js')], { cwd: dir }).catch((e: unknown) => e)) as ProcessError;
      expect(error.message).toBe(`${node} ${fixture('fail-stdout.js')} failed with exit code 1.\nLast lines of its output:\n  only stdout 1\n  only stdout 2`);
    });
  
    test('the engine hint table explains a known failure', async () => {
      await expect(run(node, [fixture('no-space.js')], { cwd: dir, hint: engineHint })).rejects.toThrow(
        /failed with exit code 125\.\nLast lines of its output:\n  Error: writing blob: no space left on device\nHint: The disk holding the container storage is full/,
      );
    });
  
    test('a missing program "could not start", naming it', async () => {
      const error = (await run('immutable-os-no-such-program', ['--version'], { cwd: dir }).catch((e: unknown) => e)) as ProcessError;
      expect(error).toBeInstanceOf(ProcessError);
      expect(error.message).toMatch(
        /^immutable-os-no-such-program --version could not start: immutable-os-no-such-program was not found on PATH; install it or check its name \(.*ENOENT\)\.$/,
      );
      expect(error.exitCode).toBeUndefined();
    });
  
    test('a program given by path that does not exist, or is not executable, says which', async () => {
      await expect(run(join(dir, 'missing'), [], { cwd: dir })).rejects.toThrow(`could not start: ${join(dir, 'missing')} was not found; install it`);
      await expect(run(fixture('echo.js'), [], { cwd: dir })).rejects.toThrow(
        `could not start: ${fixture('echo.js')} is not executable; check its permissions`,
      );
    });
  
    test('a missing working folder is named, not blamed on the program', async () => {
      await expect(run(node, [fixture('echo.js')], { cwd: join(dir, 'gone') })).rejects.toThrow(
        `could not start: its working folder ${join(dir, 'gone')} does not exist`,
      );
    });
  
    test('a process killed by a signal says so', async () => {
      await expect(run(node, [fixture('kill-self.js')], { cwd: dir })).rejects.toThrow(/kill-self\.js was killed by SIGKILL\./);
    });
  
    test('without input the standard input is empty (nothing waits on it)', async () => {
      expect((await run(node, [fixture('stdin.js')], { cwd: dir })).stdout).toBe('got:');
    });
  
    test('runs in cwd and inherits the environment; env adds to it', async () => {
      process.env.IMMUTABLE_OS_SPEC = 'inherited';
      try {
        const plain = JSON.parse((await run(node, [fixture('env-cwd.js')], { cwd: tmpdir() })).stdout);
        expect(plain).toEqual({ cwd: realpathSync(tmpdir()), spec: 'inherited' });
        const withEnv = JSON.parse((await run(node, [fixture('env-cwd.js')], { cwd: dir, env: { EXTRA: 'x' } })).stdout);
        expect(withEnv).toEqual({ cwd: dir, spec: 'inherited', extra: 'x' });
      } finally {
        delete process.env.IMMUTABLE_OS_SPEC;
      }
    });
  
  });

  describe('runProcess only', () => {
    test('keeps the output while streaming it (the default)', async () => {
      expect(await runProcess(node, [fixture('echo.js'), 'streamed'], { cwd: dir })).toEqual({ stdout: 'out:streamed', stderr: 'err line' });
    });
  
    test('input reaches the standard input, and never the error', async () => {
      expect(await runProcess(node, [fixture('stdin.js')], { cwd: dir, stream: false, input: 'hunter2-secret' })).toEqual({
        stdout: 'got:hunter2-secret',
        stderr: '',
      });
      const error = await runProcess(node, [fixture('fail.js')], { cwd: dir, stream: false, input: 'hunter2-secret' }).catch((e: unknown) => e);
      expect(inspect(error, { depth: 10 })).not.toContain('hunter2');
    });
  
    test('an AbortSignal stops a long-running child', async () => {
      const controller = new AbortController();
      const started = Date.now();
      setTimeout(() => controller.abort(), 300);
      await expect(runProcess(node, [fixture('hang.js')], { cwd: dir, stream: false, signal: controller.signal })).rejects.toThrow(
        /hang\.js was stopped \(interrupted\)\./,
      );
      expect(Date.now() - started).toBeLessThan(4000);
    });
  });
});

describe('formatCommand', () => {
  test.each([
    ['plain', 'plain'],
    ['--tag=localhost/x:1', '--tag=localhost/x:1'],
    ['a b', `'a b'`],
    ['$(id)', `'$(id)'`],
    [`it's`, `'it'\\''s'`],
    ['', `''`],
  ])('quotes %j as %s', (arg, shown) => {
    expect(quoteForDisplay(arg)).toBe(shown);
  });

  test('joins the program and its quoted arguments', () => {
    expect(formatCommand('podman', ['build', '--label', 'note=a b', '.'])).toBe(`podman build --label 'note=a b' .`);
  });
});
