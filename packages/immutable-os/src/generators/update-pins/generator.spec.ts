import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { updateNxJson, type Tree } from '@nx/devkit';
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { skopeoDigest, updatePinsGenerator, type DigestResolver } from './generator';

const OLD = `sha256:${'1'.repeat(64)}`;
const NEW = `sha256:${'2'.repeat(64)}`;
const LOCK = `# Bumped by Renovate; see README.
images:
  - name: fedora
    image: quay.io/fedora/fedora-bootc
    tag: "42"
    digest: ${OLD}
  - name: akmods
    image: ghcr.io/ublue-os/akmods
    tag: main-42
    digest: ${OLD} # kernel modules
`;

describe('update-pins generator', () => {
  let tree: Tree;
  let asked: string[];
  const registry =
    (digests: Record<string, string>): DigestResolver =>
    async (ref) => {
      asked.push(ref);
      if (!(ref in digests)) throw new Error(`manifest unknown: ${ref}`);
      return digests[ref];
    };

  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    asked = [];
    tree.write('image-versions.yml', LOCK);
  });

  it('rewrites only the digests that moved, keeping comments, quoting and order', async () => {
    await updatePinsGenerator(tree, {}, registry({ 'quay.io/fedora/fedora-bootc:42': NEW, 'ghcr.io/ublue-os/akmods:main-42': OLD }));
    expect(tree.read('image-versions.yml', 'utf-8')).toBe(LOCK.replace(`tag: "42"\n    digest: ${OLD}`, `tag: "42"\n    digest: ${NEW}`));
    expect(asked.sort()).toEqual(['ghcr.io/ublue-os/akmods:main-42', 'quay.io/fedora/fedora-bootc:42']);
  });

  it('touches nothing when nothing moved', async () => {
    const before = tree.listChanges().map((c) => [c.path, c.content?.toString()]);
    await updatePinsGenerator(tree, {}, registry({ 'quay.io/fedora/fedora-bootc:42': OLD, 'ghcr.io/ublue-os/akmods:main-42': OLD }));
    expect(tree.listChanges().map((c) => [c.path, c.content?.toString()])).toEqual(before);
  });

  it('updates only the entries named', async () => {
    await updatePinsGenerator(tree, { names: ['akmods'] }, registry({ 'ghcr.io/ublue-os/akmods:main-42': NEW }));
    expect(asked).toEqual(['ghcr.io/ublue-os/akmods:main-42']);
    expect(tree.read('image-versions.yml', 'utf-8')).toContain(`digest: ${NEW} # kernel modules`);
  });

  it('adds an entry with its digest, and creates the file when there is none', async () => {
    tree.delete('image-versions.yml');
    await updatePinsGenerator(tree, { add: ['base=localhost:5000/bootc-mini:v1'] }, registry({ 'localhost:5000/bootc-mini:v1': NEW }));
    expect(tree.read('image-versions.yml', 'utf-8')).toBe(`images:\n  - name: base\n    image: localhost:5000/bootc-mini\n    tag: v1\n    digest: ${NEW}\n`);
  });

  it("reads the lock file the plugin's pins option names", async () => {
    updateNxJson(tree, { plugins: [{ plugin: 'immutable-os', options: { pins: 'pins/bases.yml' } }] });
    tree.write('pins/bases.yml', LOCK);
    await updatePinsGenerator(tree, { names: ['fedora'] }, registry({ 'quay.io/fedora/fedora-bootc:42': NEW }));
    expect(tree.read('pins/bases.yml', 'utf-8')).toContain(NEW);
    expect(tree.read('image-versions.yml', 'utf-8')).toBe(LOCK);
  });

  test.each<[string, Parameters<typeof updatePinsGenerator>[1], string]>([
    ['an entry the registry does not resolve', {}, 'image-versions.yml: akmods (ghcr.io/ublue-os/akmods:main-42): could not resolve its digest, so nothing was changed: manifest unknown'],
    ['an unknown name', { names: ['fedoar'] }, 'names: fedoar is not an entry of image-versions.yml (fedora, akmods).'],
    ['an add without a tag', { add: ['x=quay.io/x/y'] }, 'add: "x=quay.io/x/y" needs a tag and no digest'],
    ['an add that is not name=ref', { add: ['quay.io/x/y:1'] }, 'add: "quay.io/x/y:1" is not name=image:tag'],
    ['an add naming an existing entry', { add: ['fedora=quay.io/x/y:1'] }, 'add: image-versions.yml already has an entry named fedora'],
  ])('refuses %s and changes nothing', async (_, options, message) => {
    await expect(updatePinsGenerator(tree, options, registry({ 'quay.io/fedora/fedora-bootc:42': NEW }))).rejects.toThrow(message);
    expect(tree.read('image-versions.yml', 'utf-8')).toBe(LOCK);
  });

  it('refuses a missing file without --add, and a lock file that does not check', async () => {
    tree.delete('image-versions.yml');
    await expect(updatePinsGenerator(tree, {}, registry({}))).rejects.toThrow('image-versions.yml does not exist. Create it with --add name=image:tag');
    tree.write('image-versions.yml', LOCK.replace(`digest: ${OLD} # kernel`, 'digest: latest # kernel'));
    await expect(updatePinsGenerator(tree, {}, registry({}))).rejects.toThrow('image-versions.yml: images[1].digest: "latest" is not a digest');
  });
});

describe('skopeoDigest', () => {
  let bin: string;
  const path = process.env.PATH;
  beforeEach(() => (bin = mkdtempSync(join(tmpdir(), 'fake-skopeo-'))));
  afterEach(() => {
    process.env.PATH = path;
    rmSync(bin, { recursive: true, force: true });
  });

  it('asks skopeo for the digest by argv, with --tls-verify=false only when asked', async () => {
    writeFileSync(join(bin, 'skopeo'), `#!/bin/sh\nprintf '%s\\n' "$@" > "${bin}/argv"\necho ${NEW}\n`);
    chmodSync(join(bin, 'skopeo'), 0o755);
    process.env.PATH = `${bin}:${path}`;
    expect(await skopeoDigest('localhost:5000/base:v1', false, bin)).toBe(NEW);
    expect(require('node:fs').readFileSync(join(bin, 'argv'), 'utf8')).toBe(`inspect\n--no-tags\n--format\n{{.Digest}}\n--tls-verify=false\ndocker://localhost:5000/base:v1\n`);
  });

  it('names the package when skopeo is missing', async () => {
    process.env.PATH = bin;
    await expect(skopeoDigest('quay.io/x/y:1', true, bin)).rejects.toThrow('skopeo is not installed; install the skopeo package');
  });
});
