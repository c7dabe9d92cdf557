import { addProjectConfiguration, readJson, readNxJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { parseToml } from '../../utils/toml';
import { parseContainerfile } from '../../utils/containerfile';
import { DEFAULT_BOOTC_BASE } from '../../utils/bootc-bases';
import { IMAGE_TYPE_NAMES } from '../../builder/image-types';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { lintProject } from '../../executors/lint/lib/lint-project';
import { imageGenerator, ROOTFS_DECLARATION } from './generator';
import schema from './schema.json';

const run = (tree: Tree, options: Parameters<typeof imageGenerator>[1]) => imageGenerator(tree, { skipFormat: true, ...options });

describe('image generator', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
  });

  // Issue 14: the generated project, and the package step its comment teaches, have no finding at all (--strict passes).
  it('writes a project bootc-lint finds nothing in, nor in the package step its comment teaches', async () => {
    await run(tree, { name: 'edge-node' });
    const dir = mkdtempSync(join(tmpdir(), 'image-generator-lint-'));
    try {
      const copy = (path: string) => {
        if (tree.isFile(path)) {
          mkdirSync(dirname(join(dir, path)), { recursive: true });
          writeFileSync(join(dir, path), tree.read(path)!);
        } else for (const child of tree.children(path)) copy(`${path}/${child}`);
      };
      copy('images/edge-node');
      const lint = () => lintProject({ workspaceRoot: dir, projectName: 'edge-node', projectRoot: 'images/edge-node', projects: { 'edge-node': readJson(tree, 'images/edge-node/project.json') } });
      expect(lint()).toEqual([]);
      const containerfile = tree.read('images/edge-node/Containerfile', 'utf-8')!;
      const example = containerfile.split('\n').filter((line) => /^# (RUN --mount|    dnf)/.test(line)).map((line) => line.slice(2));
      expect(example.length).toBe(2);
      writeFileSync(join(dir, 'images/edge-node/Containerfile'), containerfile.replace('COPY rootfs/ /', `${example.join('\n')}\nCOPY rootfs/ /`));
      expect(lint()).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writes an image project on the default bootc base', async () => {
    await run(tree, { name: 'edge-node' });
    const root = 'images/edge-node';
    expect(tree.children(root).sort()).toEqual(['Containerfile', 'README.md', 'config.toml', 'project.json', 'rootfs']);
    expect(tree.exists(`${root}/rootfs/usr/lib/tmpfiles.d/edge-node.conf`)).toBe(true);
    expect(tree.exists(`${root}/rootfs/etc/sysctl.d/60-edge-node.conf`)).toBe(true);

    const project = readJson(tree, `${root}/project.json`);
    expect(project).toMatchObject({
      name: 'edge-node',
      tags: ['os-image'],
      metadata: { 'immutable-os': { image: 'localhost/edge-node', tags: ['latest'], formats: ['qcow2'] } },
    });
    expect(project.targets ?? {}).toEqual({});

    const containerfile = tree.read(`${root}/Containerfile`, 'utf-8')!;
    const parsed = parseContainerfile(containerfile);
    expect(parsed.images.map((i) => i.ref)).toEqual([DEFAULT_BOOTC_BASE]);
    expect(containerfile).toMatch(/^ARG BASE_IMAGE=/m);
    expect(containerfile).toMatch(/^LABEL containers\.bootc=1$/m);
    expect(containerfile).toMatch(/^COPY rootfs\/ \/$/m);
    expect(containerfile.trim().split('\n').at(-1)).toBe('RUN bootc container lint');
    expect(containerfile).toContain('/var');
    expect(containerfile).toContain('/usr/etc');
  });

  it('writes a config.toml that parses and holds a user, kernel arguments and a root size', async () => {
    await run(tree, { name: 'edge-node' });
    const config = parseToml(tree.read('images/edge-node/config.toml', 'utf-8')!) as any;
    expect(config.customizations.user[0]).toMatchObject({ name: 'admin', groups: ['wheel'] });
    expect(config.customizations.user[0].key).toMatch(/^ssh-ed25519 /);
    expect(config.customizations.kernel.append).toContain('console=');
    expect(config.customizations.filesystem).toEqual([{ mountpoint: '/', minsize: '10 GiB' }]);
  });

  it('declares the root filesystem in the image, as RHEL and CentOS bases do: a Fedora base declares none and the builder needs one', async () => {
    await run(tree, { name: 'edge-node' });
    const declaration = parseToml(tree.read(`images/edge-node/${ROOTFS_DECLARATION}`, 'utf-8')!) as any;
    expect(declaration).toEqual({ install: { filesystem: { root: { type: 'xfs' } } } });
  });

  it('leaves the declaration to the base when the image is built FROM a workspace image', async () => {
    await run(tree, { name: 'edge-node' });
    await run(tree, { name: 'kiosk', from: 'edge-node' });
    expect(tree.exists(`images/kiosk/${ROOTFS_DECLARATION}`)).toBe(false);
    expect(tree.exists('images/kiosk/rootfs/usr/lib/tmpfiles.d/kiosk.conf')).toBe(true);
  });

  it('leaves the root filesystem size out of an installer-only config', async () => {
    await run(tree, { name: 'installer', formats: 'anaconda-iso' });
    const config = parseToml(tree.read('images/installer/config.toml', 'utf-8')!) as any;
    expect(config.customizations.filesystem).toBeUndefined();
    expect(config.customizations.user[0].name).toBe('admin');
  });

  it('registers the plugin in nx.json', async () => {
    await run(tree, { name: 'edge-node' });
    expect(readNxJson(tree)?.plugins).toContainEqual(expect.objectContaining({ plugin: 'immutable-os' }));
  });

  it('builds a derived flavor FROM the workspace image given with --from', async () => {
    await run(tree, { name: 'edge-node', image: 'ghcr.io/acme/edge-node', tags: 'stable,{shortSha}' });
    await run(tree, { name: 'kiosk', from: 'edge-node' });
    const parsed = parseContainerfile(tree.read('images/kiosk/Containerfile', 'utf-8')!);
    expect(parsed.images.map((i) => i.ref)).toEqual(['ghcr.io/acme/edge-node:stable']);
    expect(tree.read('images/kiosk/README.md', 'utf-8')).toContain('workspace image `edge-node`');
  });

  it('takes --directory, --base, --image, --formats and --tags', async () => {
    await run(tree, {
      name: 'server',
      directory: 'os/server/',
      base: 'quay.io/centos-bootc/centos-bootc:stream10',
      image: 'ghcr.io/acme/server',
      formats: 'qcow2, ami,iso',
      tags: 'latest,{date}',
    });
    expect(readJson(tree, 'os/server/project.json').metadata['immutable-os']).toEqual({
      image: 'ghcr.io/acme/server',
      tags: ['latest', '{date}'],
      formats: ['qcow2', 'ami', 'iso'],
    });
    expect(tree.read('os/server/Containerfile', 'utf-8')).toContain('ARG BASE_IMAGE=quay.io/centos-bootc/centos-bootc:stream10');
  });

  describe('refuses bad input and writes nothing', () => {
    beforeEach(async () => {
      await run(tree, { name: 'edge-node' });
      addProjectConfiguration(tree, 'docs', { root: 'docs', targets: {} });
    });

    test.each([
      [{ name: 'edge-node' }, /A project named "edge-node" already exists \(in images\/edge-node\)/],
      [{ name: 'Bad_Name' }, /Invalid image name "Bad_Name"/],
      [{ name: '-x' }, /Invalid image name "-x"/],
      [{ name: 'other', directory: 'images/edge-node' }, /The directory "images\/edge-node" already exists/],
      [{ name: 'other', directory: '../outside' }, /--directory "..\/outside" must be a folder inside the workspace/],
      [{ name: 'kiosk', from: 'nope' }, /--from nope: there is no project named "nope".*Image projects: edge-node/],
      [{ name: 'kiosk', from: 'docs' }, /--from docs: project "docs" is not an image project \(no Containerfile, Containerfile.in, Dockerfile, Dockerfile.in in docs\)/],
      [{ name: 'kiosk', from: 'edge-node', base: 'quay.io/fedora/fedora-bootc:44' }, /--base and --from are mutually exclusive/],
      [{ name: 'kiosk', base: 'Not A Ref' }, /--base "Not A Ref" is not a valid image reference/],
      [{ name: 'kiosk', image: 'UPPER/Case' }, /--image "UPPER\/Case" is not a valid image reference/],
      [{ name: 'kiosk', image: 'ghcr.io/acme/kiosk:1.0' }, /--image "ghcr.io\/acme\/kiosk:1.0" must be a repository without a tag/],
      [{ name: 'kiosk', image: 'localhost/edge-node' }, /already the repository of image project "edge-node"/],
      [{ name: 'kiosk', formats: 'qcow2,floppy' }, /--formats: "floppy" is not a bootc-image-builder type; valid types are qcow2, raw/],
      [{ name: 'kiosk', tags: 'latest,{branch}' }, /--tags: the tag "{branch}" uses the unknown token {branch}/],
      [{ name: 'kiosk', tags: '.hidden' }, /--tags: ".hidden" is not a valid tag/],
    ])('%j', async (options, message) => {
      const before = tree.listChanges().map((c) => `${c.type} ${c.path}`);
      await expect(run(tree, options)).rejects.toThrow(message);
      expect(tree.listChanges().map((c) => `${c.type} ${c.path}`)).toEqual(before);
    });
  });

  it('documents every disk format in the --formats description', () => {
    for (const type of IMAGE_TYPE_NAMES) expect(schema.properties.formats.description).toContain(type);
  });
});
