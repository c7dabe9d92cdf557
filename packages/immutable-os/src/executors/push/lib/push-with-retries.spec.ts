import { ProcessError } from '../../../utils/run-process';
import { withRetries } from './push-with-retries';

const failure = (stderr: string) => new ProcessError(`podman push failed with exit code 125.\n  ${stderr}`, 'podman push', 125, stderr);

describe('withRetries', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => (warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined)));
  afterEach(() => warn.mockRestore());

  // An attempt that fails with each error in turn, then succeeds.
  function attempts(...errors: Error[]) {
    let calls = 0;
    const attempt = jest.fn(async () => {
      const error = errors[calls++];
      if (error) throw error;
      return 'pushed';
    });
    return attempt;
  }

  test('retries transient errors after 1 s, 2 s and 4 s', async () => {
    const sleep = jest.fn(async () => undefined);
    const attempt = attempts(
      failure('Error: dial tcp 10.0.0.1:443: connect: connection refused'),
      failure('Error: writing blob: unexpected EOF'),
      failure('received unexpected HTTP status: 503 Service Unavailable'),
    );
    await expect(withRetries('Pushing r/x:1', 3, attempt, sleep)).resolves.toBe('pushed');
    expect(attempt).toHaveBeenCalledTimes(4);
    expect(sleep.mock.calls).toEqual([[1000], [2000], [4000]]);
    expect(warn.mock.calls.map(([m]) => m)).toEqual([
      'Pushing r/x:1 failed with a network error; retrying in 1 s (1/3).',
      'Pushing r/x:1 failed with a network error; retrying in 2 s (2/3).',
      'Pushing r/x:1 failed with a network error; retrying in 4 s (3/3).',
    ]);
  });

  test.each([
    'Error: dial tcp: lookup registry.example: i/o timeout',
    'net/http: TLS handshake timeout',
    'read tcp 10.0.0.2:5000: connection reset by peer',
    'received unexpected HTTP status: 502 Bad Gateway',
    'received unexpected HTTP status: 504 Gateway Time-out',
    'toomanyrequests: too many requests',
    'unexpected status code 429',
  ])('%s is transient', async (stderr) => {
    const sleep = jest.fn(async () => undefined);
    await expect(withRetries('Pushing', 1, attempts(failure(stderr)), sleep)).resolves.toBe('pushed');
    expect(sleep).toHaveBeenCalledTimes(1);
  });

  test('after the last retry the message says how many attempts were made, with the last error', async () => {
    const sleep = jest.fn(async () => undefined);
    const last = failure('Error: dial tcp: connection refused (3)');
    const attempt = attempts(failure('dial tcp: connection refused (1)'), failure('dial tcp: connection refused (2)'), last);
    const error = await withRetries('Pushing r/x:1', 2, attempt, sleep).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(`Pushing r/x:1 failed after 3 attempts.\n${last.message}`);
    expect((error as Error).cause).toBe(last);
    expect(sleep.mock.calls).toEqual([[1000], [2000]]);
  });

  test.each([
    'Error: unauthorized: authentication required',
    'denied: requested access to the resource is denied',
    'unauthorized: incorrect username or password (dial tcp fallback)',
  ])('auth errors are not retried: %s', async (stderr) => {
    const sleep = jest.fn(async () => undefined);
    const error = failure(stderr);
    const attempt = attempts(error);
    await expect(withRetries('Pushing', 3, attempt, sleep)).rejects.toBe(error);
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(sleep).not.toHaveBeenCalled();
  });

  test.each([
    ['a non-network engine error', failure('Error: manifest invalid: blob unknown to registry')],
    ['a digest that happens to hold 429', failure(`Error: blob sha256:0a4290${'e'.repeat(58)} unknown`)],
    ['a word that holds "eof"', failure('Error: the whereof is invalid')],
    ['an error that is no process error', new Error('dial tcp: connection refused')],
  ])('%s fails at once', async (_name, error) => {
    const sleep = jest.fn(async () => undefined);
    await expect(withRetries('Pushing', 3, attempts(error), sleep)).rejects.toBe(error);
    expect(sleep).not.toHaveBeenCalled();
  });

  test('retries 0 gives one attempt and the original error', async () => {
    const sleep = jest.fn(async () => undefined);
    const error = failure('dial tcp: connection refused');
    await expect(withRetries('Pushing', 0, attempts(error), sleep)).rejects.toBe(error);
    expect(sleep).not.toHaveBeenCalled();
  });
});
