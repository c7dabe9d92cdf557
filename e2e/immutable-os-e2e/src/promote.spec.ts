import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { specWorkspace } from './setup/workspace';
import { childEnv } from './utils/child-env';
import { readE2eContext } from './utils/e2e-context';
import { readJson, readText, updateJson, writeFile } from './utils/files';
import { commitAll } from './utils/git';
import { nx, nxOk } from './utils/nx';
import { registryDigest } from './utils/podman';
import { startRegistry, type Registry } from './utils/registry';
import { describeFailure, output, runOk } from './utils/run';

// The release flow by digest with the real nx CLI: a flavor on bootc-mini built with real podman,
// pushed to a real registry (Debian's docker-registry on loopback), converted by the builder
// stand-in and boot-tested in real qemu; bootc-promote moves `stable` to the tested digest with
// skopeo, refuses a digest that was not boot-tested, and bootc-rollback moves it back, each move
// in releases/<project>.jsonl.
const { repoRoot, tempRoot } = readE2eContext();
const workspace = specWorkspace('promote');
const suffix = randomBytes(4).toString('hex');
const EDGE = `edge-${suffix}`;
let registry: Registry | undefined;

interface LogEntry {
  action: string;
  channel: string;
  repository: string;
  from: string | null;
  to: string;
  imageId: string | null;
  bootTest: string | null;
  by: string;
  at: string;
  commit: string | null;
}

const repository = () => `${(registry as Registry).host}/acme/edge-${suffix}`;
const stable = () => registryDigest(`${repository()}:stable`);
const pushed = () => readJson<{ digest: string; imageId: string }>(workspace, `dist/images/${EDGE}/push.json`);
const releaseLog = (): LogEntry[] =>
  readText(workspace, `releases/${EDGE}.jsonl`)
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as LogEntry);

function bootScript(text: string): void {
  writeFile(workspace, `images/${EDGE}/rootfs/etc/boot.d/50-edge.sh`, `#!/bin/sh\necho "${text}"\n`);
}

beforeAll(async () => {
  registry = await startRegistry(join(tempRoot, `promote-registry-${suffix}`));
  const fixture = { cwd: repoRoot, env: childEnv(), timeoutMs: 5 * 60 * 1000 };
  runOk('node', [join(repoRoot, 'tools', 'fixtures', 'make-base-image.mjs')], fixture);
  runOk('node', [join(repoRoot, 'tools', 'fixtures', 'make-builder-image.mjs')], fixture);
  nxOk(workspace, ['g', 'immutable-os:init', '--no-interactive']);
  nxOk(workspace, ['g', 'immutable-os:image', EDGE, '--base', 'localhost/bootc-mini:latest', '--image', repository(), '--no-interactive']);
  bootScript('edge v1');
  updateJson(workspace, 'nx.json', (json) => ({
    ...json,
    targetDefaults: {
      ...json.targetDefaults,
      // The test registry is plain HTTP on loopback.
      'bootc-push': { options: { tlsVerify: false } },
      'bootc-promote': { options: { tlsVerify: false } },
      'bootc-rollback': { options: { tlsVerify: false } },
      'bootc-convert': { options: { builderImage: 'localhost/bib-standin:latest' } },
      'bootc-test': { options: { expect: ['^bootc-mini: system is up$'], fail: ['Kernel panic', 'bootc-mini: FAILED', 'bootc-mini initramfs: FAILED', 'UEFI Interactive Shell', 'No bootable device'], memory: 512, cpus: 1, timeout: 300 } },
    },
  }));
  commitAll(workspace, 'edge-node on bootc-mini, pushed to the test registry');
}, 10 * 60 * 1000);

afterAll(async () => {
  await registry?.stop();
});

describe('bootc-promote and bootc-rollback move channel tags by digest', () => {
  let first: string;

  test('a built, pushed and boot-tested digest is promoted to stable; the move is logged', () => {
    nxOk(workspace, ['run-many', '-t', 'bootc-push', 'bootc-test', '--outputStyle=static']);
    first = pushed().digest;
    const promoted = nxOk(workspace, ['run', `${EDGE}:bootc-promote`, '--channel=stable', '--outputStyle=static']);
    expect(output(promoted)).toContain(`bootc-promote: ${repository()}:stable moved (new tag) to ${first}`);
    expect(stable()).toBe(first);
    const [entry] = releaseLog();
    expect(entry).toMatchObject({ action: 'promote', channel: 'stable', repository: repository(), from: null, to: first, imageId: pushed().imageId });
    expect(entry.bootTest).toMatch(/^passed \((kvm|tcg), uefi; dist\/tests\/edge-\w+\/result\.json of /);
    expect(entry.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(entry.by).not.toBe('');
    // Promoting the same digest again moves nothing and logs nothing.
    expect(output(nxOk(workspace, ['run', `${EDGE}:bootc-promote`, '--channel=stable', '--outputStyle=static']))).toContain(`already names ${first}; nothing moved, nothing logged`);
    expect(releaseLog()).toHaveLength(1);
  }, 15 * 60 * 1000);

  test('a new digest that was pushed but not boot-tested is refused; once tested it is promoted', () => {
    bootScript('edge v2');
    commitAll(workspace, 'edge-node v2');
    nxOk(workspace, ['run', `${EDGE}:bootc-push`, '--outputStyle=static']);
    const second = pushed().digest;
    expect(second).not.toBe(first);
    const refused = nx(workspace, ['run', `${EDGE}:bootc-promote`, '--channel=stable', '--outputStyle=static']);
    if (refused.status === 0) throw new Error(`Expected bootc-promote to refuse an untested digest:\n${describeFailure(refused)}`);
    expect(output(refused)).toMatch(new RegExp(`The boot test in dist/tests/${EDGE}/result\\.json ran on image [0-9a-f]{12}, not on ${EDGE}'s image [0-9a-f]{12}: run nx run ${EDGE}:bootc-test for this image first`));
    expect(stable()).toBe(first);
    expect(releaseLog()).toHaveLength(1);

    nxOk(workspace, ['run', `${EDGE}:bootc-test`, '--outputStyle=static']);
    nxOk(workspace, ['run', `${EDGE}:bootc-promote`, '--channel=stable', '--outputStyle=static']);
    expect(stable()).toBe(second);
    expect(releaseLog().map((e) => [e.action, e.from, e.to])).toEqual([
      ['promote', null, first],
      ['promote', first, second],
    ]);
  }, 15 * 60 * 1000);

  test('rollback moves stable back to the digest before; a second rollback has nothing before the first promotion', () => {
    const second = stable();
    const back = nxOk(workspace, ['run', `${EDGE}:bootc-rollback`, '--channel=stable', '--outputStyle=static']);
    expect(output(back)).toContain(`bootc-rollback: ${repository()}:stable moved back from ${second} to ${first}`);
    expect(stable()).toBe(first);
    expect(releaseLog().at(-1)).toMatchObject({ action: 'rollback', from: second, to: first });

    const none = nx(workspace, ['run', `${EDGE}:bootc-rollback`, '--channel=stable', '--outputStyle=static']);
    if (none.status === 0) throw new Error(`Expected a second rollback to fail:\n${describeFailure(none)}`);
    expect(output(none)).toMatch(/did not exist before sha256:[0-9a-f]{64} was promoted .*there is nothing to roll back to/);
    expect(stable()).toBe(first);
    expect(releaseLog()).toHaveLength(3);
  }, 10 * 60 * 1000);
});
