import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ExecutorContext, ProjectConfiguration } from '@nx/devkit';
import { IMAGE_JSON, imageOutputDir, type ImageRecord } from '../utils/image-record';
import { installFakeEngines, type FakeEngines } from './fake-engine';

/** A workspace folder on disk for specs. */
export interface TestWorkspace {
  root: string;
  write(files: Record<string, string>): void;
  read(file: string): string;
  cleanup(): void;
}

/**
 * For the tests of a describe block: a fresh test workspace before each, and the fake engines a test
 * installs (`install`), both removed after it.
 */
export function useWorkspaceAndFakes(): { readonly ws: TestWorkspace; readonly fake: FakeEngines; install: (options: Parameters<typeof installFakeEngines>[0]) => FakeEngines } {
  let ws: TestWorkspace | undefined;
  let fake: FakeEngines | undefined;
  beforeEach(() => (ws = createTestWorkspace()));
  afterEach(() => {
    fake?.restore();
    fake = undefined;
    ws?.cleanup();
  });
  return {
    get ws() {
      if (!ws) throw new Error('useWorkspaceAndFakes: the workspace exists only inside a test.');
      return ws;
    },
    get fake() {
      if (!fake) throw new Error('useWorkspaceAndFakes: no fake engines installed in this test (call install first).');
      return fake;
    },
    install: (options) => (fake = installFakeEngines(options)),
  };
}

export function createTestWorkspace(): TestWorkspace {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'immutable-os-ws-')));
  return {
    root,
    write(files) {
      for (const [file, content] of Object.entries(files)) {
        mkdirSync(dirname(join(root, file)), { recursive: true });
        writeFileSync(join(root, file), content);
      }
    },
    read: (file) => readFileSync(join(root, file), 'utf8'),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** The context Nx hands an executor, for `projectName` among `projects`; `dependencies` are graph edges by name. */
export function executorContext(
  root: string,
  projectName: string,
  projects: Record<string, Omit<ProjectConfiguration, 'name'>>,
  options: { targetName?: string; dependencies?: Record<string, string[]> } = {},
): ExecutorContext {
  const dependencies = Object.fromEntries(
    Object.keys(projects).map((name) => [
      name,
      (options.dependencies?.[name] ?? []).map((target) => ({ source: name, target, type: 'static' })),
    ]),
  );
  return {
    root,
    cwd: root,
    isVerbose: false,
    projectName,
    targetName: options.targetName ?? 'bootc-build',
    projectsConfigurations: {
      version: 2,
      projects: Object.fromEntries(Object.entries(projects).map(([name, p]) => [name, { name, ...p }])),
    },
    nxJsonConfiguration: {},
    projectGraph: {
      nodes: Object.fromEntries(Object.entries(projects).map(([name, p]) => [name, { name, type: 'lib', data: { ...p } }])),
      dependencies,
    },
  } as ExecutorContext;
}

/** An image record as bootc-build writes it; `overrides` replace fields. */
export function imageRecord(project: string, imageId: string, overrides: Partial<ImageRecord> = {}): ImageRecord {
  return {
    project,
    image: `localhost/${project}`,
    refs: [`localhost/${project}:latest`],
    imageId,
    engine: 'podman',
    engineVersion: '4.9.0',
    platforms: [],
    containerfile: `images/${project}/Containerfile`,
    containerfileSha256: '0'.repeat(64),
    baseImages: [],
    labels: { 'containers.bootc': '1' },
    created: '2025-01-02T03:04:05Z',
    ...overrides,
  };
}

export function writeImageRecord(workspaceRoot: string, record: ImageRecord): string {
  const dir = imageOutputDir(workspaceRoot, record.project);
  mkdirSync(dir, { recursive: true });
  const file = join(dir, IMAGE_JSON);
  writeFileSync(file, JSON.stringify(record, null, 2) + '\n');
  return file;
}
