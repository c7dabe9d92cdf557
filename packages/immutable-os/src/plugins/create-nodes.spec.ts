import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CreateNodesContext, TargetConfiguration } from '@nx/devkit';
import { createNodes } from './create-nodes';

describe('createNodes', () => {
  let workspaceRoot: string;
  let context: CreateNodesContext;

  beforeEach(() => {
    workspaceRoot = mkdtempSync(join(tmpdir(), 'immutable-os-nodes-'));
    context = { nxJsonConfiguration: {}, workspaceRoot };
  });

  afterEach(() => rmSync(workspaceRoot, { recursive: true, force: true }));

  function write(files: Record<string, string>): string[] {
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(join(workspaceRoot, dirname(file)), { recursive: true });
      writeFileSync(join(workspaceRoot, file), content);
    }
    return Object.keys(files).filter((file) => /(^|\/)(Containerfile|Dockerfile)(\.in)?$/.test(file));
  }

  // The builder-image runtime input names the plugin's script relative to the workspace, which depends on where this checkout is.
  const run = async (files: string[], options?: Parameters<(typeof createNodes)[1]>[1]) =>
    JSON.parse(JSON.stringify(await createNodes[1](files, options, context)).replace(/node \\"[^"]*?\/bin\/builder-image-id\.js\\"/g, 'node <plugin>/bin/builder-image-id.js'));

  it('matches every Containerfile, Containerfile.in, Dockerfile and Dockerfile.in in the workspace', () => {
    expect(createNodes[0]).toBe('**/{Containerfile,Containerfile.in,Dockerfile,Dockerfile.in}');
  });

  describe('other Containerfile names', () => {
    const targetsOf = async (files: string[]) => {
      const results = (await run(files)) as Array<[string, { projects?: Record<string, { targets: Record<string, { inputs?: unknown[] }> }> }]>;
      return Object.fromEntries(results.filter(([, r]) => r.projects).map(([file, r]) => [file, Object.keys(r.projects ?? {})]));
    };

    it('a Containerfile.in makes the image project; a Containerfile beside it wins (bootc-build builds that one)', async () => {
      const files = write({
        'images/family/Containerfile.in': 'FROM quay.io/fedora/fedora-bootc:44\n',
        'images/family/project.json': '{ "name": "family" }',
        'images/both/Containerfile': 'FROM quay.io/fedora/fedora-bootc:44\n',
        'images/both/Containerfile.in': 'FROM quay.io/fedora/fedora-bootc:44\n',
        'images/both/project.json': '{ "name": "both" }',
      });
      expect(await targetsOf(files)).toEqual({ 'images/family/Containerfile.in': ['images/family'], 'images/both/Containerfile': ['images/both'] });
    });

    it('a Dockerfile is an image project only where project.json has metadata["immutable-os"]', async () => {
      const files = write({
        'apps/api/Dockerfile': 'FROM node:20\n',
        'apps/api/project.json': '{ "name": "api" }',
        'images/legacy/Dockerfile': 'FROM quay.io/fedora/fedora-bootc:44\n',
        'images/legacy/project.json': '{ "name": "legacy", "metadata": { "immutable-os": {} } }',
      });
      expect(await targetsOf(files)).toEqual({ 'images/legacy/Dockerfile': ['images/legacy'] });
    });

    it("files a Containerfile.in includes from outside the project, with the project's cppFlags, are inputs of its lint and build", async () => {
      const files = write({
        'images/family/Containerfile.in': 'FROM quay.io/fedora/fedora-bootc:44\n#include "shared/common.inc"\n#if defined(NVIDIA)\n#include "shared/nvidia.inc"\n#endif\n#include "local.inc"\n',
        'images/family/local.inc': 'RUN true\n',
        'images/family/project.json': JSON.stringify({ name: 'family', targets: { 'bootc-build': { options: { cppFlags: ['-DNVIDIA'] } } } }),
        'images/plain/Containerfile.in': 'FROM quay.io/fedora/fedora-bootc:44\n#include "shared/common.inc"\n#if defined(NVIDIA)\n#include "shared/nvidia.inc"\n#endif\n',
        'images/plain/project.json': '{ "name": "plain" }',
        'shared/common.inc': 'RUN echo common\n',
        'shared/nvidia.inc': 'RUN echo nvidia\n',
      });
      const results = Object.fromEntries((await run(files)) as Array<[string, { projects: Record<string, { targets: Record<string, { inputs: unknown[] }> }> }]>);
      const inputs = (file: string, root: string, target: string) => results[file].projects[root].targets[target].inputs.filter((i) => typeof i === 'string' && i.startsWith('{workspaceRoot}'));
      expect(inputs('images/family/Containerfile.in', 'images/family', 'bootc-build')).toEqual(['{workspaceRoot}/shared/common.inc', '{workspaceRoot}/shared/nvidia.inc']);
      expect(inputs('images/family/Containerfile.in', 'images/family', 'bootc-lint')).toEqual(['{workspaceRoot}/**/project.json', '{workspaceRoot}/shared/common.inc', '{workspaceRoot}/shared/nvidia.inc']);
      // Without -DNVIDIA, nvidia.inc is not part of what plain builds: a change to it does not affect plain.
      expect(inputs('images/plain/Containerfile.in', 'images/plain', 'bootc-build')).toEqual(['{workspaceRoot}/shared/common.inc']);

      // Cached by content and options while the included files keep theirs: an edit to an include is seen.
      // (a nested quote include is looked up beside the including file first, as cpp does)
      write({ 'shared/common.inc': '#include "extra.inc"\n', 'shared/extra.inc': 'RUN echo extra\n' });
      const again = Object.fromEntries((await run(files)) as Array<[string, { projects: Record<string, { targets: Record<string, { inputs: unknown[] }> }> }]>);
      expect(again['images/plain/Containerfile.in'].projects['images/plain'].targets['bootc-build'].inputs.filter((i) => typeof i === 'string' && i.startsWith('{workspaceRoot}'))).toEqual([
        '{workspaceRoot}/shared/common.inc',
        '{workspaceRoot}/shared/extra.inc',
      ]);
    });
  });

  it('infers bootc-lint on a Containerfile beside a project.json', async () => {
    const files = write({
      'images/edge-node/Containerfile': 'FROM quay.io/fedora/fedora-bootc:44\n',
      'images/edge-node/project.json': '{ "name": "edge-node" }',
    });
    expect(await run(files)).toMatchInlineSnapshot(`
[
  [
    "images/edge-node/Containerfile",
    {
      "projects": {
        "images/edge-node": {
          "metadata": {
            "targetGroups": {
              "bootc": [
                "bootc-lint",
                "bootc-build",
                "bootc-push",
                "bootc-convert",
                "bootc-test",
                "bootc-promote",
                "bootc-rollback",
              ],
            },
            "technologies": [
              "bootc",
            ],
          },
          "targets": {
            "bootc-build": {
              "cache": true,
              "dependsOn": [
                "^bootc-build",
              ],
              "executor": "immutable-os:build",
              "inputs": [
                "default",
                "!{projectRoot}/config.toml",
                "!{projectRoot}/config.json",
                {
                  "dependentTasksOutputFiles": "**/image.json",
                },
              ],
              "metadata": {
                "description": "Builds the bootc image with podman (or docker, buildah) and records it in dist/images/<project>/image.json.",
                "technologies": [
                  "bootc",
                ],
              },
              "options": {},
              "outputs": [
                "{workspaceRoot}/dist/images/{projectName}/image.json",
                "{workspaceRoot}/dist/images/{projectName}/image.oci.tar",
                "{workspaceRoot}/dist/images/{projectName}/lint.json",
              ],
            },
            "bootc-convert": {
              "cache": true,
              "dependsOn": [
                "bootc-build",
              ],
              "executor": "immutable-os:convert",
              "inputs": [
                "{projectRoot}/config.toml",
                "{projectRoot}/config.json",
                {
                  "dependentTasksOutputFiles": "**/image.json",
                },
                {
                  "runtime": "node <plugin>/bin/builder-image-id.js "quay.io/centos-bootc/bootc-image-builder:latest"",
                },
              ],
              "metadata": {
                "description": "Converts the built image into bootable disks or installers (qcow2, raw, ami, vmdk, vhd, gce, ova, pxe-tar-xz, ISOs) with bootc-image-builder or image-builder, into dist/disks/<project>.",
                "technologies": [
                  "bootc",
                ],
              },
              "options": {},
              "outputs": [
                "{workspaceRoot}/dist/disks/{projectName}",
                "{options.outputPath}",
              ],
            },
            "bootc-lint": {
              "cache": true,
              "executor": "immutable-os:lint",
              "inputs": [
                "default",
                "{workspaceRoot}/**/project.json",
              ],
              "metadata": {
                "description": "Checks the Containerfile, rootfs/ and config.toml against the bootc image rules (no engine needed).",
                "technologies": [
                  "bootc",
                ],
              },
              "options": {},
            },
            "bootc-promote": {
              "cache": false,
              "executor": "immutable-os:promote",
              "metadata": {
                "description": "Moves a channel tag (--channel=stable) to the digest built, pushed and boot-tested here, by digest with skopeo; logs the move in releases/<project>.jsonl.",
                "technologies": [
                  "bootc",
                ],
              },
              "options": {
                "buildTarget": "bootc-build",
                "testReport": "dist/tests/{projectName}/result.json",
              },
            },
            "bootc-push": {
              "cache": true,
              "dependsOn": [
                "bootc-build",
              ],
              "executor": "immutable-os:push",
              "inputs": [
                {
                  "dependentTasksOutputFiles": "**/image.json",
                },
              ],
              "metadata": {
                "description": "Pushes every tag of the built image to its registry and records the manifest digest in dist/images/<project>/push.json.",
                "technologies": [
                  "bootc",
                ],
              },
              "options": {},
              "outputs": [
                "{workspaceRoot}/dist/images/{projectName}/push.json",
              ],
            },
            "bootc-rollback": {
              "cache": false,
              "executor": "immutable-os:rollback",
              "metadata": {
                "description": "Moves a channel tag (--channel=stable) back to the digest it named before its latest promotion, from releases/<project>.jsonl.",
                "technologies": [
                  "bootc",
                ],
              },
              "options": {},
            },
            "bootc-test": {
              "cache": true,
              "dependsOn": [
                "bootc-convert",
              ],
              "executor": "immutable-os:test",
              "inputs": [
                {
                  "dependentTasksOutputFiles": "**/artifacts.json",
                },
              ],
              "metadata": {
                "description": "Boots the converted disk in a qemu VM (KVM when it works, else TCG) and checks its console; reports in dist/tests/<project> (console.log, result.json, junit.xml).",
                "technologies": [
                  "bootc",
                ],
              },
              "options": {},
              "outputs": [
                "{workspaceRoot}/dist/tests/{projectName}",
                "{options.outputPath}",
              ],
            },
            "nx-release-publish": {
              "dependsOn": [
                "bootc-build",
              ],
              "executor": "immutable-os:release-publish",
              "metadata": {
                "description": "Pushes the built image under its release version (run by nx release publish).",
                "technologies": [
                  "bootc",
                ],
              },
              "options": {},
            },
          },
        },
      },
    },
  ],
]
`);
  });

  it('infers bootc-lint on a Containerfile beside a package.json', async () => {
    const files = write({
      'images/kiosk/Containerfile': 'FROM localhost/edge-node\n',
      'images/kiosk/package.json': '{ "name": "kiosk" }',
    });
    expect(await run(files)).toMatchInlineSnapshot(`
[
  [
    "images/kiosk/Containerfile",
    {
      "projects": {
        "images/kiosk": {
          "metadata": {
            "targetGroups": {
              "bootc": [
                "bootc-lint",
                "bootc-build",
                "bootc-push",
                "bootc-convert",
                "bootc-test",
                "bootc-promote",
                "bootc-rollback",
              ],
            },
            "technologies": [
              "bootc",
            ],
          },
          "targets": {
            "bootc-build": {
              "cache": true,
              "dependsOn": [
                "^bootc-build",
              ],
              "executor": "immutable-os:build",
              "inputs": [
                "default",
                "!{projectRoot}/config.toml",
                "!{projectRoot}/config.json",
                {
                  "dependentTasksOutputFiles": "**/image.json",
                },
              ],
              "metadata": {
                "description": "Builds the bootc image with podman (or docker, buildah) and records it in dist/images/<project>/image.json.",
                "technologies": [
                  "bootc",
                ],
              },
              "options": {},
              "outputs": [
                "{workspaceRoot}/dist/images/{projectName}/image.json",
                "{workspaceRoot}/dist/images/{projectName}/image.oci.tar",
                "{workspaceRoot}/dist/images/{projectName}/lint.json",
              ],
            },
            "bootc-convert": {
              "cache": true,
              "dependsOn": [
                "bootc-build",
              ],
              "executor": "immutable-os:convert",
              "inputs": [
                "{projectRoot}/config.toml",
                "{projectRoot}/config.json",
                {
                  "dependentTasksOutputFiles": "**/image.json",
                },
                {
                  "runtime": "node <plugin>/bin/builder-image-id.js "quay.io/centos-bootc/bootc-image-builder:latest"",
                },
              ],
              "metadata": {
                "description": "Converts the built image into bootable disks or installers (qcow2, raw, ami, vmdk, vhd, gce, ova, pxe-tar-xz, ISOs) with bootc-image-builder or image-builder, into dist/disks/<project>.",
                "technologies": [
                  "bootc",
                ],
              },
              "options": {},
              "outputs": [
                "{workspaceRoot}/dist/disks/{projectName}",
                "{options.outputPath}",
              ],
            },
            "bootc-lint": {
              "cache": true,
              "executor": "immutable-os:lint",
              "inputs": [
                "default",
                "{workspaceRoot}/**/project.json",
              ],
              "metadata": {
                "description": "Checks the Containerfile, rootfs/ and config.toml against the bootc image rules (no engine needed).",
                "technologies": [
                  "bootc",
                ],
              },
              "options": {},
            },
            "bootc-promote": {
              "cache": false,
              "executor": "immutable-os:promote",
              "metadata": {
                "description": "Moves a channel tag (--channel=stable) to the digest built, pushed and boot-tested here, by digest with skopeo; logs the move in releases/<project>.jsonl.",
                "technologies": [
                  "bootc",
                ],
              },
              "options": {
                "buildTarget": "bootc-build",
                "testReport": "dist/tests/{projectName}/result.json",
              },
            },
            "bootc-push": {
              "cache": true,
              "dependsOn": [
                "bootc-build",
              ],
              "executor": "immutable-os:push",
              "inputs": [
                {
                  "dependentTasksOutputFiles": "**/image.json",
                },
              ],
              "metadata": {
                "description": "Pushes every tag of the built image to its registry and records the manifest digest in dist/images/<project>/push.json.",
                "technologies": [
                  "bootc",
                ],
              },
              "options": {},
              "outputs": [
                "{workspaceRoot}/dist/images/{projectName}/push.json",
              ],
            },
            "bootc-rollback": {
              "cache": false,
              "executor": "immutable-os:rollback",
              "metadata": {
                "description": "Moves a channel tag (--channel=stable) back to the digest it named before its latest promotion, from releases/<project>.jsonl.",
                "technologies": [
                  "bootc",
                ],
              },
              "options": {},
            },
            "bootc-test": {
              "cache": true,
              "dependsOn": [
                "bootc-convert",
              ],
              "executor": "immutable-os:test",
              "inputs": [
                {
                  "dependentTasksOutputFiles": "**/artifacts.json",
                },
              ],
              "metadata": {
                "description": "Boots the converted disk in a qemu VM (KVM when it works, else TCG) and checks its console; reports in dist/tests/<project> (console.log, result.json, junit.xml).",
                "technologies": [
                  "bootc",
                ],
              },
              "options": {},
              "outputs": [
                "{workspaceRoot}/dist/tests/{projectName}",
                "{options.outputPath}",
              ],
            },
            "nx-release-publish": {
              "dependsOn": [
                "bootc-build",
              ],
              "executor": "immutable-os:release-publish",
              "metadata": {
                "description": "Pushes the built image under its release version (run by nx release publish).",
                "technologies": [
                  "bootc",
                ],
              },
              "options": {},
            },
          },
        },
      },
    },
  ],
]
`);
  });

  it('infers a project at the workspace root', async () => {
    const files = write({ Containerfile: 'FROM ghcr.io/ublue-os/base-main:latest\n', 'package.json': '{ "name": "my-os" }' });
    const [[file, result]] = await run(files);
    expect(file).toBe('Containerfile');
    expect(Object.keys(result.projects ?? {})).toEqual(['.']);
  });

  it('creates no project for a stray Containerfile or one under node_modules or dist', async () => {
    const files = write({
      'fixtures/stray/Containerfile': 'FROM scratch\n',
      'node_modules/some-package/Containerfile': 'FROM scratch\n',
      'node_modules/some-package/package.json': '{ "name": "some-package" }',
      'dist/images/edge-node/Containerfile': 'FROM scratch\n',
      'dist/images/edge-node/project.json': '{ "name": "edge-node" }',
      'images/real/node_modules/dep/Containerfile': 'FROM scratch\n',
      'images/real/node_modules/dep/package.json': '{ "name": "dep" }',
    });
    expect(await run(files)).toEqual(files.map((file) => [file, {}]));
  });

  it('reports every file it could not read a project from, as createNodesFromFiles does', async () => {
    const files = write({ 'images/a/Containerfile': 'FROM x\n', 'images/a/project.json': '{}', 'images/b/Containerfile': 'FROM y\n', 'images/b/project.json': '{}' });
    const broken = Object.defineProperty({}, 'targetDefaults', {
      get() {
        throw new Error('nx.json could not be read');
      },
    });
    context = { ...context, nxJsonConfiguration: broken };
    const failure = await Promise.resolve()
      .then(() => run(files))
      .catch((error: unknown) => error as { name: string; errors: Array<[string, Error]> });
    expect(failure).toMatchObject({ name: 'AggregateCreateNodesError' });
    expect((failure as { errors: Array<[string, Error]> }).errors.map(([file, error]) => [file, error.message])).toEqual([
      ['images/a/Containerfile', 'nx.json could not be read'],
      ['images/b/Containerfile', 'nx.json could not be read'],
    ]);
  });

  describe('variants', () => {
    const FAMILY = {
      name: 'bluefin',
      metadata: {
        'immutable-os': {
          variants: {
            name: '{project}-{flavor}-{stream}',
            image: 'ghcr.io/acme/bluefin-{flavor}',
            tags: ['{stream}'],
            buildArgs: { STREAM: '{stream}' },
            options: { 'bootc-build': { pull: 'newer' }, 'bootc-convert': { rootfs: 'xfs' } },
            axes: { flavor: { main: {}, nvidia: { cppFlags: ['-DNVIDIA'], formats: ['anaconda-iso'] } }, stream: ['stable', 'beta'] },
            exclude: [{ flavor: 'nvidia', stream: 'beta' }],
          },
        },
      },
    };
    const familyFiles = () =>
      write({
        'images/bluefin/Containerfile.in': 'FROM quay.io/fedora/fedora-bootc:44\n#if defined(NVIDIA)\n#include "../../shared/nvidia.inc"\n#endif\n',
        'images/bluefin/project.json': JSON.stringify({ ...FAMILY, tags: ['os-image'] }),
        'shared/nvidia.inc': 'RUN echo nvidia\n',
      });

    it('a variant\'s runner reaches its project as metadata["immutable-os"].ci.runner, which immutable-os ci-plan reads', async () => {
      const family = { ...FAMILY, metadata: { 'immutable-os': { variants: { axes: { arch: { x86_64: {}, aarch64: { runner: ['ubuntu-24.04-arm'] } } } } } } };
      const [[, result]] = await run(write({ 'images/os/Containerfile': 'FROM quay.io/fedora/fedora-bootc:44\n', 'images/os/project.json': JSON.stringify(family) }));
      const projects = result.projects as Record<string, { metadata: Record<string, Record<string, unknown>> }>;
      expect(projects['images/os/.variants/bluefin-aarch64'].metadata['immutable-os'].ci).toEqual({ runner: ['ubuntu-24.04-arm'] });
      expect(projects['images/os/.variants/bluefin-x86_64'].metadata['immutable-os'].ci).toBeUndefined();
    });

    it('makes one project per cell at <root>/.variants/<cell>, with its options, outputs and inputs; the declaring project gets no targets', async () => {
      const [[file, result]] = await run(familyFiles());
      expect(file).toBe('images/bluefin/Containerfile.in');
      const projects = result.projects as Record<string, { name: string; tags: string[]; implicitDependencies: string[]; targets: Record<string, TargetConfiguration>; metadata: Record<string, unknown> }>;
      expect(Object.keys(projects)).toEqual(['images/bluefin/.variants/bluefin-main-stable', 'images/bluefin/.variants/bluefin-main-beta', 'images/bluefin/.variants/bluefin-nvidia-stable']);
      const nvidia = projects['images/bluefin/.variants/bluefin-nvidia-stable'];
      expect(nvidia.name).toBe('bluefin-nvidia-stable');
      expect(nvidia.tags).toEqual(['os-image', 'family:bluefin', 'flavor:nvidia', 'stream:stable']);
      expect(nvidia.implicitDependencies).toEqual(['bluefin']);
      expect(nvidia.metadata['immutable-os']).toEqual({
        image: 'ghcr.io/acme/bluefin-nvidia',
        tags: ['stable'],
        formats: ['anaconda-iso'],
        variant: { family: 'bluefin', sourceRoot: 'images/bluefin', values: { flavor: 'nvidia', stream: 'stable' } },
      });
      expect(nvidia.targets['bootc-build'].options).toEqual({ pull: 'newer', image: 'ghcr.io/acme/bluefin-nvidia', buildArgs: { STREAM: 'stable' }, cppFlags: ['-DNVIDIA'], tags: ['stable'] });
      // The declaring folder's files but its project.json (the matrix reaches a cell as its options), the include only -DNVIDIA reads.
      expect(nvidia.targets['bootc-build'].inputs).toEqual([
        '{workspaceRoot}/images/bluefin/**/*',
        '!{workspaceRoot}/images/bluefin/project.json',
        '!{workspaceRoot}/images/bluefin/config.toml',
        '!{workspaceRoot}/images/bluefin/config.json',
        '{workspaceRoot}/shared/nvidia.inc',
        { dependentTasksOutputFiles: '**/image.json' },
      ]);
      expect(nvidia.targets['bootc-build'].outputs).toEqual(['{workspaceRoot}/dist/images/{projectName}/image.json', '{workspaceRoot}/dist/images/{projectName}/image.oci.tar', '{workspaceRoot}/dist/images/{projectName}/lint.json']);
      expect(nvidia.targets['bootc-convert']).toMatchObject({
        options: { rootfs: 'xfs', types: ['anaconda-iso'] },
        inputs: ['{workspaceRoot}/images/bluefin/config.toml', '{workspaceRoot}/images/bluefin/config.json', { dependentTasksOutputFiles: '**/image.json' }, { runtime: 'node <plugin>/bin/builder-image-id.js "quay.io/centos-bootc/bootc-image-builder:latest"' }],
        outputs: ['{workspaceRoot}/dist/disks/{projectName}', '{options.outputPath}'],
      });
      expect(nvidia.targets['bootc-lint'].inputs).toEqual(['{workspaceRoot}/images/bluefin/**/*', '!{workspaceRoot}/images/bluefin/project.json', '{workspaceRoot}/**/project.json', '{workspaceRoot}/shared/nvidia.inc']);
      const main = projects['images/bluefin/.variants/bluefin-main-stable'];
      expect(main.targets['bootc-build'].inputs).not.toContain('{workspaceRoot}/shared/nvidia.inc');
      expect(main.targets['bootc-build'].options).toEqual({ pull: 'newer', image: 'ghcr.io/acme/bluefin-main', buildArgs: { STREAM: 'stable' }, tags: ['stable'] });
      expect(main.targets['bootc-convert'].options).toEqual({ rootfs: 'xfs' });
    });

    it('a bad matrix fails naming the project.json, the key and the value; the other projects still load', async () => {
      const files = [
        ...familyFiles(),
        ...write({
          'images/broken/Containerfile': 'FROM quay.io/fedora/fedora-bootc:44\n',
          'images/broken/project.json': JSON.stringify({ name: 'broken', metadata: { 'immutable-os': { variants: { axes: { flavor: ['main'] }, exclude: [{ stream: 'beta' }] } } } }),
          'images/owned/Containerfile': 'FROM quay.io/fedora/fedora-bootc:44\n',
          'images/owned/project.json': JSON.stringify({ name: 'owned', targets: { 'bootc-build': { options: { pull: 'always' } } }, metadata: { 'immutable-os': { variants: { axes: { flavor: ['main'] } } } } }),
        }),
      ];
      const failure = (await Promise.resolve()
        .then(() => run(files))
        .catch((error: unknown) => error)) as { name: string; errors: Array<[string, Error]>; partialResults: Array<[string, { projects?: object }]> };
      expect(failure.name).toBe('AggregateCreateNodesError');
      expect(failure.errors.map(([file, error]) => [file, error.message])).toEqual([
        ['images/broken/Containerfile', 'images/broken/project.json: metadata["immutable-os"].variants.exclude[0].stream: "stream" is not an axis of this matrix (flavor).'],
        ['images/owned/Containerfile', 'images/owned/project.json: targets.bootc-build: a project with variants gets no bootc-build of its own, each variant does; move its options to metadata["immutable-os"].variants.options["bootc-build"].'],
      ]);
      expect(failure.partialResults.map(([file, r]) => [file, Object.keys(r.projects ?? {}).length])).toEqual([['images/bluefin/Containerfile.in', 3]]);
    });

    it('refuses family-level image settings, which no variant would read', async () => {
      const files = write({
        'images/a/Containerfile': 'FROM quay.io/fedora/fedora-bootc:44\n',
        'images/a/project.json': JSON.stringify({ name: 'a', metadata: { 'immutable-os': { image: 'ghcr.io/acme/a', variants: { axes: { flavor: ['main'] } } } } }),
      });
      await expect(Promise.resolve().then(() => run(files))).rejects.toMatchObject({
        errors: [['images/a/Containerfile', expect.objectContaining({ message: 'images/a/project.json: metadata["immutable-os"].image: a project with variants does not read it (each variant has its own); move it to metadata["immutable-os"].variants.image, where {axis} tokens name each variant\'s values.' })]],
      });
    });

    it('refuses options for a target a variant does not have', async () => {
      const files = write({
        'images/a/Containerfile': 'FROM quay.io/fedora/fedora-bootc:44\n',
        'images/a/project.json': JSON.stringify({ name: 'a', metadata: { 'immutable-os': { variants: { options: { build: {} }, axes: { flavor: ['main'] } } } } }),
      });
      await expect(Promise.resolve().then(() => run(files))).rejects.toMatchObject({
        errors: [['images/a/Containerfile', expect.objectContaining({ message: 'images/a/project.json: metadata["immutable-os"].variants.options: "build" is not a target of a variant (bootc-lint, bootc-build, bootc-push, bootc-convert, bootc-test, bootc-promote, bootc-rollback).' })]],
      });
    });
  });

  describe('pinned bases', () => {
    const D42 = `sha256:${'4'.repeat(64)}`;
    const D41 = `sha256:${'1'.repeat(64)}`;
    const LOCK = `images:\n  - name: f42\n    image: quay.io/fedora/fedora-bootc\n    tag: "42"\n    digest: ${D42}\n  - name: f41\n    image: quay.io/fedora/fedora-bootc\n    tag: "41"\n    digest: ${D41}\n`;
    type Targets = Record<string, { options?: Record<string, unknown>; inputs?: unknown[] }>;
    const targetsBy = (results: Array<[string, { projects?: Record<string, { targets: Targets }> }]>) =>
      Object.fromEntries(results.flatMap(([, r]) => Object.entries(r.projects ?? {}).map(([root, p]) => [root, p.targets])));

    it('gives each bootc-build the pins its own FROMs use (per variant, with its args), and bootc-lint the lock file', async () => {
      const files = write({
        'image-versions.yml': LOCK,
        'images/plain/Containerfile': 'FROM quay.io/fedora/fedora-bootc:42\nRUN true\n',
        'images/plain/project.json': '{ "name": "plain" }',
        'images/other/Containerfile': 'FROM quay.io/centos-bootc/centos-bootc:stream10\n',
        'images/other/project.json': '{ "name": "other" }',
        'images/fam/Containerfile': 'ARG V\nFROM quay.io/fedora/fedora-bootc:${V}\n',
        'images/fam/project.json': JSON.stringify({ name: 'fam', metadata: { 'immutable-os': { variants: { buildArgs: { V: '{v}' }, axes: { v: ['41', '42', '43'] } } } } }),
      });
      const targets = targetsBy(await run(files));
      expect(targets['images/plain']['bootc-build'].options).toEqual({ pinnedBases: { 'quay.io/fedora/fedora-bootc:42': D42 } });
      expect(targets['images/plain']['bootc-lint'].options).toEqual({ pins: 'image-versions.yml' });
      expect(targets['images/plain']['bootc-lint'].inputs).toContain('{workspaceRoot}/image-versions.yml');
      expect(targets['images/other']['bootc-build'].options).toEqual({});
      expect(targets['images/fam/.variants/fam-41']['bootc-build'].options?.pinnedBases).toEqual({ 'quay.io/fedora/fedora-bootc:41': D41 });
      expect(targets['images/fam/.variants/fam-42']['bootc-build'].options?.pinnedBases).toEqual({ 'quay.io/fedora/fedora-bootc:42': D42 });
      expect(targets['images/fam/.variants/fam-43']['bootc-build'].options?.pinnedBases).toBeUndefined();
    });

    it('without a lock file nothing is pinned, and the plugin option names another file', async () => {
      const files = write({ 'pins.yml': LOCK, 'images/plain/Containerfile': 'FROM quay.io/fedora/fedora-bootc:42\n', 'images/plain/project.json': '{ "name": "plain" }' });
      expect(targetsBy(await run(files))['images/plain']['bootc-build'].options).toEqual({});
      expect(targetsBy(await run(files, { pins: 'pins.yml' }))['images/plain']['bootc-build'].options).toEqual({ pinnedBases: { 'quay.io/fedora/fedora-bootc:42': D42 } });
    });

    it('a lock file that does not check fails naming it', async () => {
      const files = write({ 'image-versions.yml': 'images:\n  - name: x\n', 'images/plain/Containerfile': 'FROM quay.io/fedora/fedora-bootc:42\n', 'images/plain/project.json': '{ "name": "plain" }' });
      await expect(Promise.resolve().then(() => run(files))).rejects.toMatchObject({
        errors: [['image-versions.yml', expect.objectContaining({ message: 'image-versions.yml: images[0].image: expected a string, got undefined.' })]],
      });
    });
  });

  it('names the targets after the plugin options', async () => {
    const files = write({
      'images/edge-node/Containerfile': 'FROM quay.io/fedora/fedora-bootc:44\n',
      'images/edge-node/project.json': '{ "name": "edge-node" }',
    });
    const [[, result]] = await run(files, { lintTargetName: 'os-lint', buildTargetName: 'os-build', testTargetName: 'boot', promoteTargetName: 'release' });
    const project = result.projects?.['images/edge-node'];
    expect(Object.keys(project?.targets ?? {})).toEqual(['os-lint', 'os-build', 'bootc-push', 'bootc-convert', 'boot', 'release', 'bootc-rollback', 'nx-release-publish']);
    expect(project?.metadata?.targetGroups).toEqual({ bootc: ['os-lint', 'os-build', 'bootc-push', 'bootc-convert', 'boot', 'release', 'bootc-rollback'] });
    // The release targets are never cached and depend on nothing: they move tags to what was built, pushed and tested.
    expect(project?.targets?.release).toEqual({
      executor: 'immutable-os:promote',
      cache: false,
      options: { buildTarget: 'os-build', testReport: 'dist/tests/{projectName}/result.json' },
      metadata: expect.objectContaining({ technologies: ['bootc'] }),
    });
    expect(project?.targets?.['bootc-rollback']).toMatchObject({ executor: 'immutable-os:rollback', cache: false });
    expect(project?.targets?.['bootc-rollback']?.dependsOn).toBeUndefined();
    expect(project?.targets?.boot).toMatchObject({ executor: 'immutable-os:test', dependsOn: ['bootc-convert'], cache: true, inputs: [{ dependentTasksOutputFiles: '**/artifacts.json' }] });
    expect(project?.targets?.['os-lint']?.executor).toBe('immutable-os:lint');
    expect(project?.targets?.['os-build']).toMatchObject({ executor: 'immutable-os:build', dependsOn: ['^os-build'] });
    expect(project?.targets?.['bootc-push']).toMatchObject({ executor: 'immutable-os:push', dependsOn: ['os-build'] });
    expect(project?.targets?.['bootc-convert']).toMatchObject({ executor: 'immutable-os:convert', dependsOn: ['os-build'] });
  });

  it('keeps the default name for an option left undefined', async () => {
    const files = write({
      'images/edge-node/Containerfile': 'FROM quay.io/fedora/fedora-bootc:44\n',
      'images/edge-node/project.json': '{ "name": "edge-node" }',
    });
    const [[, result]] = await run(files, { lintTargetName: undefined });
    expect(Object.keys(result.projects?.['images/edge-node']?.targets ?? {})).toEqual(['bootc-lint', 'bootc-build', 'bootc-push', 'bootc-convert', 'bootc-test', 'bootc-promote', 'bootc-rollback', 'nx-release-publish']);
  });
});

describe('createNodes: release tags', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'create-nodes-release-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const pushInputs = async (projectJson: object) => {
    mkdirSync(join(root, 'images/kiosk'), { recursive: true });
    writeFileSync(join(root, 'images/kiosk/Containerfile'), 'FROM quay.io/fedora/fedora-bootc:44\n');
    writeFileSync(join(root, 'images/kiosk/project.json'), JSON.stringify(projectJson));
    const results = await createNodes[1](['images/kiosk/Containerfile'], {}, { nxJsonConfiguration: {}, workspaceRoot: root });
    return results[0][1].projects?.['images/kiosk']?.targets?.['bootc-push']?.inputs;
  };

  test.each([
    ['no {version} tags', { name: 'kiosk' }, [{ dependentTasksOutputFiles: '**/image.json' }]],
    ['{version} in the metadata tags', { name: 'kiosk', metadata: { 'immutable-os': { tags: ['latest', '{version}'] } } }, [{ dependentTasksOutputFiles: '**/image.json' }, { runtime: 'git tag --points-at HEAD' }]],
    ['{version} in bootc-build options', { name: 'kiosk', targets: { 'bootc-build': { options: { tags: ['v{version}'] } } } }, [{ dependentTasksOutputFiles: '**/image.json' }, { runtime: 'git tag --points-at HEAD' }]],
  ])('%s: bootc-push inputs', async (_name, projectJson, inputs) => {
    expect(await pushInputs(projectJson)).toEqual(inputs);
  });
});
