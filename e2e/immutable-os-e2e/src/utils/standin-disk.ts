import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { childEnv } from './child-env';
import { runOk } from './run';

const MARKER = 'bib-standin ';

/**
 * The stand-in builder's line for a file it wrote, `bib-standin <type> <image id> <rootfs> <arch> …`:
 * the first line of its text files, or, in the bootable disks it makes (raw, qcow2, vmdk, vhd), the
 * line at the start of the BIOS boot partition, 1 MiB in (tools/fixtures/bib-standin/README.md).
 */
export function standinLine(file: string): string {
  const head = Buffer.alloc(MARKER.length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1') === MARKER) return readFileSync(file, 'utf8').split('\n')[0];
  const dir = mkdtempSync(join(tmpdir(), 'standin-line-'));
  try {
    // qemu-img dd's count includes the skipped blocks: this copies the second MiB.
    runOk('qemu-img', ['dd', `if=${file}`, `of=${join(dir, 'head')}`, '-O', 'raw', 'bs=1M', 'skip=1', 'count=2'], { cwd: dir, env: childEnv(), timeoutMs: 60_000 });
    return readFileSync(join(dir, 'head'), 'latin1').split('\n')[0];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
