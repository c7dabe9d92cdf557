import { lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chownTree } from './own-outputs';

const asRoot = process.getuid?.() === 0 ? test : test.skip;

describe('chownTree', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'own-outputs-'));
    mkdirSync(join(dir, 'qcow2'));
    writeFileSync(join(dir, 'qcow2/disk.qcow2'), 'disk');
    writeFileSync(join(dir, 'artifacts.json'), '{}');
    symlinkSync('/etc/hostname', join(dir, 'link'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const owners = () =>
    Object.fromEntries(['.', 'qcow2', 'qcow2/disk.qcow2', 'artifacts.json', 'link'].map((p) => [p, `${lstatSync(join(dir, p)).uid}:${lstatSync(join(dir, p)).gid}`]));

  asRoot('as root: the folder, every entry below it and symlinks themselves (not their targets) go to UID:GID', () => {
    const etcHostname = lstatSync('/etc/hostname');
    chownTree(dir, '4242:4343');
    expect(owners()).toEqual({ '.': '4242:4343', qcow2: '4242:4343', 'qcow2/disk.qcow2': '4242:4343', 'artifacts.json': '4242:4343', link: '4242:4343' });
    expect(lstatSync('/etc/hostname').uid).toBe(etcHostname.uid);
  });

  asRoot('as root, a UID alone keeps the group', () => {
    chownTree(dir, '4242');
    const gid = lstatSync(dir).gid;
    expect(Object.values(owners())).toEqual(Array(5).fill(`4242:${gid}`));
  });

  test('not root: nothing is changed', () => {
    const before = owners();
    chownTree(dir, '4242:4343', false);
    expect(owners()).toEqual(before);
  });
});
