/**
 * Runs `work` so that Ctrl-C (SIGINT) or SIGTERM stops it: the signal aborts `work`'s process,
 * `cleanup` then runs (e.g. removes the builder container) and the error propagates, so callers'
 * `finally` blocks leave no half-written output.
 */
export async function whileInterruptible<T>(work: (signal: AbortSignal) => Promise<T>, cleanup: () => Promise<unknown>): Promise<T> {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    received = signal;
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work(controller.signal);
  } catch (error) {
    if (received) {
      await cleanup().catch(() => undefined);
      process.exitCode = received === 'SIGINT' ? 130 : 143;
      throw new Error(`Interrupted by ${received}: the builder was stopped and the previous output was left as it was.`, { cause: error });
    }
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
