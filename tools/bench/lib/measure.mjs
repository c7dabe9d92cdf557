import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { display } from './proc.mjs';

const GNU_TIME = '/usr/bin/time';
const PAGE_KB = 4;
const SAMPLE_MS = 50;

/**
 * Runs one command and measures it: wall time (ms), the peak of the summed RSS of its whole
 * process tree (Nx's plugin workers and forked tasks included), sampled from /proc every 50 ms,
 * and the largest single process's max RSS from GNU time (wait4's ru_maxrss).
 */
export async function measure(command, args, { cwd, env, expectExit = 0 }) {
  if (!existsSync(GNU_TIME)) throw new Error(`${GNU_TIME} not found: install Debian's "time" package (bash tools/ci/setup-host.sh does).`);
  const work = mkdtempSync(join(tmpdir(), 'bench-measure-'));
  const timeFile = join(work, 'time');
  // Output goes to files, not pipes: Nx can exit before a pipe is drained and lose the end of its output.
  const outFd = openSync(join(work, 'stdout'), 'w');
  const errFd = openSync(join(work, 'stderr'), 'w');
  const started = performance.now();
  const child = spawn(GNU_TIME, ['-f', '%M', '-o', timeFile, command, ...args], { cwd, env, stdio: ['ignore', outFd, errFd] });
  let peakTreeKb = 0;
  const sampler = setInterval(() => {
    peakTreeKb = Math.max(peakTreeKb, treeRssKb(child.pid));
  }, SAMPLE_MS);
  const code = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (c, signal) => resolve(c ?? signal));
  });
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  closeSync(outFd);
  closeSync(errFd);
  let maxProcessKb, stdout, stderr;
  try {
    maxProcessKb = Number(readFileSync(timeFile, 'utf8').trim().split('\n').at(-1));
    stdout = readFileSync(join(work, 'stdout'), 'utf8');
    stderr = readFileSync(join(work, 'stderr'), 'utf8');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (expectExit !== undefined && code !== expectExit) {
    const last = (text, n) => text.trim().split('\n').slice(-n).join('\n');
    const tail = `${last(stdout, 15)}\n--- stderr ---\n${last(stderr, 15)}`;
    throw new Error(`${display(command, args)} (in ${cwd}) exited with ${code}, expected ${expectExit}:\n${tail}`);
  }
  return { wallMs, peakTreeKb, maxProcessKb, stdout, stderr, code };
}

// Sum of resident memory over `root` and all its descendants (children lists of every thread).
function treeRssKb(root) {
  let total = 0;
  const queue = [root];
  const seen = new Set();
  while (queue.length) {
    const pid = queue.pop();
    if (seen.has(pid)) continue;
    seen.add(pid);
    try {
      total += Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * PAGE_KB;
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const children = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
        if (children) queue.push(...children.split(' ').map(Number));
      }
    } catch {
      // The process ended between two reads.
    }
  }
  return total;
}
