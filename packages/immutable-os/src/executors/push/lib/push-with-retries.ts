import { ProcessError } from '../../../utils/run-process';

// Whole words only: a digest or a path may hold "429" or "eof" without being a network error.
const TRANSIENT = /dial tcp|connection (refused|reset)|i\/o timeout|TLS handshake timeout|\bEOF\b|502 Bad Gateway|503 Service Unavailable|504 Gateway|too many requests|\b429\b/i;

/** Runs `attempt`, retrying after transient network errors with exponential backoff; other errors fail at once. */
export async function withRetries<T>(
  what: string,
  retries: number,
  attempt: () => Promise<T>,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      const transient = error instanceof ProcessError && TRANSIENT.test(error.stderrTail) && !/unauthorized|denied|authentication required/i.test(error.stderrTail);
      if (!transient || n >= retries) {
        if (transient && retries > 0) {
          throw new Error(`${what} failed after ${retries + 1} attempts.\n${(error as Error).message}`, { cause: error });
        }
        throw error;
      }
      const delay = 1000 * 2 ** n;
      console.warn(`${what} failed with a network error; retrying in ${delay / 1000} s (${n + 1}/${retries}).`);
      await sleep(delay);
    }
  }
}
