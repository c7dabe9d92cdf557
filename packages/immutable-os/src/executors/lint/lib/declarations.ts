import { posix } from 'node:path';
import type { CopiedFile } from './image-content';
import { normalizePath } from './shell-effects';

/** Folders whose `*.conf` files systemd-tmpfiles reads, in the image (tmpfiles.d(5)). */
export const TMPFILES_DIRS = ['/usr/lib/tmpfiles.d', '/etc/tmpfiles.d'];
/** Folders whose `*.conf` files systemd-sysusers reads (sysusers.d(5)). */
export const SYSUSERS_DIRS = ['/usr/lib/sysusers.d', '/etc/sysusers.d'];

/** The copied `*.conf` files of a configuration folder. */
export function confFiles(copied: readonly CopiedFile[], dirs: readonly string[]): CopiedFile[] {
  return copied.filter((file) => file.type === 'file' && file.path.endsWith('.conf') && dirs.includes(posix.dirname(file.path)));
}

/**
 * The paths the image's tmpfiles.d lines create (types d, D, e, v, q, Q, L, C, f, F, w, p, c, b;
 * bootc's var-tmpfiles counts every line's path, crates/tmpfiles/src/lib.rs), without specifiers.
 */
export function tmpfilesPaths(copied: readonly CopiedFile[]): Set<string> {
  const paths = new Set<string>();
  for (const file of confFiles(copied, TMPFILES_DIRS)) {
    for (const fields of configLines(safeRead(file))) {
      const [, path] = fields;
      if (path?.startsWith('/') && !path.includes('%')) paths.add(normalizePath(path));
    }
  }
  return paths;
}

/** The user (`u`, `u!`) and group (`g`, and `m` groups) names the image's sysusers.d lines declare. */
export function sysusersNames(copied: readonly CopiedFile[]): { users: Set<string>; groups: Set<string> } {
  const users = new Set<string>();
  const groups = new Set<string>();
  for (const file of confFiles(copied, SYSUSERS_DIRS)) {
    for (const [type, name, third] of configLines(safeRead(file))) {
      if (!name) continue;
      if (type.startsWith('u')) {
        users.add(name);
        groups.add(name); // a `u` line makes the group of the same name too (sysusers.d(5))
      } else if (type === 'g') groups.add(name);
      else if (type === 'm' && third) groups.add(third);
    }
  }
  return { users, groups };
}

// The whitespace-separated fields of each non-comment line; quoted fields keep their spaces.
function configLines(text: string): string[][] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]));
}

function safeRead(file: CopiedFile): string {
  try {
    return file.read();
  } catch {
    return '';
  }
}
