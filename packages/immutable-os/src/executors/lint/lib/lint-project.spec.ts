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

  describe('what bootc-build builds: its options, through the same resolver', () => {
    const withBuild = (name: string, root: string, options: Record<string, unknown>): Record<string, ProjectConfiguration> => ({
      ...projects,
      [name]: { root, targets: { 'os-build': { executor: 'immutable-os:build', options } } },
    });
    const lintWith = (name: string, all: Record<string, ProjectConfiguration>) => lintProject({ workspaceRoot: root, projectName: name, projectRoot: all[name].root, projects: all });
    const FAMILY = 'FROM quay.io/fedora/fedora-bootc:44\n#if defined(NVIDIA)\n#include "images/family/nvidia.inc"\n#endif\nRUN bootc container lint\n';

    test('a Containerfile.in is linted as cpp leaves it with the cppFlags; findings point at the included file and its line', () => {
      write({ 'images/family/Containerfile.in': FAMILY, 'images/family/nvidia.inc': 'RUN true\nRUN mkdir -p /usr/etc/nvidia\n' });
      expect(lintWith('family', withBuild('family', 'images/family', {}))).toEqual([]);
      expect(lintWith('family', withBuild('family', 'images/family', { cppFlags: ['-DNVIDIA'] })).map((f) => `${f.file}:${f.line} ${f.rule}`)).toEqual(['images/family/nvidia.inc:2 usr-etc']);
    });

    test("bluefin's FROM: args given in the build options lint clean; left out, a warning naming the arg", () => {
      const bluefin = 'ARG BASE_IMAGE="ghcr.io/ublue-os/silverblue-main"\nARG FEDORA_MAJOR_VERSION="42"\nARG BASE_IMAGE_SHA\nFROM ${BASE_IMAGE}:${FEDORA_MAJOR_VERSION}@${BASE_IMAGE_SHA}\nLABEL containers.bootc=1\nRUN bootc container lint\n';
      write({ 'images/bluefin/Containerfile': bluefin });
      const digest = `sha256:${'b'.repeat(64)}`;
      expect(lintWith('bluefin', withBuild('bluefin', 'images/bluefin', { buildArgs: { BASE_IMAGE_SHA: digest } }))).toEqual([]);
      expect(lintWith('bluefin', withBuild('bluefin', 'images/bluefin', {})).map((f) => `${f.severity} ${f.rule}: ${f.message}`)).toEqual([
        "warning from-arg-unset: FROM ${BASE_IMAGE}:${FEDORA_MAJOR_VERSION}@${BASE_IMAGE_SHA} uses the build arg BASE_IMAGE_SHA, which has no value: give it in bootc-build's buildArgs or a default in the ARG line.",
      ]);
    });

    test('the containerfile option names the file linted; a bad option is an error finding naming it', () => {
      write({ 'images/named/Containerfile.bluefin': GOOD });
      expect(lintWith('named', withBuild('named', 'images/named', { containerfile: '{projectRoot}/Containerfile.bluefin' }))).toEqual([]);
      expect(lintWith('named', withBuild('named', 'images/named', { containerfile: '{projectRoot}/Nope' }))).toEqual([
        expect.objectContaining({ rule: 'containerfile-missing', file: 'images/named/Nope' }),
      ]);
      expect(lintWith('named', withBuild('named', 'images/named', { containerfile: '{projectRoot}/Containerfile.bluefin', cppFlags: ['-DX'] }))).toEqual([
        expect.objectContaining({ rule: 'containerfile-syntax', severity: 'error', message: expect.stringContaining('bootc-build option cppFlags: images/named/Containerfile.bluefin is not a Containerfile.in') }),
      ]);
    });
  });

  describe('follows the build (bootc-build options)', () => {
    const withOptions = (options: Record<string, unknown>, extra: Partial<Parameters<typeof lintProject>[0]> = {}) =>
      lintProject({
        workspaceRoot: root,
        projectName: 'kiosk',
        projectRoot: 'images/kiosk',
        projects: { ...projects, kiosk: { root: 'images/kiosk', targets: { 'bootc-build': { executor: 'immutable-os:build', options } } } },
        ...extra,
      });
    const STAGES = 'FROM quay.io/fedora/fedora-bootc:44 AS os\nRUN bootc container lint\nFROM os AS debug\nRUN mkdir -p /var/lib/debug\n';

    test('target: the chain ending at that stage, not the last one', () => {
      write({ 'images/kiosk/Containerfile': STAGES });
      expect(withOptions({}).map((f) => f.rule)).toEqual(['missing-bootc-lint', 'var-content']);
      expect(withOptions({ target: 'os' })).toEqual([]);
    });

    test('a target no stage has is an error naming the option and the stages', () => {
      write({ 'images/kiosk/Containerfile': STAGES });
      expect(withOptions({ target: 'prod' })).toEqual([
        expect.objectContaining({ rule: 'containerfile-syntax', severity: 'error', message: expect.stringMatching(/option target is "prod", but images\/kiosk\/Containerfile has no stage of that name \(its stages: os, debug\)/) }),
      ]);
    });

    test('context and .containerignore: COPY reads the build context, minus what it ignores', () => {
      write({
        'images/kiosk/Containerfile': 'FROM quay.io/fedora/fedora-bootc:44\nCOPY rootfs/ /\nRUN bootc container lint\n',
        'images/kiosk/rootfs/etc/motd': 'hi\n',
        'shared/rootfs/var/lib/x/db': 'x',
        'shared/rootfs/tmp/build.log': 'x',
        'shared/.containerignore': '# the build leaves these out\nrootfs/tmp\n',
      });
      expect(withOptions({})).toEqual([]);
      expect(withOptions({ context: 'shared' }).map((f) => `${f.rule} ${f.message.split(';')[0]}`)).toEqual(['var-content COPY of rootfs/var/lib/x puts content in /var/lib/x']);
    });

    test('bootcBases: a mirror of a bootc base is one', () => {
      write({ 'images/kiosk/Containerfile': 'FROM registry.example.com/mirror/fedora-bootc:44\nRUN bootc container lint\n' });
      expect(withOptions({}).map((f) => f.rule)).toEqual(['bootc-label']);
      expect(withOptions({}, { bootcBases: ['registry.example.com/mirror/'] })).toEqual([]);
    });

    test('build args name the base (F8)', () => {
      write({ 'images/kiosk/Containerfile': 'ARG BASE_IMAGE\nFROM ${BASE_IMAGE}\nRUN bootc container lint\n' });
      expect(withOptions({}).map((f) => f.rule)).toEqual(['from-arg-unset']);
      expect(withOptions({ buildArgs: { BASE_IMAGE: 'quay.io/centos-bootc/centos-bootc:stream10' } })).toEqual([]);
    });
  });

  describe('RUN scripts of the project', () => {
    test("follows the scripts a RUN runs through Universal Blue's ctx stage, and those they run from their own folder", () => {
      write({
        'images/kiosk/Containerfile':
          'FROM scratch AS ctx\nCOPY build_files /\nFROM quay.io/fedora/fedora-bootc:44\nRUN --mount=type=bind,from=ctx,source=/,target=/ctx /ctx/build.sh\n',
        'images/kiosk/build_files/build.sh': '#!/bin/bash\nset -euo pipefail\nhere="$(dirname "$0")"\nmkdir -p /var/lib/kiosk\n"$here/finish.sh"\n',
        'images/kiosk/build_files/finish.sh': '#!/bin/bash\nbootc container lint || true\n',
      });
      expect(lint().map((f) => `${f.rule} ${f.line} ${f.message.split(';')[0]}`)).toEqual([
        'bootc-lint-neutralised 4 `bootc container lint || true` (in build_files/finish.sh, which the RUN runs) succeeds whatever the lint finds, so the build never fails on it.',
        'var-content 4 RUN build_files/build.sh: mkdir puts content in /var/lib/kiosk',
      ]);
    });

    test('follows a script an earlier COPY put in the image', () => {
      write({
        'images/kiosk/Containerfile': 'FROM quay.io/fedora/fedora-bootc:44\nCOPY setup.sh /usr/libexec/setup.sh\nRUN bash /usr/libexec/setup.sh && bootc container lint\n',
        'images/kiosk/setup.sh': 'useradd kiosk\n',
      });
      expect(lint().map((f) => `${f.rule} ${f.line}`)).toEqual(['sysusers 3']);
    });
  });

  describe('files a RUN copies from mounted context folders, and named build contexts', () => {
    test("`cp -a /ctx/system_files/. /` through the ctx stage places each entry (bootc-lint-comparison's p01 false negative)", () => {
      write({
        'images/kiosk/Containerfile':
          'FROM scratch AS ctx\nCOPY system_files /system_files\nFROM quay.io/fedora/fedora-bootc:44\nRUN --mount=type=bind,from=ctx,source=/,target=/ctx cp -a /ctx/system_files/. / && bootc container lint\n',
        'images/kiosk/system_files/usr/etc/motd': 'x',
        'images/kiosk/system_files/var/lib/kiosk/state': 'x',
        'images/kiosk/system_files/usr/lib/tmpfiles.d/kiosk.conf': 'd /var/lib/kiosk 0755 root root -\n',
      });
      expect(lint().map((f) => `${f.rule} ${f.line} ${f.message.split(';')[0]}`)).toEqual([
        'usr-etc 4 RUN cp of system_files/usr/etc puts content in /usr/etc',
        'var-content 4 RUN cp of system_files/var/lib/kiosk/state puts content in /var/lib/kiosk/state',
      ]);
    });

    test('a tmpfs over /var in the same RUN keeps the copied /var out', () => {
      write({
        'images/kiosk/Containerfile':
          'FROM quay.io/fedora/fedora-bootc:44\nRUN --mount=type=tmpfs,dst=/var --mount=type=bind,source=files,target=/mnt/files cp -r /mnt/files/var /\nRUN bootc container lint\n',
        'images/kiosk/files/var/lib/x': 'x',
      });
      expect(lint()).toEqual([]);
    });

    test('COPY --from a named build context (bootc-build buildContexts) reads that folder', () => {
      write({
        'images/kiosk/Containerfile': 'FROM quay.io/fedora/fedora-bootc:44\nCOPY --from=shared kargs/ /usr/lib/bootc/kargs.d/\nRUN bootc container lint\n',
        'shared/kargs/10-console.toml': 'kargs = "console=ttyS0"\n',
      });
      const findings = lintProject({
        workspaceRoot: root,
        projectName: 'kiosk',
        projectRoot: 'images/kiosk',
        projects: { kiosk: { root: 'images/kiosk', targets: { 'bootc-build': { executor: 'immutable-os:build', options: { buildContexts: { shared: 'shared' } } } } } },
      });
      expect(findings.map((f) => `${f.rule} ${f.severity} ${f.line}`)).toEqual(['kargs-syntax error 2']);
    });
  });
});
