import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ProjectConfiguration } from '@nx/devkit';
import { lintProject } from './lint-project';

const GOOD = 'ARG BASE_IMAGE=quay.io/fedora/fedora-bootc:44\nFROM ${BASE_IMAGE}\nLABEL containers.bootc=1\nCOPY rootfs/ /\nRUN bootc container lint\n';
let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'bootc-lint-project-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function write(files: Record<string, string>) {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

const projects: Record<string, ProjectConfiguration> = {
  kiosk: { root: 'images/kiosk' },
  installer: { root: 'images/installer', metadata: { 'immutable-os': { formats: ['anaconda-iso', 'not-a-type'] } } },
  'edge-base': { root: 'images/edge-base', metadata: { 'immutable-os': { image: 'ghcr.io/acme/edge-base' } } },
  docs: { root: 'docs' },
};
const lint = (projectName = 'kiosk') => lintProject({ workspaceRoot: root, projectName, projectRoot: projects[projectName].root, projects });

describe('lintProject', () => {
  test('the generated project has no findings', () => {
    write({ 'images/kiosk/Containerfile': GOOD, 'images/kiosk/rootfs/etc/motd': 'hi\n', 'images/kiosk/config.toml': '[[customizations.user]]\nname = "admin"\n' });
    expect(lint()).toEqual([]);
  });

  test('a missing Containerfile names the path and the generator', () => {
    expect(lint('docs')).toEqual([
      expect.objectContaining({
        rule: 'containerfile-missing',
        severity: 'error',
        file: 'docs/Containerfile',
        line: 1,
        message: expect.stringMatching(/^docs\/Containerfile does not exist; .*`nx g immutable-os:image`/),
      }),
    ]);
  });

  test('a base built by another image project of the workspace counts as bootc', () => {
    write({ 'images/edge-base/Containerfile': GOOD, 'images/kiosk/Containerfile': 'FROM ghcr.io/acme/edge-base:1.2\nRUN bootc container lint\n' });
    expect(lint()).toEqual([]);
  });

  test('a project without a Containerfile does not count as an image project', () => {
    write({ 'images/kiosk/Containerfile': 'FROM ghcr.io/acme/edge-base:1.2\nRUN bootc container lint\n' });
    expect(lint().map((f) => f.rule)).toEqual(['bootc-label']);
  });

  test('collects Containerfile, rootfs and config.toml findings, sorted by file and line', () => {
    write({
      'images/kiosk/Containerfile': 'FROM docker.io/library/fedora\nENV API_TOKEN=abc123\nCOPY rootfs/ /\nRUN mkdir /var/lib/app\n',
      'images/kiosk/rootfs/usr/etc/x.conf': '',
      'images/kiosk/config.toml': 'name = \n',
    });
    expect(lint().map((f) => `${f.file}:${f.line} ${f.rule}`)).toEqual([
      'images/kiosk/Containerfile:1 bootc-label',
      'images/kiosk/Containerfile:1 from-unpinned',
      'images/kiosk/Containerfile:1 missing-bootc-lint',
      'images/kiosk/Containerfile:2 secret-in-build-arg',
      'images/kiosk/Containerfile:3 usr-etc',
      'images/kiosk/Containerfile:4 var-content',
      'images/kiosk/config.toml:1 config-syntax',
    ]);
  });

  test('a project at the workspace root uses bare file names', () => {
    write({ Containerfile: GOOD });
    expect(lintProject({ workspaceRoot: root, projectName: 'ws', projectRoot: '.', projects: { ws: { root: '.' } } })).toEqual([]);
    write({ 'config.toml': '[x\n' });
    expect(lintProject({ workspaceRoot: root, projectName: 'ws', projectRoot: '.', projects: { ws: { root: '.' } } })[0].file).toBe('config.toml');
  });

  const ISO_ONLY = '[customizations.installer]\nunattended = true\n';
  const DISK_ONLY = '[[customizations.filesystem]]\nmountpoint = "/var/data"\nminsize = "5 GiB"\n';

  test('config-ignored follows the formats in project.json metadata, default qcow2', () => {
    write({ 'images/kiosk/Containerfile': GOOD, 'images/kiosk/config.toml': ISO_ONLY + DISK_ONLY, 'images/installer/Containerfile': GOOD, 'images/installer/config.toml': ISO_ONLY + DISK_ONLY });
    expect(lint().map((f) => `${f.line} ${f.rule} ${f.message.split(' is ignored by ')[0]}`)).toEqual(['1 config-ignored customizations.installer']);
    expect(lint('installer').map((f) => `${f.line} ${f.rule} ${f.message.split(' is ignored by ')[0]}`)).toEqual(['3 config-ignored customizations.filesystem']);
  });

  test('lints config.json when there is no config.toml, and only config.toml when both exist', () => {
    write({ 'images/kiosk/Containerfile': GOOD, 'images/kiosk/config.json': '{\n  "customizations": {"user": [{"uid": 1}]}\n}\n' });
    expect(lint()).toEqual([
      expect.objectContaining({ rule: 'config-invalid', file: 'images/kiosk/config.json', line: 2, message: 'customizations.user[0].name is required' }),
    ]);
    write({ 'images/kiosk/config.toml': '[[customizations.user]]\nname = "admin"\n' });
    expect(lint()).toEqual([]);
  });
});
