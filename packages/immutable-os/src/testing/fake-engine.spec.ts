import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fakeId, installFakeEngines, type FakeEngines, type FakeState } from './fake-engine';

// The fake engine's builder runs the stand-in's rules (tools/fixtures/bib-standin/bib.js) against
// its state: the -v mounts, the store's database, the images' labels and files, sudo or not.
const ID = fakeId('edge');
const REF = 'localhost/edge:latest';
const STORE = '/var/lib/containers/storage';

describe('fake engine: podman run of a builder image', () => {
  let fake: FakeEngines;
  let out: string;
  let scratch: string;

  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'fake-builder-'));
    out = join(scratch, 'out');
    mkdirSync(out);
    fake = installFakeEngines({ versions: { podman: '5.2.1' }, sudo: true, state: { images: [ID], tags: { [REF]: ID }, labels: { [ID]: { 'containers.bootc': '1' } } } });
  });
  afterEach(() => {
    fake.restore();
    rmSync(scratch, { recursive: true, force: true });
  });

  const podman = (args: string[], via: 'podman' | 'sudo' = 'podman') => {
    const r = spawnSync(via, via === 'sudo' ? ['--non-interactive', 'podman', ...args] : args, { encoding: 'utf8', env: process.env });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const runArgs = (image: string, builderArgs: string[], mounts = [`${out}:/output`, `${STORE}:${STORE}`], privileged = true) => [
    'run',
    '--rm',
    ...(privileged ? ['--privileged'] : []),
    '--pull=newer',
    '--security-opt',
    'label=type:unconfined_t',
    '--name',
    'builder-0',
    ...mounts.flatMap((m) => ['-v', m]),
    image,
    ...builderArgs,
  ];
  const files = (dir = out): string[] =>
    readdirSync(dir, { withFileTypes: true })
      .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)).map((f) => `${e.name}/${f}`) : [e.name]))
      .sort();
  const lastLine = (text: string) => text.trim().split('\n').at(-1) ?? '';
  const BIB = 'quay.io/centos-bootc/bootc-image-builder:latest';

  test.each<{ name: string; state?: Partial<FakeState>; image?: string; args: string[]; via?: 'podman' | 'sudo'; privileged?: boolean; mounts?: string[]; code: number; last?: RegExp; stderrHas?: string; files?: string[] }>([
    { name: 'bootc-image-builder writes at the builder\'s paths', args: ['build', '--type', 'gce', '--type', 'qcow2', REF], code: 0, files: ['gce/image.tar.gz', 'manifest-gce-qcow2.json', 'qcow2/image.qcow2'] },
    { name: 'not privileged', args: ['build', REF], privileged: false, code: 1, last: /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d error: cannot validate the setup: this command requires a privileged container$/, files: [] },
    { name: 'the store not mounted', args: ['build', REF], mounts: ['OUT:/output'], code: 1, last: /error: cannot build manifest: could not access container storage, did you forget -v/ },
    { name: 'a store of the vfs driver at /var/lib/containers/storage', state: { storage: { graphRoot: STORE, driver: 'vfs' } }, args: ['build', REF], code: 1, last: /could not access container storage/ },
    { name: 'a store elsewhere: the builder reads the copy in /var/lib/containers/storage', state: { storage: { graphRoot: '/srv/storage', driver: 'vfs' } }, args: ['build', REF], code: 0 },
    { name: 'the store\'s database recording another path (bolt)', state: { storeDatabase: { kind: 'bolt', staticDir: '/srv/storage/libpod' } }, args: ['build', REF], code: 1, stderrHas: 'Error: database libpod root directory (staticdir) "/srv/storage/libpod" does not match' },
    { name: 'the store\'s database recording another path (sqlite)', state: { storeDatabase: { kind: 'sqlite', staticDir: '/srv/storage/libpod' } }, args: ['build', REF], code: 1, stderrHas: 'Error: database static dir "/srv/storage/libpod" does not match our static dir' },
    { name: 'rootless without sudo', state: { builderRootless: true }, args: ['build', REF], code: 1, last: /this command must be run in rootful \(not rootless\) podman$/ },
    { name: 'rootless podman, the builder through sudo', state: { builderRootless: true }, args: ['build', REF], via: 'sudo', code: 0, files: ['manifest-qcow2.json', 'qcow2/disk.qcow2'] },
    { name: 'an image without a root filesystem (rootFs null)', state: { rootFs: { [ID]: null } }, args: ['build', REF], code: 1, last: /missing required info: DefaultRootFs$/ },
    { name: 'an image without dnf (imageFiles)', state: { imageFiles: { [ID]: { 'usr/bin/dnf': null } } }, args: ['build', '--type', 'iso', REF], code: 1, last: /error: cannot build manifest: no dnf in container$/ },
    { name: 'an unlabelled image', state: { labels: {} }, args: ['build', REF], code: 1, last: /is not a bootc image$/ },
    { name: 'failBuilderOn', state: { failBuilderOn: ['qcow2'] }, args: ['build', REF], code: 1, last: /error: cannot run osbuild: error running osbuild: exit status 1$/ },
    { name: 'image-builder, by its image', image: 'ghcr.io/osbuild/image-builder:latest', args: ['build', '--bootc-ref', REF, '--output-dir', '/output', '--output-name', 'disk', '--with-manifest', 'qcow2'], code: 0, files: ['disk.osbuild-manifest.json', 'disk.qcow2'] },
    { name: 'image-builder, by its arguments', image: 'localhost/some-builder:1', args: ['build', '--bootc-ref', REF, '--output-dir', '/output', '--output-name', 'disk', 'ova'], code: 0, files: ['disk.ova'] },
    { name: 'image-builder refuses anaconda-iso', image: 'ghcr.io/osbuild/image-builder:latest', args: ['build', '--bootc-ref', REF, 'anaconda-iso'], code: 1, last: /^error: image type bootc "anaconda-iso" is not supported with image-builder/ },
  ])('$name', ({ state, image, args, via, privileged, mounts, code, last, stderrHas, files: expected }) => {
    if (state) fake.update(state);
    const r = podman(runArgs(image ?? BIB, args, mounts?.map((m) => m.replace(/^OUT:/, `${out}:`)), privileged), via);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code, stderr: expect.any(String) });
    if (last) expect(lastLine(r.stderr)).toMatch(last);
    if (stderrHas) expect(r.stderr).toContain(stderrHas);
    if (expected) expect(files()).toEqual(expected);
  });

  test('the files hold the fake\'s lines, and the run is recorded as one podman call', () => {
    expect(podman(runArgs(BIB, ['build', REF])).code).toBe(0);
    expect(readFileSync(join(out, 'qcow2/disk.qcow2'), 'utf8')).toBe(`fake qcow2 of ${ID}\n`.repeat(64));
    expect(fake.calls().map((c) => c.args[0])).toEqual(['run']);
  });

  test('the config mounted at /config.toml is the builder\'s: its unknown keys stop the build', () => {
    const config = join(scratch, 'config.toml');
    writeFileSync(config, '[customizations.kernel]\nappned = "x"\n');
    const r = podman(runArgs(BIB, ['build', REF], [`${config}:/config.toml:ro`, `${out}:/output`, `${STORE}:${STORE}`]));
    expect(r.code).toBe(1);
    expect(lastLine(r.stderr)).toMatch(/error: cannot build manifest: cannot read config: cannot decode "\/config.toml": unknown keys found: \[customizations.kernel.appned\]$/);
  });
});
