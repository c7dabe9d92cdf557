import { fakeId, type FakeState } from '../../../testing/fake-engine';
import { imageRecord, useWorkspaceAndFakes } from '../../../testing/test-workspace';
import { platformImage } from './platform-image';
import type { RootPodman } from './root-podman';

const LIST = fakeId('kiosk manifest list');
const AMD64 = fakeId('kiosk amd64');
const ARM64 = fakeId('kiosk arm64');
const REF = '127.0.0.1:5000/acme/kiosk:latest';
const DIRECT: RootPodman = { command: 'podman', prefix: [] };
const digest = (name: string) => `sha256:${fakeId(`${name} manifest`)}`;
const MANIFEST = JSON.stringify({
  schemaVersion: 2,
  manifests: [
    { digest: digest('amd64'), platform: { os: 'linux', architecture: 'amd64' } },
    { digest: digest('arm64'), platform: { os: 'linux', architecture: 'arm64' } },
  ],
});

describe('platformImage', () => {
  const t = useWorkspaceAndFakes();

  const record = imageRecord('kiosk', LIST, { refs: [REF, '127.0.0.1:5000/acme/kiosk:1.0'], platforms: ['linux/amd64', 'linux/arm64'] });
  const install = (state: Partial<FakeState> = {}) =>
    t.install({
      versions: { podman: '5.2.1' },
      state: {
        images: [LIST, AMD64, ARM64],
        tags: { [REF]: LIST, [`127.0.0.1:5000/acme/kiosk@${digest('amd64')}`]: AMD64, [`127.0.0.1:5000/acme/kiosk@${digest('arm64')}`]: ARM64 },
        rules: [{ args: ['manifest', 'inspect', LIST], stdout: MANIFEST }],
        ...state,
      },
    });

  test('a single-platform build has none: the record\'s image is converted', async () => {
    install();
    expect(await platformImage(DIRECT, imageRecord('kiosk', AMD64, { refs: [REF], platforms: ['linux/arm64'] }), 'arm64', t.ws.root)).toBeUndefined();
    expect(t.fake.calls()).toEqual([]);
  });

  test.each([['arm64'], ['aarch64']])('targetArch %s: the list\'s arm64 image, named by the first ref while the builder runs, the name given back after', async (targetArch) => {
    install();
    expect(await platformImage(DIRECT, record, targetArch, t.ws.root)).toEqual({
      id: ARM64,
      arch: 'arm64',
      listId: LIST,
      name: [['tag', ARM64, REF]],
      restore: [['tag', LIST, REF]],
    });
  });

  test('targetArch amd64 (x86_64) takes the amd64 image', async () => {
    install();
    expect((await platformImage(DIRECT, record, 'x86_64', t.ws.root))?.id).toBe(AMD64);
  });

  test('a platform the build did not make: names the option and what was built', async () => {
    install();
    await expect(platformImage(DIRECT, record, 's390x', t.ws.root)).rejects.toThrow(
      'targetArch: kiosk was built for linux/amd64, linux/arm64 (platform option), which has no linux/s390x image for targetArch s390x. Set targetArch to one of amd64, arm64, or add linux/s390x to platform.',
    );
  });

  test('no targetArch: refused, naming the platforms to choose from (the disk must not depend on the machine)', async () => {
    install();
    await expect(platformImage(DIRECT, record, undefined, t.ws.root)).rejects.toThrow(
      "targetArch: kiosk was built for linux/amd64, linux/arm64 (a manifest list), and bootc-convert converts one platform's image: set targetArch to one of amd64, arm64.",
    );
    expect(t.fake.calls()).toEqual([]);
  });

  test('the manifest list missing from root\'s storage: says where a multi-platform build converts from', async () => {
    install({ rules: [{ args: ['manifest', 'inspect', LIST], exitCode: 125, stderr: 'Error: not a manifest list' }] });
    await expect(platformImage(DIRECT, record, 'arm64', t.ws.root)).rejects.toThrow(
      /^kiosk was built for linux\/amd64, linux\/arm64, but root's container storage has no manifest list \w{12} \(127\.0\.0\.1:5000\/acme\/kiosk:latest\) to take one platform's image from\./,
    );
  });
});
