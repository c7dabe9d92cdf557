import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { specWorkspace } from './setup/workspace';
import { childEnv } from './utils/child-env';
import { readE2eContext } from './utils/e2e-context';
import { readJson, readText, updateJson, writeFile } from './utils/files';
import { commitAll } from './utils/git';
import { nx, nxOk, spawnNx } from './utils/nx';
import { describeFailure, output, run, runOk } from './utils/run';
import { signalGroup, sleep } from './utils/server-process';
import { taskStatusMap } from './utils/task-status';

// bootc-test with the real nx CLI: the generated fleet (edge-node on the offline bootc-mini base,
// kiosk FROM edge-node) built with real podman, converted by the builder stand-in into disks that
// really boot (tools/fixtures/bib-standin), and booted by real qemu (TCG here: KVM fails on this
// machine; bootc-test detects that). Each flavor's rootfs adds a boot script printing its own
// marker (tools/fixtures/bootc-mini/README.md: the lines bootc-mini prints).
const { repoRoot } = readE2eContext();
const workspace = specWorkspace('boot-test');
const suffix = randomBytes(4).toString('hex');
const EDGE = `edge-${suffix}`;
const KIOSK = `kiosk-${suffix}`;
const marker = (project: string) => `marker: ${project} is here`;

interface ResultJson {
  status: string;
  reason: string | null;
  accel: string;
  accelNote: string;
  firmware: string;
  disk: { type: string; path: string; sha256: string };
  checks: Array<{ kind: string; pattern: string; passed: boolean; line: string | null }>;
  ssh?: Array<{ name: string; command: string; passed: boolean; exitCode: number | null; reason: string | null; output: string }>;
}

function result(project: string): ResultJson {
  return readJson<ResultJson>(workspace, `dist/tests/${project}/result.json`);
}

function bootScript(project: string, body: string): void {
  writeFile(workspace, `images/${project}/rootfs/etc/boot.d/50-${project}.sh`, `#!/bin/sh\n${body}\n`);
}

const ROOTFS_CHECK = { name: 'kiosk and edge-node boot scripts are in the booted disk', run: `test -f /etc/boot.d/50-${KIOSK}.sh && test -f /etc/boot.d/50-${EDGE}.sh` };
const KIOSK_SSH = [ROOTFS_CHECK, 'uname -m; id -un'];

function sshCommands(project: string, commands: unknown[]): void {
  updateJson(workspace, `images/${project}/project.json`, (json) => ({ ...json, targets: { ...json.targets, 'bootc-test': { options: { ssh: { commands, timeout: 60 } } } } }));
}

beforeAll(() => {
  const fixture = { cwd: repoRoot, env: childEnv(), timeoutMs: 5 * 60 * 1000 };
  runOk('node', [join(repoRoot, 'tools', 'fixtures', 'make-base-image.mjs')], fixture);
  runOk('node', [join(repoRoot, 'tools', 'fixtures', 'make-builder-image.mjs')], fixture);
  nxOk(workspace, ['g', 'immutable-os:init', '--no-interactive']);
  nxOk(workspace, ['g', 'immutable-os:image', EDGE, '--base', 'localhost/bootc-mini:latest', '--image', `localhost/boot-test-${suffix}/edge`, '--no-interactive']);
  nxOk(workspace, ['g', 'immutable-os:image', KIOSK, '--from', EDGE, '--image', `localhost/boot-test-${suffix}/kiosk`, '--no-interactive']);
  bootScript(EDGE, `echo "${marker(EDGE)}"`);
  bootScript(KIOSK, `echo "${marker(KIOSK)}"`);
  // kiosk's boot test also logs in over SSH (bootc-mini's dropbear, root's key from the SMBIOS
  // credentials) and checks its own rootfs and edge-node's in the booted disk.
  sshCommands(KIOSK, KIOSK_SSH);
  updateJson(workspace, 'nx.json', (json) => ({
    ...json,
    targetDefaults: {
      ...json.targetDefaults,
      'bootc-convert': { options: { builderImage: 'localhost/bib-standin:latest' } },
      // bootc-mini prints these (no systemd); each project adds its own marker.
      'bootc-test': { options: { expect: ['^bootc-mini: system is up$', '^marker: {projectName} is here$'], fail: ['Kernel panic', 'bootc-mini: FAILED', 'bootc-mini initramfs: FAILED', 'UEFI Interactive Shell', 'No bootable device'], memory: 512, cpus: 1, timeout: 300 } },
    },
  }));
  commitAll(workspace, 'edge-node and kiosk on bootc-mini, each with a boot script printing its marker');
}, 10 * 60 * 1000);

describe('bootc-test boots the converted disks in qemu', () => {
  test('the fleet converts and boots: each console shows its own marker, the reports say so', () => {
    const first = nxOk(workspace, ['run-many', '-t', 'bootc-test', '--outputStyle=static']);
    const tasks = taskStatusMap(output(first));
    expect([tasks[`${EDGE}:bootc-test`], tasks[`${KIOSK}:bootc-test`]]).toEqual(['ran', 'ran']);
    for (const project of [EDGE, KIOSK]) {
      const report = result(project);
      expect(report).toMatchObject({ status: 'passed', reason: null, firmware: 'uefi', disk: { type: 'qcow2', path: `dist/disks/${project}/qcow2/disk.qcow2` } });
      expect(report.checks.find((c) => c.pattern.startsWith('^marker'))?.line).toBe(marker(project));
      const console = readText(workspace, `dist/tests/${project}/console.log`);
      expect(console).toContain(marker(project));
      // kiosk builds on edge-node: its disk holds both flavors' scripts; edge-node's only its own.
      expect(console.includes(marker(KIOSK))).toBe(project === KIOSK);
      expect(readText(workspace, `dist/tests/${project}/junit.xml`)).toMatch(/failures="0"/);
    }
    // kiosk's SSH checks ran in the booted guest: real dropbear, real ssh, the commands' output kept.
    expect(result(KIOSK).ssh?.map((c) => [c.name, c.passed, c.exitCode])).toEqual([
      [ROOTFS_CHECK.name, true, 0],
      ['uname -m; id -un', true, 0],
    ]);
    expect(result(KIOSK).ssh?.[1].output).toBe('x86_64\nroot\n');
    expect(readText(workspace, `dist/tests/${KIOSK}/ssh.log`)).toMatch(/# connected as root after [\d.]+ s\n/);
    expect(readText(workspace, `dist/tests/${KIOSK}/junit.xml`)).toContain(`name="ssh: ${ROOTFS_CHECK.name}"`);
    expect(result(EDGE).ssh).toBeUndefined();
    expect(output(first)).toContain(`bootc-test: ${KIOSK} booted`);
    expect(output(first)).toMatch(/and passed 2 SSH checks in [\d.]+ s/);
    // Said, not assumed: KVM where it works, else TCG with the reason.
    expect(result(EDGE).accelNote).toMatch(/^(KVM|TCG: .+)$/);
    expect(output(first)).toMatch(/bootc-test: \S+ booted \((kvm|tcg), uefi\) and showed every expected line/);
  }, 20 * 60 * 1000);

  test('a second run is a cache hit; a change to edge-node boots edge-node and kiosk again', () => {
    const again = nxOk(workspace, ['run-many', '-t', 'bootc-test', '--outputStyle=static']);
    const cached = taskStatusMap(output(again));
    expect([cached[`${EDGE}:bootc-test`], cached[`${KIOSK}:bootc-test`]]).toEqual(['cache', 'cache']);

    bootScript(EDGE, `echo "${marker(EDGE)}"\necho "edge-node changed"`);
    commitAll(workspace, 'edge-node: its boot script says more');
    const affected = nxOk(workspace, ['affected', '-t', 'bootc-test', '--base=HEAD~1', '--head=HEAD', '--outputStyle=static']);
    const rerun = taskStatusMap(output(affected));
    expect([rerun[`${EDGE}:bootc-test`], rerun[`${KIOSK}:bootc-test`]]).toEqual(['ran', 'ran']);
    expect(readText(workspace, `dist/tests/${KIOSK}/console.log`)).toContain('edge-node changed');
  }, 20 * 60 * 1000);

  test('a flavor whose boot fails fails bootc-test, with the console tail and the reports', () => {
    bootScript(KIOSK, 'echo "kiosk: starting the app"\nexit 3');
    commitAll(workspace, 'kiosk: a boot script that fails');
    const failed = nx(workspace, ['run', `${KIOSK}:bootc-test`, '--outputStyle=static']);
    if (failed.status === 0) throw new Error(`Expected bootc-test to fail:\n${describeFailure(failed)}`);
    expect(output(failed)).toMatch(new RegExp(`bootc-test: ${KIOSK} failed after [\\d.]+ s \\((kvm|tcg), uefi\\): the console showed "bootc-mini: FAILED /etc/boot.d/50-${KIOSK}.sh \\(exit 3\\)"`));
    expect(output(failed)).toContain('The console ended with:');
    expect(output(failed)).toContain('kiosk: starting the app');
    expect(result(KIOSK)).toMatchObject({ status: 'failed', reason: expect.stringContaining('bootc-mini: FAILED') });
    expect(readText(workspace, `dist/tests/${KIOSK}/junit.xml`)).toMatch(/<failure message="seen: bootc-mini: FAILED/);
    // The console failed first: the SSH checks never ran, and say so.
    expect(result(KIOSK).ssh?.map((c) => [c.passed, c.reason])).toEqual([
      [false, 'not run: the boot failed before the SSH checks'],
      [false, 'not run: the boot failed before the SSH checks'],
    ]);
  }, 20 * 60 * 1000);

  test('a command that fails in the guest over SSH fails bootc-test with its exit code and output', () => {
    sshCommands(EDGE, ['test -d /etc/boot.d', { name: 'the app is configured', run: 'cat /etc/app.conf' }]);
    const failed = nx(workspace, ['run', `${EDGE}:bootc-test`, '--excludeTaskDependencies', '--skip-nx-cache', '--outputStyle=static']);
    if (failed.status === 0) throw new Error(`Expected bootc-test to fail:\n${describeFailure(failed)}`);
    expect(output(failed)).toMatch(new RegExp(`bootc-test: ${EDGE} failed after [\\d.]+ s \\((kvm|tcg), uefi\\): the SSH check "the app is configured" failed: exit 1\\.`));
    expect(output(failed)).toContain("`cat /etc/app.conf` printed:\n  | cat: can't open '/etc/app.conf': No such file or directory");
    expect(result(EDGE)).toMatchObject({ status: 'failed', ssh: [{ name: 'test -d /etc/boot.d', passed: true, exitCode: 0 }, { name: 'the app is configured', passed: false, exitCode: 1, reason: 'exit 1' }] });
    expect(readText(workspace, `dist/tests/${EDGE}/junit.xml`)).toContain('<failure message="exit 1"/>');
  }, 10 * 60 * 1000);

  test('Ctrl-C while it boots leaves no qemu process', async () => {
    // A boot that waits for a line it never gets, so Ctrl-C finds qemu running.
    const nxRun = spawnNx(workspace, ['run', `${EDGE}:bootc-test`, '--excludeTaskDependencies', '--skip-nx-cache', '--expect=never printed', '--timeout=600', '--outputStyle=static']);
    const qemuRunning = () => run('pgrep', ['-f', `qemu-system-x86_64.*dist/disks/${EDGE}/`], { cwd: workspace, env: childEnv(), timeoutMs: 10_000 }).status === 0;
    const deadline = Date.now() + 120_000;
    while (!qemuRunning()) {
      if (Date.now() > deadline) throw new Error(`qemu never started:\n${nxRun.text()}`);
      await sleep(250);
    }
    await sleep(2_000);
    signalGroup(nxRun.pid, 'SIGINT');
    const { code } = await nxRun.exited;
    expect(code).not.toBe(0);
    await sleep(1_000);
    expect({ qemuLeft: qemuRunning() }).toEqual({ qemuLeft: false });
  }, 5 * 60 * 1000);
});
