/**
 * Runs `work` so that Ctrl-C (SIGINT) or SIGTERM stops it: at the signal, `cleanup` starts (e.g.
 * removes the builder container) and `work`'s process is aborted; once both are done the error
 * propagates, so callers' `finally` blocks leave no half-written output.
 *
 * The cleanup starts at once rather than after `work` ends: an attached `podman run` only forwards
 * signals to the container and waits for it, and Nx force-kills a task's whole process tree a few
 * seconds after Ctrl-C, so waiting for podman first would leave the builder container running.
 */
export async function whileInterruptible<T>(work: (signal: AbortSignal) => Promise<T>, cleanup: () => Promise<unknown>): Promise<T> {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  let cleaning: Promise<unknown> = Promise.resolve();
  let cleanupError: Error | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) return;
    received = signal;
    cleaning = cleanup().catch((error: Error) => (cleanupError = error));
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work(controller.signal);
  } catch (error) {
    if (received) {
      await cleaning;
      process.exitCode = received === 'SIGINT' ? 130 : 143;
      const outcome = cleanupError ? `the previous output was left as it was, but cleaning up failed: ${cleanupError.message}` : 'the builder was stopped and the previous output was left as it was.';
      throw new Error(`Interrupted by ${received}: ${outcome}`, { cause: error });
    }
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
