import { BUILDER_STORAGE, containerStorageProblem, stagingCommands } from './builder-storage';

const STORE = ['--root', '/var/lib/containers/storage', '--runroot', '/run/containers/storage', '--storage-driver', 'overlay'];
const A = { id: `sha256:${'a'.repeat(64)}`, refs: ['localhost/edge-node:latest', 'localhost/edge-node:1.0'] };
const B = { id: 'b'.repeat(64), refs: ['quay.io/example/installer:44'] };

describe('stagingCommands', () => {
  test('root\'s podman keeps its images in the builder\'s storage with overlay: nothing to copy', () => {
    expect(stagingCommands({ graphRoot: BUILDER_STORAGE, driver: 'overlay' }, [A, B], '/var/tmp/x')).toEqual([]);
  });

  test('any other graph root: each image saved by ID, loaded into /var/lib/containers/storage (overlay) and given its refs there', () => {
    expect(stagingCommands({ graphRoot: '/srv/storage', driver: 'overlay' }, [A, B], '/var/tmp/x')).toEqual([
      ['save', '--format', 'oci-archive', '--output', '/var/tmp/x/image-0.oci.tar', 'a'.repeat(64)],
      [...STORE, 'load', '--input', '/var/tmp/x/image-0.oci.tar'],
      [...STORE, 'tag', 'a'.repeat(64), 'localhost/edge-node:latest'],
      [...STORE, 'tag', 'a'.repeat(64), 'localhost/edge-node:1.0'],
      ['save', '--format', 'oci-archive', '--output', '/var/tmp/x/image-1.oci.tar', 'b'.repeat(64)],
      [...STORE, 'load', '--input', '/var/tmp/x/image-1.oci.tar'],
      [...STORE, 'tag', 'b'.repeat(64), 'quay.io/example/installer:44'],
    ]);
  });

  test.each(['vfs', 'btrfs', 'zfs'])('/var/lib/containers/storage with the %s driver cannot be fixed by copying: the error says how', (driver) => {
    expect(() => stagingCommands({ graphRoot: BUILDER_STORAGE, driver }, [A], '/var/tmp/x')).toThrow(
      `Root's podman keeps its images in /var/lib/containers/storage with the ${driver} driver, but bootc-image-builder requires overlay`,
    );
  });
});

describe('containerStorageProblem', () => {
  test.each(['/var/lib/containers/storage', '/var/lib/containers/storage/'])('%s is what the builder reads: no problem', (path) => {
    expect(containerStorageProblem(path)).toBeUndefined();
  });

  test.each(['/srv/containers/storage', '/var/lib/containers', 'storage'])('%s is refused, naming osbuild/bootc-image-builder#984', (path) => {
    expect(containerStorageProblem(path)).toMatch(new RegExp(`^containerStorage: "${path}": .*database configuration mismatch.*issues/984.*Remove the option`));
  });
});
