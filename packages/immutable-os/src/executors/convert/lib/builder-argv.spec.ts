import type { ImageType } from '../../../builder/image-types';
import { builderContainerName, builderRunArgv } from './builder-argv';

type ArgvOptions = Parameters<typeof builderRunArgv>[0];

const BUILDER = 'quay.io/centos-bootc/bootc-image-builder:latest';
const IMAGE = 'localhost/edge-node:latest';
const OUT = '/ws/dist/disks/.edge-node.tmp-abc/.run-0';
const STORAGE = '-v /var/lib/containers/storage:/var/lib/containers/storage';

const defaults: ArgvOptions = {
  builderBackend: 'bootc-image-builder',
  config: undefined,
  builderImage: BUILDER,
  pull: 'newer',
  rootfs: undefined,
  targetArch: undefined,
  chown: '1000:1000',
  useLibrepo: undefined,
  progress: 'verbose',
  extraArgs: [],
};

const HEAD = 'run --rm --privileged --pull=newer --security-opt label=type:unconfined_t --name bib-0';

// The documented form: podman run --rm --privileged --pull=newer --security-opt label=type:unconfined_t
// -v <config>:/config.toml:ro -v <out>:/output -v /var/lib/containers/storage:/var/lib/containers/storage
// <builderImage> build --type T [--type T2] [--rootfs] [--target-arch] [--chown] [--use-librepo=BOOL] [--progress] IMAGE
describe('builderRunArgv', () => {
  test.each<[string, Partial<ArgvOptions>, ImageType[], string]>([
    ['defaults, no config: no config mount', {}, ['qcow2'], `${HEAD} -v ${OUT}:/output ${STORAGE} ${BUILDER} build --type qcow2 --chown 1000:1000 --progress verbose ${IMAGE}`],
    [
      'a TOML config is mounted read-only at /config.toml',
      { config: { path: '/ws/images/edge-node/config.toml', json: false } },
      ['qcow2'],
      `${HEAD} -v /ws/images/edge-node/config.toml:/config.toml:ro -v ${OUT}:/output ${STORAGE} ${BUILDER} build --type qcow2 --chown 1000:1000 --progress verbose ${IMAGE}`,
    ],
    [
      'a JSON config is mounted read-only at /config.json',
      { config: { path: '/ws/images/edge-node/config.json', json: true } },
      ['iso'],
      `${HEAD} -v /ws/images/edge-node/config.json:/config.json:ro -v ${OUT}:/output ${STORAGE} ${BUILDER} build --type iso --chown 1000:1000 --progress verbose ${IMAGE}`,
    ],
    [
      '--type repeats, once per type, in order',
      {},
      ['qcow2', 'raw', 'vmdk'],
      `${HEAD} -v ${OUT}:/output ${STORAGE} ${BUILDER} build --type qcow2 --type raw --type vmdk --chown 1000:1000 --progress verbose ${IMAGE}`,
    ],
    [
      'rootfs and target architecture',
      { rootfs: 'btrfs', targetArch: 'arm64' },
      ['raw'],
      `${HEAD} -v ${OUT}:/output ${STORAGE} ${BUILDER} build --type raw --rootfs btrfs --target-arch arm64 --chown 1000:1000 --progress verbose ${IMAGE}`,
    ],
    ['useLibrepo true is --use-librepo=true', { useLibrepo: true }, ['qcow2'], `${HEAD} -v ${OUT}:/output ${STORAGE} ${BUILDER} build --type qcow2 --chown 1000:1000 --use-librepo=true --progress verbose ${IMAGE}`],
    ['useLibrepo false is --use-librepo=false', { useLibrepo: false }, ['qcow2'], `${HEAD} -v ${OUT}:/output ${STORAGE} ${BUILDER} build --type qcow2 --chown 1000:1000 --use-librepo=false --progress verbose ${IMAGE}`],
    [
      'chown, progress and pull policy',
      { chown: '0:0', progress: 'debug', pull: 'never' },
      ['gce'],
      `${HEAD.replace('--pull=newer', '--pull=never')} -v ${OUT}:/output ${STORAGE} ${BUILDER} build --type gce --chown 0:0 --progress debug ${IMAGE}`,
    ],
    [
      'extra arguments go just before the image',
      { extraArgs: ['--log-level', 'debug', '--verbose'] },
      ['qcow2'],
      `${HEAD} -v ${OUT}:/output ${STORAGE} ${BUILDER} build --type qcow2 --chown 1000:1000 --progress verbose --log-level debug --verbose ${IMAGE}`,
    ],
    [
      'everything at once',
      { config: { path: '/ws/c.toml', json: false }, rootfs: 'xfs', targetArch: 'amd64', useLibrepo: true, chown: '1001', builderImage: 'localhost/bib:test', extraArgs: ['--x'] },
      ['vhd', 'ami'],
      `${HEAD} -v /ws/c.toml:/config.toml:ro -v ${OUT}:/output ${STORAGE} localhost/bib:test build --type vhd --type ami --rootfs xfs --target-arch amd64 --chown 1001 --use-librepo=true --progress verbose --x ${IMAGE}`,
    ],
  ])('%s', (_name, overrides, types, expected) => {
    expect(builderRunArgv({ ...defaults, ...overrides }, { types, outputDir: OUT, imageRef: IMAGE, containerName: 'bib-0' })).toEqual(expected.split(' '));
  });

  test('bootc-installer: the installer image is the positional argument, the project image the --installer-payload-ref', () => {
    const argv = builderRunArgv(defaults, { types: ['bootc-installer'], outputDir: OUT, imageRef: 'quay.io/example/installer:44', payloadRef: IMAGE, containerName: 'bib-0' }).join(' ');
    expect(argv).toBe(`${HEAD} -v ${OUT}:/output ${STORAGE} ${BUILDER} build --type bootc-installer --chown 1000:1000 --installer-payload-ref ${IMAGE} --progress verbose quay.io/example/installer:44`);
  });

  it('keeps a path with spaces as one argument', () => {
    const argv = builderRunArgv({ ...defaults, config: { path: '/my ws/config.toml', json: false } }, { types: ['qcow2'], outputDir: '/my ws/out', imageRef: IMAGE, containerName: 'bib-0' });
    expect(argv).toContain('/my ws/config.toml:/config.toml:ro');
    expect(argv).toContain('/my ws/out:/output');
  });
});

describe('builderContainerName', () => {
  test.each([
    ['edge-node', 'immutable-os-convert-edge-node-4242-0'],
    ['@acme/edge-node', 'immutable-os-convert--acme-edge-node-4242-0'],
    ['kiosk.v2_x', 'immutable-os-convert-kiosk.v2_x-4242-0'],
  ])('%s → %s (a name podman accepts)', (project, name) => {
    expect(builderContainerName(project, 4242, 0)).toBe(name);
    expect(name).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/);
  });

  it('differs per run', () => {
    expect(builderContainerName('edge-node', 1, 0)).not.toBe(builderContainerName('edge-node', 1, 1));
  });
});
