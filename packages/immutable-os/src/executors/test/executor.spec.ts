/**
 * The executor on real qemu (TCG, or KVM where it works), with a disk that holds nothing to boot:
 * the firmware's failure fails the target, and the reports say why. Booting converted disks to
 * their console lines is the e2e's.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import testExecutor from './executor';

let root: string;
const context = (): ExecutorContext => ({ root, projectName: 'kiosk', cwd: root, isVerbose: false, projectsConfigurations: { version: 2, projects: { kiosk: { root: 'images/kiosk' } } } }) as unknown as ExecutorContext;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'bootc-test-executor-'));
  mkdirSync(join(root, 'dist/disks/kiosk/qcow2'), { recursive: true });
  execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', join(root, 'dist/disks/kiosk/qcow2/disk.qcow2'), '64M']);
  writeFileSync(
    join(root, 'dist/disks/kiosk/artifacts.json'),
    JSON.stringify({ imageId: 'f00d', targetArch: null, artifacts: [{ type: 'qcow2', path: 'dist/disks/kiosk/qcow2/disk.qcow2', sha256: 'ab12' }] }),
  );
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  jest.restoreAllMocks();
  rmSync(root, { recursive: true, force: true });
});

test('a disk with nothing to boot fails with the firmware\'s line, and the reports say so', async () => {
  await expect(testExecutor({ expect: ['system is up'], memory: 256, cpus: 1, timeout: 120 }, context())).resolves.toEqual({ success: false });
  const out = join(root, 'dist/tests/kiosk');
  const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
  expect(result).toMatchObject({
    project: 'kiosk',
    status: 'failed',
    reason: expect.stringContaining('UEFI Interactive Shell'),
    disk: { type: 'qcow2', path: 'dist/disks/kiosk/qcow2/disk.qcow2', sha256: 'ab12' },
    imageId: 'f00d',
    arch: 'x86_64',
    firmware: 'uefi',
    accel: expect.stringMatching(/^(kvm|tcg)$/),
    accelNote: expect.stringMatching(/^(KVM|TCG: .+)$/),
    console: 'console.log',
  });
  expect(result.checks.map((c: { pattern: string; passed: boolean }) => [c.pattern, c.passed])).toContainEqual(['UEFI Interactive Shell', false]);
  expect(readFileSync(join(out, 'console.log'), 'utf8')).toContain('UEFI Interactive Shell');
  expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toMatch(/<testsuite name="kiosk" tests="\d+" failures="2"/);
  const printed = (console.error as jest.Mock).mock.calls.flat().join('\n');
  expect(printed).toMatch(/bootc-test: kiosk failed after [\d.]+ s \((kvm|tcg), uefi\): the console showed .*UEFI Interactive Shell/);
  expect(printed).toContain('The console ended with:');
}, 240_000);

test('a project whose disks are all installers has nothing to boot: it says so and passes', async () => {
  writeFileSync(join(root, 'dist/disks/kiosk/artifacts.json'), JSON.stringify({ artifacts: [{ type: 'anaconda-iso', path: 'dist/disks/kiosk/bootiso/install.iso' }] }));
  await expect(testExecutor({}, context())).resolves.toEqual({ success: true });
  expect((console.log as jest.Mock).mock.calls.flat().join('\n')).toMatch(/bootc-test: nothing to boot for kiosk: .*bootc-convert made anaconda-iso/);
  expect(existsSync(join(root, 'dist/tests'))).toBe(false);
});

test('bad options change nothing: no reports, an error naming the option', async () => {
  await expect(testExecutor({ firmware: 'efi' as never }, context())).rejects.toThrow(/option "firmware" must be one of uefi, bios/);
  expect(existsSync(join(root, 'dist/tests'))).toBe(false);
});
