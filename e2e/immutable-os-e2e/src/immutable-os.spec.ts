import { join } from 'node:path';
import { specWorkspace } from './setup/workspace';
import { readE2eContext } from './utils/e2e-context';
import { fromImages } from './utils/containerfile-from';
import { exists, listFiles, readJson, readText, writeFile } from './utils/files';
import { commitAll, workTreeChanges } from './utils/git';
import { findJsonObject } from './utils/json-output';
import { affectedProjects, nx, nxOk } from './utils/nx';
import { describeFailure, output } from './utils/run';

// The steps build on each other in this file's own workspace, in the order written.
const workspace = specWorkspace('generators');
const { tempRoot } = readE2eContext();

const PLUGIN_ENTRY = {
  plugin: 'immutable-os',
  options: {
    lintTargetName: 'bootc-lint',
    buildTargetName: 'bootc-build',
    pushTargetName: 'bootc-push',
    convertTargetName: 'bootc-convert',
    testTargetName: 'bootc-test',
    promoteTargetName: 'bootc-promote',
    rollbackTargetName: 'bootc-rollback',
  },
};

describe('immutable-os installed from a registry into a fresh Nx workspace', () => {
  test('init registers the plugin in nx.json once; a second run changes nothing', () => {
    nxOk(workspace, ['g', 'immutable-os:init', '--no-interactive']);
    const nxJson = readText(workspace, 'nx.json');
    const plugins: unknown[] = JSON.parse(nxJson).plugins;
    expect(plugins).toContainEqual(PLUGIN_ENTRY);
    expect(plugins.filter((p) => p === 'immutable-os' || (p as { plugin?: string }).plugin === 'immutable-os')).toHaveLength(1);

    const gitignore = readText(workspace, '.gitignore');
    nxOk(workspace, ['g', 'immutable-os:init', '--no-interactive']);
    expect(readText(workspace, 'nx.json')).toBe(nxJson);
    expect(readText(workspace, '.gitignore')).toBe(gitignore);
  });

  test('image creates edge-node on a bootc base and kiosk FROM edge-node', () => {
    nxOk(workspace, ['g', 'immutable-os:image', 'edge-node', '--no-interactive']);
    nxOk(workspace, ['g', 'immutable-os:image', 'kiosk', '--from', 'edge-node', '--no-interactive']);

    for (const file of ['Containerfile', 'config.toml', 'project.json', 'README.md']) {
      expect({ file, exists: exists(workspace, `images/edge-node/${file}`) }).toEqual({ file, exists: true });
    }
    expect(listFiles(workspace, 'images/edge-node/rootfs')).toEqual(
      expect.arrayContaining([expect.stringMatching(/^images\/edge-node\/rootfs\/(usr|etc)\/.+/)]),
    );
    const edgeNode = readJson(workspace, 'images/edge-node/project.json');
    expect(edgeNode).toMatchObject({ name: 'edge-node', tags: ['os-image'] });
    expect(edgeNode.metadata['immutable-os'].image).toBe('localhost/edge-node');

    const kioskFrom = fromImages(readText(workspace, 'images/kiosk/Containerfile'));
    expect(kioskFrom).toHaveLength(1);
    expect(kioskFrom[0]).toMatch(/^localhost\/edge-node(:[\w][\w.-]*)?$/);
    expect(fromImages(readText(workspace, 'images/edge-node/Containerfile'))[0]).not.toMatch(/^localhost\//);
  });

  test('nx show project infers the bootc-lint target on kiosk', () => {
    const kiosk = JSON.parse(nxOk(workspace, ['show', 'project', 'kiosk', '--json']).stdout);
    expect(kiosk.tags).toContain('os-image');
    expect(kiosk.targets['bootc-lint']).toMatchObject({
      executor: 'immutable-os:lint',
      cache: true,
      metadata: { technologies: ['bootc'] },
    });
  });

  test('the project graph has the FROM edge kiosk -> edge-node', () => {
    const file = join(tempRoot, 'generators-graph.json');
    nxOk(workspace, ['graph', `--file=${file}`]);
    const { graph } = readJson(tempRoot, 'generators-graph.json');
    expect(graph.dependencies.kiosk).toContainEqual({ source: 'kiosk', target: 'edge-node', type: 'static' });
    expect(graph.dependencies['edge-node'] ?? []).not.toContainEqual(expect.objectContaining({ target: 'kiosk' }));
  });

  test('bootc-lint passes --strict on the generated images, fails on /usr/etc and reports it as JSON', () => {
    nxOk(workspace, ['run-many', '-t', 'bootc-lint']);
    // Issue 14: the generated projects have no finding at all, warnings included.
    nxOk(workspace, ['run-many', '-t', 'bootc-lint', '--strict']);

    const path = 'images/kiosk/Containerfile';
    const original = readText(workspace, path);
    const base = original.endsWith('\n') ? original : `${original}\n`;
    const badLine = base.split('\n').length;
    writeFile(workspace, path, `${base}RUN mkdir -p /usr/etc/foo\n`);
    try {
      const failed = nx(workspace, ['run', 'kiosk:bootc-lint']);
      expect({ status: failed.status, mentionsRule: output(failed).includes('usr-etc') }).toEqual({
        status: 1,
        mentionsRule: true,
      });

      const json = nx(workspace, ['run', 'kiosk:bootc-lint', '--format=json']);
      expect(json.status).not.toBe(0);
      const report = findJsonObject(json.stdout);
      expect(report.project).toBe('kiosk');
      expect(report.errors).toBeGreaterThanOrEqual(1);
      expect(report.findings).toContainEqual(
        expect.objectContaining({
          rule: 'usr-etc',
          severity: 'error',
          file: expect.stringMatching(/Containerfile$/),
          line: badLine,
          message: expect.any(String),
          fix: expect.any(String),
        }),
      );
    } finally {
      writeFile(workspace, path, original);
    }

    // Back to the linted content: Nx replays the passing result from its cache.
    const again = nxOk(workspace, ['run', 'kiosk:bootc-lint']);
    expect(again.stdout).toMatch(/local cache|read the output from the cache/);
  });

  test('nx affected follows the FROM edge: a change to edge-node affects kiosk, not the other way', () => {
    commitAll(workspace, 'Add the edge-node and kiosk images');
    expect(workTreeChanges(workspace)).toBe('');

    writeFile(workspace, 'images/edge-node/rootfs/usr/lib/sysctl.d/70-e2e.conf', 'vm.swappiness = 10\n');
    commitAll(workspace, 'edge-node: tune swappiness');
    expect(affectedProjects(workspace)).toEqual(['edge-node', 'kiosk']);

    writeFile(workspace, 'images/kiosk/README.md', `${readText(workspace, 'images/kiosk/README.md')}\nA kiosk flavor.\n`);
    commitAll(workspace, 'kiosk: document the flavor');
    expect(affectedProjects(workspace)).toEqual(['kiosk']);
  });

  describe('bad input to the image generator fails with a clear message and writes nothing', () => {
    beforeAll(() => {
      writeFile(workspace, 'libs/plain/project.json', `${JSON.stringify({ name: 'plain', root: 'libs/plain' }, null, 2)}\n`);
      commitAll(workspace, 'Add a plain project without a Containerfile');
    });

    test.each([
      { args: ['edge-node'], message: /project named "edge-node" already exists/ },
      { args: ['Bad_Name'], message: /Invalid image name "Bad_Name".*lowercase/ },
      { args: ['x', '--from', 'nope'], message: /--from nope: there is no project named "nope".*Image projects: edge-node, kiosk/ },
      { args: ['y', '--from', 'plain'], message: /--from plain: project "plain" is not an image project/ },
      {
        args: ['z', '--from', 'edge-node', '--base', 'quay.io/fedora/fedora-bootc:44'],
        message: /--base and --from are mutually exclusive/,
      },
      { args: ['w', '--formats', 'floppy'], message: /--formats: "floppy" is not a bootc-image-builder type; valid types are .*qcow2/ },
      { args: ['v', '--image', 'UPPER/Case'], message: /--image "UPPER\/Case" is not a valid image reference/ },
    ])('image $args', ({ args, message }) => {
      const result = nx(workspace, ['g', 'immutable-os:image', ...args, '--no-interactive']);
      expect(result.status).not.toBe(0);
      expect(result.status).not.toBeNull();
      if (!message.test(output(result))) throw new Error(`Expected ${message} in the output of:\n${describeFailure(result)}`);
      expect(workTreeChanges(workspace)).toBe('');
    });
  });
});
