/**
 * The promotion gate's refusals that come before the registry: nothing pushed, a build newer than
 * the push, a digest that is not the pushed one. The registry checks (the digest there, its config
 * digest as the image ID) and the boot-test checks run against a real registry in the e2e
 * (promote.spec.ts).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promotionCandidate, PromotionRefused, type GateOptions } from './gate';

const ID = 'a'.repeat(64);
const DIGEST = `sha256:${'d'.repeat(64)}`;
let root: string;

function write(path: string, data: unknown) {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), JSON.stringify(data));
}

function imageJson(imageId = ID) {
  write('dist/images/kiosk/image.json', {
    project: 'kiosk', image: '127.0.0.1:5000/acme/kiosk', refs: ['127.0.0.1:5000/acme/kiosk:latest'], imageId, engine: 'podman', engineVersion: '4.3.1', platforms: [],
    containerfile: 'images/kiosk/Containerfile', containerfileSha256: 'c', baseImages: [], labels: {},
  });
}

const gate = (overrides: Partial<GateOptions> = {}) =>
  promotionCandidate({ projectName: 'kiosk', projectRoot: 'images/kiosk', workspaceRoot: root, requireBootTest: true, testReport: 'dist/tests/{projectName}/result.json', buildTarget: 'bootc-build', ...overrides }, { tlsVerify: false, cwd: root });

beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'promote-gate-'))));
afterEach(() => rmSync(root, { recursive: true, force: true }));

test('nothing built: the error says to build', async () => {
  await expect(gate()).rejects.toThrow(/dist\/images\/kiosk\/image\.json does not exist: build the image first with nx run kiosk:bootc-build/);
});

test('built but not pushed: refused, naming bootc-push', async () => {
  imageJson();
  await expect(gate()).rejects.toThrow(new PromotionRefused('kiosk has not been pushed: dist/images/kiosk/push.json is missing or unreadable. Run nx run kiosk:bootc-push first; bootc-promote moves a tag only to a pushed digest.'));
});

test('a build newer than the push: refused', async () => {
  imageJson('b'.repeat(64));
  write('dist/images/kiosk/push.json', { image: '127.0.0.1:5000/acme/kiosk', imageId: ID, digest: DIGEST });
  await expect(gate()).rejects.toThrow(/kiosk's last build \(image bbbbbbbbbbbb, dist\/images\/kiosk\/image\.json\) is not what was pushed \(image aaaaaaaaaaaa, push\.json\)/);
});

test('--digest other than the pushed one: refused, pointing to bootc-rollback for earlier digests', async () => {
  imageJson();
  write('dist/images/kiosk/push.json', { image: '127.0.0.1:5000/acme/kiosk', imageId: ID, digest: DIGEST });
  await expect(gate({ digest: `sha256:${'e'.repeat(64)}` })).rejects.toThrow(/--digest sha256:e+ is not the digest bootc-push pushed for kiosk's image \(sha256:d+, push\.json\).*bootc-rollback/);
});
