import { setTimeout as delay } from 'node:timers/promises';
import { ProcessError } from '../../../utils/run-process';
import { runRootPodman, type RootPodman } from './root-podman';

const ATTEMPTS = 5;

/**
 * Removes the builder container at once (`--time 0`: a builder that ignores SIGTERM gets no grace)
 * and checks that it is gone, trying again if not. At Ctrl-C, Nx sends SIGTERM to the task's
 * processes that exist at that moment: a `podman rm` that gets it while still starting up ends
 * without removing anything, while one started a moment later is left alone.
 */
export async function removeContainer(podman: RootPodman, name: string, cwd: string, pauseMs = 200): Promise<void> {
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    await runRootPodman(podman, ['rm', '--force', '--time', '0', '--ignore', name], { cwd, stream: false }).catch(() => undefined);
    if (await isGone(podman, name, cwd)) return;
    if (attempt < ATTEMPTS) await delay(pauseMs);
  }
  throw new Error(`The builder container ${name} could not be removed after ${ATTEMPTS} attempts; remove it with ${[podman.command, ...podman.prefix].join(' ')} rm --force ${name}.`);
}

// `podman container exists` exits 1 for a missing container; 0, an error or a signal do not prove it gone.
async function isGone(podman: RootPodman, name: string, cwd: string): Promise<boolean> {
  try {
    await runRootPodman(podman, ['container', 'exists', name], { cwd, stream: false });
    return false;
  } catch (error) {
    return error instanceof ProcessError && error.exitCode === 1;
  }
}
