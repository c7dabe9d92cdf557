import { ProcessError, runProcess, type RunOptions } from '../../../utils/run-process';

/** How to run podman as root: directly, or through sudo when podman here is rootless. */
export interface RootPodman {
  command: string;
  prefix: string[];
}

const SUDO_FIX = 'bootc-image-builder needs rootful podman: run the task as root, or let immutable-os use sudo (sudo: auto or always) with sudo set up for podman.';

/** Decides how to reach root's podman: the `sudo` option, whether we are root, and podman's rootless mode. */
export async function rootPodman(sudo: 'auto' | 'always' | 'never', cwd: string): Promise<RootPodman> {
  if (sudo === 'always') return withSudo(cwd);
  const rootless = await podmanIsRootless(cwd);
  if (!rootless) return { command: 'podman', prefix: [] };
  if (sudo === 'never') throw new Error(`podman is rootless here and sudo is "never". ${SUDO_FIX}`);
  return withSudo(cwd);
}

/** Runs `podman args` as root. */
export function runRootPodman(podman: RootPodman, args: readonly string[], options: RunOptions) {
  return runProcess(podman.command, [...podman.prefix, ...args], options);
}

async function podmanIsRootless(cwd: string): Promise<boolean> {
  try {
    const { stdout } = await runProcess('podman', ['info', '--format', '{{.Host.Security.Rootless}}'], { cwd, stream: false });
    return stdout.trim() === 'true';
  } catch (error) {
    if (error instanceof ProcessError && error.exitCode === undefined) {
      throw new Error('podman was not found on PATH: bootc-convert runs bootc-image-builder with podman (docker cannot serve: the builder reads podman\'s storage). Install podman (apt-get install podman / dnf install podman).', { cause: error });
    }
    throw error;
  }
}

async function withSudo(cwd: string): Promise<RootPodman> {
  // Non-interactive unless a person is at the terminal to type a password.
  const prefix = process.stdin.isTTY ? ['podman'] : ['--non-interactive', 'podman'];
  try {
    await runProcess('sudo', [...prefix, '--version'], { cwd, stream: false });
  } catch (error) {
    const ran = (error as Error).message.split('\n')[0].replace(/\.$/, '');
    const said = error instanceof ProcessError && error.stderrTail ? `: ${error.stderrTail.trim().split('\n').pop()}` : '';
    const password = /password/i.test(said) ? ' sudo needs a password and cannot ask for one here: run sudo -v first, or allow podman without a password in sudoers.' : '';
    throw new Error(`Could not run podman through sudo (${ran}${said}).${password} ${SUDO_FIX}`, { cause: error });
  }
  return { command: 'sudo', prefix };
}
