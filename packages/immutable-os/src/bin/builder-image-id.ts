/**
 * `node builder-image-id.js <image>`: prints the ID of the builder image in root's container
 * storage, or `absent`. bootc-convert's hash runs it (a runtime input, see plugins/build-inputs.ts)
 * when the builder image is a moving tag such as :latest, so disks made by an older builder are not
 * served from the cache once a newer one has been pulled. Reads root's storage as bootc-convert
 * does: directly as root or with rootful podman, else through `sudo -n`.
 */
import { execFileSync } from 'node:child_process';

function podman(args: string[], sudo: boolean): string {
  const [command, prefix] = sudo ? ['sudo', ['-n', 'podman']] : ['podman', []];
  return execFileSync(command, [...prefix, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
}

function main(image: string | undefined): string {
  if (!image) return 'absent';
  let sudo = false;
  try {
    sudo = process.getuid?.() !== 0 && podman(['info', '--format', '{{.Host.Security.Rootless}}'], false) === 'true';
    return podman(['image', 'inspect', '--format', '{{.Id}}', image], sudo) || 'absent';
  } catch {
    return sudo ? 'unknown: root\'s storage not readable without a password' : 'absent';
  }
}

process.stdout.write(`${main(process.argv[2])}\n`);
