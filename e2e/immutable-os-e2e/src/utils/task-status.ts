import { describeFailure, output, type RunResult } from './run';

export type TaskStatus = 'ran' | 'cache';

// nx's task line: "> nx run flavor-a:bootc-push --tlsVerify=false" (static output style) or
// "✔  nx run base:bootc-build" (compact), ending in "[local cache]" (older nx: "[existing outputs
// match the cache, left as is]") when the task came from the cache.
const HEADER = /^\s*(?:>|✔|✖)\s+nx run (\S+)(.*)$/;
const FROM_CACHE = /\[[^\]]*cache[^\]]*\]\s*$/;

/**
 * The tasks an nx run printed a line for, in order, each ran or restored from the cache. Run nx with
 * --outputStyle=static: otherwise `nx run` leaves out the dependencies that ran.
 */
export function taskStatuses(output: string): Array<{ task: string; status: TaskStatus }> {
  const seen: Array<{ task: string; status: TaskStatus }> = [];
  for (const line of stripAnsi(output).split('\n')) {
    const match = HEADER.exec(line);
    if (!match) continue;
    const task = match[1];
    const status: TaskStatus = FROM_CACHE.test(match[2]) ? 'cache' : 'ran';
    if (!seen.some((s) => s.task === task)) seen.push({ task, status });
  }
  return seen;
}

/** taskStatuses as an object: task -> status. */
export function taskStatusMap(output: string): Record<string, TaskStatus> {
  return Object.fromEntries(taskStatuses(output).map(({ task, status }) => [task, status]));
}

export function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, '');
}

/** Asserts how nx handled each listed task (ran, or from the cache); the failure shows nx's output. */
export function expectTasks(result: RunResult, expected: Record<string, TaskStatus>): void {
  const actual = taskStatusMap(output(result));
  const picked = Object.fromEntries(Object.keys(expected).map((task) => [task, actual[task]]));
  if (JSON.stringify(picked) !== JSON.stringify(expected)) {
    throw new Error(`Expected tasks ${JSON.stringify(expected)}, got ${JSON.stringify(actual)} from:\n${describeFailure(result)}`);
  }
}
