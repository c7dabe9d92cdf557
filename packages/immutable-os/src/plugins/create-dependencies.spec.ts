import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateDependency, type CreateDependenciesContext, type ProjectConfiguration } from '@nx/devkit';
import { workspaceDataDirectory as nxWorkspaceDataDirectory } from '@nx/devkit/internal';
import { createDependencies, imageDependencies, workspaceDataDirectory } from './create-dependencies';

interface TestProject {
  root: string;
  /** The Containerfile's content; none for a project that is not an image project. */
  containerfile?: string;
  /** `metadata["immutable-os"].image` */
  image?: string;
  /** Hashed by Nx, but unreadable when the plugin gets to it (here: a folder in its place). */
  unreadable?: boolean;
}

const PROJECTS: Record<string, TestProject> = {
  // FROM an external bootc base only: no edge.
  'edge-node': { root: 'images/edge-node', containerfile: 'FROM quay.io/fedora/fedora-bootc:44\n' },
  base: {
    root: 'images/base',
    image: 'ghcr.io/acme/base',
    containerfile: 'FROM quay.io/centos-bootc/centos-bootc:stream10\nRUN dnf -y install tmux\n',
  },
  tools: { root: 'images/tools', image: 'ghcr.io/acme/tools:1', containerfile: 'FROM registry.fedoraproject.org/fedora:44\n' },
  kiosk: { root: 'images/kiosk', containerfile: 'FROM localhost/edge-node:latest\nRUN dnf -y install firefox\n' },
  'short-name': { root: 'images/short-name', containerfile: 'FROM edge-node\n' },
  server: { root: 'images/server', containerfile: 'FROM ghcr.io/acme/base:1.0\n' },
  'copy-from': {
    root: 'images/copy-from',
    containerfile: 'FROM localhost/edge-node\nCOPY --from=ghcr.io/acme/tools:1 /usr/bin/tool /usr/bin/tool\n',
  },
  'multi-stage': {
    root: 'images/multi-stage',
    containerfile: [
      'FROM ghcr.io/acme/base AS build',
      'RUN make',
      'FROM scratch AS ctx',
      'COPY build.sh /',
      'FROM localhost/kiosk',
      'COPY --from=build /out /usr/bin',
      'RUN --mount=type=bind,from=ctx,target=/ctx --mount=type=bind,from=ghcr.io/acme/tools,target=/t /ctx/build.sh',
      'FROM kiosk AS again',
      '',
    ].join('\n'),
  },
  'arg-based': {
    root: 'images/arg-based',
    containerfile: 'ARG REGISTRY=localhost\nARG BASE=${REGISTRY}/edge-node\nARG TAG\nFROM ${BASE}:${TAG}\n',
  },
  'self-reference': { root: 'images/self-reference', containerfile: 'FROM localhost/self-reference:previous\n' },
  // Not an image project: a FROM naming it gives no edge.
  docs: { root: 'docs' },
  'uses-docs': { root: 'images/uses-docs', containerfile: 'FROM docs\n' },
  // A Containerfile that cannot be read must not break the graph (bootc-lint reports it).
  unreadable: { root: 'images/unreadable', containerfile: 'FROM localhost/edge-node\n', unreadable: true },
};

const edge = (source: string, target: string) => ({
  source,
  target,
  type: 'static',
  sourceFile: `${PROJECTS[source].root}/Containerfile`,
});

const EXPECTED_EDGES = [
  edge('kiosk', 'edge-node'),
  edge('short-name', 'edge-node'),
  edge('server', 'base'),
  edge('copy-from', 'edge-node'),
  edge('copy-from', 'tools'),
  edge('multi-stage', 'base'),
  edge('multi-stage', 'kiosk'),
  edge('multi-stage', 'tools'),
  edge('arg-based', 'edge-node'),
];

describe('createDependencies', () => {
  let workspaceRoot: string;
  let cachePath: string;
  const hashes: Record<string, string> = {};

  beforeEach(() => {
    workspaceRoot = mkdtempSync(join(tmpdir(), 'immutable-os-deps-'));
    cachePath = join(workspaceRoot, '.nx', 'workspace-data', 'immutable-os-containerfiles.json');
    for (const [name, { root, containerfile, unreadable }] of Object.entries(PROJECTS)) {
      mkdirSync(join(workspaceRoot, root), { recursive: true });
      writeFileSync(join(workspaceRoot, root, 'project.json'), JSON.stringify({ name }));
      if (containerfile === undefined) continue;
      hashes[name] = `${name}-1`;
      if (unreadable) mkdirSync(join(workspaceRoot, root, 'Containerfile'));
      else writeFileSync(join(workspaceRoot, root, 'Containerfile'), containerfile);
    }
  });

  afterEach(() => rmSync(workspaceRoot, { recursive: true, force: true }));

  function context(): CreateDependenciesContext {
    const projects: Record<string, ProjectConfiguration> = {};
    const projectFileMap: CreateDependenciesContext['fileMap']['projectFileMap'] = {};
    for (const [name, { root, image, containerfile }] of Object.entries(PROJECTS)) {
      projects[name] = { name, root, ...(image ? { metadata: { 'immutable-os': { image } } } : {}) };
      projectFileMap[name] = [
        { file: `${root}/project.json`, hash: `${name}-project` },
        ...(containerfile !== undefined ? [{ file: `${root}/Containerfile`, hash: hashes[name] }] : []),
      ];
    }
    const fileMap = { projectFileMap, nonProjectFiles: [] };
    return { projects, nxJsonConfiguration: {}, fileMap, filesToProcess: fileMap, externalNodes: {}, workspaceRoot };
  }

  const sorted = <T extends { source: string; target: string }>(edges: T[]) =>
    [...edges].sort((a, b) => a.source.localeCompare(b.source) || a.target.localeCompare(b.target));

  it('adds a static edge for every workspace image a Containerfile builds on', () => {
    const ctx = context();
    const edges = imageDependencies(ctx, cachePath);
    expect(sorted(edges)).toEqual(sorted(EXPECTED_EDGES));
    for (const dependency of edges) expect(() => validateDependency(dependency, ctx)).not.toThrow();
  });

  it('lists the edges of a project in the order its Containerfile uses the images, once each', () => {
    const edges = imageDependencies(context(), cachePath).filter((e) => e.source === 'multi-stage');
    expect(edges).toMatchInlineSnapshot(`
[
  {
    "source": "multi-stage",
    "sourceFile": "images/multi-stage/Containerfile",
    "target": "base",
    "type": "static",
  },
  {
    "source": "multi-stage",
    "sourceFile": "images/multi-stage/Containerfile",
    "target": "kiosk",
    "type": "static",
  },
  {
    "source": "multi-stage",
    "sourceFile": "images/multi-stage/Containerfile",
    "target": "tools",
    "type": "static",
  },
]
`);
  });

  it('caches the parsed Containerfiles by hash: an unchanged file is not read again', () => {
    const first = imageDependencies(context(), cachePath);
    const cached = Object.keys(JSON.parse(readFileSync(cachePath, 'utf8')).entries);
    expect(cached.sort()).toEqual(Object.values(hashes).filter((hash) => hash !== 'unreadable-1').sort());
    for (const { root, containerfile } of Object.values(PROJECTS)) {
      if (containerfile !== undefined) rmSync(join(workspaceRoot, root, 'Containerfile'), { recursive: true });
    }
    expect(imageDependencies(context(), cachePath)).toEqual(first);
  });

  it('parses a Containerfile again when its hash changes, and forgets the old entry', () => {
    imageDependencies(context(), cachePath);
    writeFileSync(join(workspaceRoot, PROJECTS.kiosk.root, 'Containerfile'), 'FROM ghcr.io/acme/base:2\n');
    hashes.kiosk = 'kiosk-2';
    const edges = imageDependencies(context(), cachePath);
    expect(edges.filter((e) => e.source === 'kiosk')).toEqual([edge('kiosk', 'base')]);
    const entries = JSON.parse(readFileSync(cachePath, 'utf8')).entries;
    expect(Object.keys(entries)).toContain('kiosk-2');
    expect(Object.keys(entries)).not.toContain('kiosk-1');
  });

  it('does not cache a Containerfile it could not read', () => {
    imageDependencies(context(), cachePath);
    const path = join(workspaceRoot, PROJECTS.unreadable.root, 'Containerfile');
    rmSync(path, { recursive: true });
    writeFileSync(path, PROJECTS.unreadable.containerfile ?? '');
    expect(imageDependencies(context(), cachePath).filter((e) => e.source === 'unreadable')).toEqual([edge('unreadable', 'edge-node')]);
  });

  it('rebuilds a corrupt cache file', () => {
    mkdirSync(join(cachePath, '..'), { recursive: true });
    writeFileSync(cachePath, '{ not json');
    expect(sorted(imageDependencies(context(), cachePath))).toEqual(sorted(EXPECTED_EDGES));
    expect(JSON.parse(readFileSync(cachePath, 'utf8')).version).toEqual(expect.any(Number));
  });

  it('returns no edges, and writes no cache, in a workspace without image projects', async () => {
    const ctx = context();
    const projects = { docs: ctx.projects.docs };
    const fileMap = { projectFileMap: { docs: ctx.fileMap.projectFileMap.docs }, nonProjectFiles: [] };
    expect(await createDependencies(undefined, { ...ctx, projects, fileMap, filesToProcess: fileMap })).toEqual([]);
    expect(imageDependencies({ ...ctx, projects, fileMap, filesToProcess: fileMap }, cachePath)).toEqual([]);
    expect(existsSync(cachePath)).toBe(false);
  });

  it("keeps its cache in Nx's workspace data folder, read without loading @nx/devkit/internal", () => {
    expect(workspaceDataDirectory()).toBe(nxWorkspaceDataDirectory);
  });

  describe('through the resolver bootc-build uses: build args, Containerfile.in and cpp flags', () => {
    // A family's projects as the graph sees them: bootc-build's options, merged by Nx, on the project.
    const build = (options: Record<string, unknown>) => ({ targets: { 'bootc-build': { executor: 'immutable-os:build', options } } });
    function familyContext(extra: Record<string, { root: string; file: string; content: string; options: Record<string, unknown> }>, files: Record<string, string> = {}): CreateDependenciesContext {
      const ctx = context();
      for (const [path, content] of Object.entries(files)) {
        mkdirSync(join(workspaceRoot, path, '..'), { recursive: true });
        writeFileSync(join(workspaceRoot, path), content);
      }
      for (const [name, { root, file, content, options }] of Object.entries(extra)) {
        mkdirSync(join(workspaceRoot, root), { recursive: true });
        writeFileSync(join(workspaceRoot, root, file), content);
        ctx.projects[name] = { name, root, ...build(options) };
        ctx.fileMap.projectFileMap[name] = [{ file: `${root}/${file}`, hash: `${name}-${content.length}-${JSON.stringify(options).length}` }];
      }
      return ctx;
    }
    const edgesOf = (ctx: CreateDependenciesContext, source: string) => imageDependencies(ctx, cachePath).filter((e) => e.source === source).map((e) => `${e.target} (${'sourceFile' in e ? e.sourceFile : ''})`);
    const IN = '#if defined(DX)\nFROM localhost/edge-node\n#else\nFROM quay.io/fedora/fedora-bootc:44\n#endif\n#include "shared/tools.inc"\n';

    it('a build arg given in the options decides the FROM, as in the build', () => {
      const ctx = familyContext({ variant: { root: 'images/variant', file: 'Containerfile', content: 'ARG BASE\nFROM ${BASE}\n', options: { buildArgs: { BASE: 'localhost/kiosk' } } } });
      expect(edgesOf(ctx, 'variant')).toEqual(['kiosk (images/variant/Containerfile)']);
    });

    it('a Containerfile.in is preprocessed with its cppFlags: -DDX builds FROM the workspace image, without it FROM Fedora', () => {
      const files = { 'shared/tools.inc': 'COPY --from=ghcr.io/acme/tools:1 /t /t\n' };
      const ctx = familyContext(
        {
          dx: { root: 'images/dx', file: 'Containerfile.in', content: IN, options: { cppFlags: ['-DDX'] } },
          main: { root: 'images/main', file: 'Containerfile.in', content: IN, options: {} },
        },
        files,
      );
      expect(edgesOf(ctx, 'dx')).toEqual(['edge-node (images/dx/Containerfile.in)', 'tools (images/dx/Containerfile.in)']);
      expect(edgesOf(ctx, 'main')).toEqual(['tools (images/main/Containerfile.in)']);
      // An include's edit is seen although the Containerfile.in's hash did not change.
      writeFileSync(join(workspaceRoot, 'shared/tools.inc'), 'RUN true\n');
      expect(edgesOf(ctx, 'main')).toEqual([]);
    });

    it('the containerfile option names the file; a Dockerfile counts only with a bootc-build target', () => {
      const ctx = familyContext({
        named: { root: 'images/named', file: 'Containerfile.bluefin', content: 'FROM localhost/edge-node\n', options: { containerfile: '{projectRoot}/Containerfile.bluefin' } },
        legacy: { root: 'images/legacy', file: 'Dockerfile', content: 'FROM localhost/edge-node\n', options: {} },
      });
      ctx.projects.app = { name: 'app', root: 'apps/app' };
      ctx.fileMap.projectFileMap.app = [{ file: 'apps/app/Dockerfile', hash: 'app-1' }];
      mkdirSync(join(workspaceRoot, 'apps/app'), { recursive: true });
      writeFileSync(join(workspaceRoot, 'apps/app/Dockerfile'), 'FROM localhost/edge-node\n');
      expect(edgesOf(ctx, 'named')).toEqual(['edge-node (images/named/Containerfile.bluefin)']);
      expect(edgesOf(ctx, 'legacy')).toEqual(['edge-node (images/legacy/Dockerfile)']);
      expect(edgesOf(ctx, 'app')).toEqual([]);
    });
  });
});
