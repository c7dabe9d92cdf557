import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestWorkspace, type TestWorkspace } from '../../../testing/test-workspace';
import { runProcess } from '../../../utils/run-process';
import { whileInterruptible } from './interrupt';

// A child that writes its pid to a file (so the spec knows it runs), then sleeps for a minute.
const SLEEPER = "require('fs').writeFileSync(process.argv[1], String(process.pid)); setTimeout(() => {}, 60000);";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('whileInterruptible', () => {
  let ws: TestWorkspace;
  let exitCode: typeof process.exitCode;
  beforeEach(() => {
    ws = createTestWorkspace();
    exitCode = process.exitCode;
  });
  afterEach(() => {
    process.exitCode = exitCode;
    ws.cleanup();
  });

  const listeners = () => ({ SIGINT: process.listenerCount('SIGINT'), SIGTERM: process.listenerCount('SIGTERM') });
  const sleep = (pidFile: string) => (signal: AbortSignal) => runProcess(process.execPath, ['-e', SLEEPER, pidFile], { cwd: ws.root, signal, stream: false });

  test.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s stops the child, runs the cleanup, says "Interrupted" and sets exit code %d', async (signal, code) => {
    const before = listeners();
    const pidFile = join(ws.root, 'child.pid');
    const cleanup = jest.fn(async () => undefined);

    const running = whileInterruptible(sleep(pidFile), cleanup);
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '', 'the child to start');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(pid)).toBe(true);
    // Ours, and execa's own while a child runs (it kills children when the parent dies).
    expect(listeners().SIGINT).toBeGreaterThan(before.SIGINT);
    expect(listeners().SIGTERM).toBeGreaterThan(before.SIGTERM);

    process.emit(signal, signal);
    const error: Error = await running.then(
      () => {
        throw new Error('whileInterruptible resolved after a signal');
      },
      (e: Error) => e,
    );

    expect(error.message).toBe(`Interrupted by ${signal}: the builder was stopped and the previous output was left as it was.`);
    expect((error.cause as Error).message).toContain('was stopped (interrupted)');
    expect(cleanup).toHaveBeenCalledTimes(1);
    expect(process.exitCode).toBe(code);
    expect(alive(pid)).toBe(false);
    expect(listeners()).toEqual(before);
  });

  test('a failing cleanup does not hide the interrupt', async () => {
    const pidFile = join(ws.root, 'child.pid');
    const running = whileInterruptible(sleep(pidFile), async () => {
      throw new Error('podman rm failed');
    });
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '', 'the child to start');
    process.emit('SIGINT', 'SIGINT');
    await expect(running).rejects.toThrow('Interrupted by SIGINT: the previous output was left as it was, but cleaning up failed: podman rm failed');
    expect(process.exitCode).toBe(130);
  });

  test('the cleanup starts at the signal, before the work ends (removing the container is what ends an attached podman)', async () => {
    let removeContainer = () => undefined as void;
    const removed = new Promise<void>((resolve) => (removeContainer = resolve));
    // Like `podman run`: the abort alone does not end it, only the container's removal does.
    const work = async () => {
      await removed;
      throw new Error('podman run: container removed');
    };
    const cleanup = jest.fn(async () => removeContainer());
    const running = whileInterruptible(work, cleanup);
    process.emit('SIGINT', 'SIGINT');
    process.emit('SIGINT', 'SIGINT');
    await expect(running).rejects.toThrow('Interrupted by SIGINT');
    expect(cleanup).toHaveBeenCalledTimes(1);
    expect(process.exitCode).toBe(130);
  });

  test('without a signal: the result passes through, no cleanup, exit code untouched, listeners removed', async () => {
    const before = listeners();
    const cleanup = jest.fn(async () => undefined);
    const result = await whileInterruptible(
      (signal) => runProcess(process.execPath, ['-e', 'process.stdout.write("done")'], { cwd: ws.root, signal, stream: false }),
      cleanup,
    );
    expect(result.stdout).toBe('done');
    expect(cleanup).not.toHaveBeenCalled();
    expect(process.exitCode).toBe(exitCode);
    expect(listeners()).toEqual(before);
  });

  test('a failure without a signal is passed on as it is, without cleanup', async () => {
    const before = listeners();
    const cleanup = jest.fn(async () => undefined);
    await expect(
      whileInterruptible((signal) => runProcess(process.execPath, ['-e', 'process.exit(3)'], { cwd: ws.root, signal, stream: false }), cleanup),
    ).rejects.toThrow('failed with exit code 3');
    expect(cleanup).not.toHaveBeenCalled();
    expect(process.exitCode).toBe(exitCode);
    expect(listeners()).toEqual(before);
  });
});
