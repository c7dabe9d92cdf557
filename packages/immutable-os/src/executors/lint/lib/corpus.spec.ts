/**
 * bootc-lint on a corpus of public bootc Containerfiles, as models: each ../fixtures/corpus/<entry>
 * holds short files written for this test (no upstream text is copied) that reproduce what a linter
 * reads in one upstream Containerfile: the FROM lines and their ARGs (same shapes: args, tags,
 * digests, localhost/ and oci-archive: references), stage names, COPY/ADD sources and destinations
 * with the copied folders' entries that matter, RUN mounts, the paths RUN steps write and remove,
 * package-manager and cleanup commands, dracut and kernel steps, commit and lint steps, labels.
 * Each model's first lines name the upstream repository, commit and file; its SOURCE.md names them
 * too, with the licence, where the build args were read, and what the model keeps and leaves out.
 * Each entry is linted as an image project with the bootc-build options its own build passes, and
 * every finding is compared with ../fixtures/corpus/expected-findings.json, where each has a `why`
 * saying what bootc or the build really does (as upstream), and `falsePositive` when the rule is
 * wrong. An entry that builds upstream (its project's CI builds it) must report no error.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProjectConfiguration } from '@nx/devkit';
import { lintProject } from './lint-project';
import type { Finding } from './rules';

interface Entry {
  name: string;
  /** The upstream project's CI (or release pipeline) builds this file. */
  buildsUpstream: boolean;
  /** bootc-build options, as the entry's own build passes them (see its SOURCE.md). */
  containerfile?: string;
  context?: string;
  buildArgs?: Record<string, string>;
  cppFlags?: string[];
  target?: string;
}

/** One finding as compared (file relative to the project root), with the review of it. */
interface ExpectedFinding {
  rule: string;
  severity: string;
  file: string;
  line: number;
  why: string;
  falsePositive?: boolean;
}

/** A true finding the rules do not report yet (documentation; an unexpected finding that matches one says so). */
interface MissedFinding {
  rule: string;
  file: string;
  line: number;
  why: string;
}

interface ExpectedFile {
  entries: Record<string, { findings: ExpectedFinding[]; missed?: MissedFinding[] }>;
}

const FIXTURES = join(__dirname, '..', 'fixtures', 'corpus');
const EXPECTED: ExpectedFile = JSON.parse(readFileSync(join(FIXTURES, 'expected-findings.json'), 'utf8'));

// bluefin-lts's Justfile `build` (just build bluefin lts 0 0 0): digests from its image-versions.yaml.
const BLUEFIN_LTS_ARGS = {
  COMMON_IMAGE_REF: 'ghcr.io/projectbluefin/common:latest@sha256:c01dc61838eb1391c9fe7c49a8137b11a854b63f915c379a568602afa0797bd5',
  BREW_IMAGE_REF: 'ghcr.io/ublue-os/brew:latest@sha256:8f952ae54585db9f855a306ef365e13609ed7c7944b12b823ba7d5ce8e1a145b',
  MAJOR_VERSION: 'stream10',
  IMAGE_NAME: 'bluefin',
  IMAGE_VENDOR: 'ublue-os',
  ENABLE_DX: '0',
  ENABLE_GDX: '0',
  ENABLE_HWE: '0',
  GNOME_VERSION: '49',
  AKMODS_VERSION: 'centos-10',
  SHA_HEAD_SHORT: 'b013e02',
};

// bazzite's build.yml build_args.txt for the matrix row `bazzite` (target bazzite); tag and pretty version as its labels step would make them.
const BAZZITE_ARGS = {
  BASE_IMAGE_NAME: 'kinoite',
  FEDORA_VERSION: '44',
  BASE_IMAGE: 'ghcr.io/ublue-os/kinoite-main:44',
  IMAGE_NAME: 'bazzite',
  IMAGE_VENDOR: 'ublue-os',
  IMAGE_BRANCH: 'main',
  KERNEL_FLAVOR: 'ogc',
  KERNEL_VERSION: '7.2.0-ogc4.1.fc44',
  NVIDIA_FLAVOR: 'nvidia-lts',
  NVIDIA_BASE: 'bazzite',
  SHA_HEAD_SHORT: '18a2205',
  VERSION_TAG: 'stable-44.20260821',
  VERSION_PRETTY: 'Stable (F44.20260821)',
  ARCH: 'x86_64',
};

// bootc's Justfile defaults (boot_type, seal_state, filesystem; base for the upgrade source).
const BOOTC_UPGRADE_ARGS = { boot_type: 'bls', seal_state: 'unsealed', filesystem: 'ext4' };

const ENTRIES: Entry[] = [
  { name: 'image-template', buildsUpstream: true },
  { name: 'bluefin-lts', buildsUpstream: true, buildArgs: BLUEFIN_LTS_ARGS },
  { name: 'bazzite', buildsUpstream: true, buildArgs: BAZZITE_ARGS, target: 'bazzite' },
  { name: 'bootc-upgrade', buildsUpstream: true, containerfile: '{projectRoot}/tmt/tests/Dockerfile.upgrade', buildArgs: BOOTC_UPGRADE_ARGS },
  {
    name: 'bootc-upgrade-source',
    buildsUpstream: true,
    containerfile: '{projectRoot}/tmt/tests/Dockerfile.upgrade-source',
    buildArgs: { base: 'quay.io/centos-bootc/centos-bootc:stream10', variant: 'ostree' },
  },
  { name: 'bootc-drop-lbis', buildsUpstream: true, containerfile: '{projectRoot}/hack/Containerfile.drop-lbis', context: '{projectRoot}/hack' },
  { name: 'bootc-install-fsverity', buildsUpstream: true, containerfile: '{projectRoot}/ci/Containerfile.install-fsverity' },
  { name: 'bootc-packit', buildsUpstream: true, containerfile: '{projectRoot}/hack/Containerfile.packit', context: '{projectRoot}/hack' },
  { name: 'centos-bootc-stream9', buildsUpstream: false, containerfile: '{projectRoot}/Containerfile.centos-stream-9' },
  { name: 'centos-bootc-stream10', buildsUpstream: false, containerfile: '{projectRoot}/Containerfile.centos-stream-10' },
  { name: 'arch-bootc', buildsUpstream: true },
  { name: 'debian-bootc', buildsUpstream: true },
  { name: 'fedora-bootc-workstation', buildsUpstream: true },
  { name: 'layering-tailscale', buildsUpstream: true },
  { name: 'layering-replace-kernel', buildsUpstream: true },
  { name: 'layering-kernel-rt', buildsUpstream: false },
  { name: 'layering-autoupdate-unit', buildsUpstream: false },
  { name: 'layering-rsyslog', buildsUpstream: true },
  { name: 'layering-wifi', buildsUpstream: true },
  { name: 'layering-podman-next', buildsUpstream: true },
  { name: 'layering-build-zfs-module', buildsUpstream: true },
  { name: 'layering-inject-go-binary', buildsUpstream: true },
  { name: 'layering-dracut-module', buildsUpstream: true },
  { name: 'layering-selinux', buildsUpstream: true },
];

const projectRoot = (entry: Entry) => `corpus/${entry.name}`;

function projectsFor(entry: Entry): Record<string, ProjectConfiguration> {
  const options = {
    buildArgs: entry.buildArgs ?? {},
    cppFlags: entry.cppFlags ?? [],
    ...(entry.containerfile ? { containerfile: entry.containerfile } : {}),
    ...(entry.context ? { context: entry.context } : {}),
    ...(entry.target ? { target: entry.target } : {}),
  };
  return { [entry.name]: { root: projectRoot(entry), targets: { 'bootc-build': { executor: 'immutable-os:build', options } } } };
}

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'bootc-lint-corpus-'));
  for (const entry of ENTRIES) cpSync(join(FIXTURES, entry.name), join(root, projectRoot(entry)), { recursive: true });
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function lint(entry: Entry): Finding[] {
  return lintProject({ workspaceRoot: root, projectName: entry.name, projectRoot: projectRoot(entry), projects: projectsFor(entry) });
}

const key = (f: { rule: string; severity?: string; file: string; line: number }) => `${f.rule} ${f.severity ?? '?'} ${f.file}:${f.line}`;

// Missing and unexpected findings of one entry, one per line, empty when they agree.
function diff(entry: Entry, findings: Finding[]): string {
  const prefix = `${projectRoot(entry)}/`;
  const actual = findings.map((f) => ({ ...f, file: f.file.startsWith(prefix) ? f.file.slice(prefix.length) : f.file }));
  const expected = EXPECTED.entries[entry.name]?.findings ?? [];
  const left = new Map<string, number>();
  for (const f of actual) left.set(key(f), (left.get(key(f)) ?? 0) + 1);
  const lines: string[] = [];
  for (const f of expected) {
    const count = left.get(key(f)) ?? 0;
    if (count > 0) left.set(key(f), count - 1);
    else lines.push(`  missing:    ${key(f)}${f.falsePositive ? ' (a known false positive: fixed? remove it from the expected file)' : ''}`);
  }
  const missed = EXPECTED.entries[entry.name]?.missed ?? [];
  for (const f of actual) {
    const count = left.get(key(f)) ?? 0;
    if (count === 0) continue;
    left.set(key(f), count - 1);
    const known = missed.some((m) => m.rule === f.rule && m.file === f.file && m.line === f.line);
    lines.push(`  unexpected: ${key(f)}${known ? ' (listed as missed: move it to findings)' : ''} — ${f.message}`);
  }
  return lines.length ? `${entry.name}:\n${lines.join('\n')}` : '';
}

describe('bootc-lint on the public bootc corpus', () => {
  test('the corpus has at least 20 entries, each with a SOURCE.md naming repository, commit, path and licence', () => {
    expect(ENTRIES.length).toBeGreaterThanOrEqual(20);
    const incomplete = ENTRIES.flatMap((entry) => {
      const file = join(FIXTURES, entry.name, 'SOURCE.md');
      if (!existsSync(file)) return [`${entry.name}: no SOURCE.md`];
      const text = readFileSync(file, 'utf8');
      const fields: Array<[string, RegExp]> = [
        ['repository', /^- Repository: https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/m],
        ['commit', /^- Commit: [0-9a-f]{40}$/m],
        ['path', /^- Paths?: \S+/m],
        ['licence', /^- Licence: \S+/m],
        ['build args', /^- Build args: \S+/m],
      ];
      return fields.filter(([, pattern]) => !pattern.test(text)).map(([field]) => `${entry.name}: SOURCE.md names no ${field}`);
    });
    expect(incomplete).toEqual([]);
  });

  test("each entry's Containerfile is a model whose first lines name the upstream repository and SOURCE.md's commit", () => {
    const unnamed = ENTRIES.flatMap((entry) => {
      const source = readFileSync(join(FIXTURES, entry.name, 'SOURCE.md'), 'utf8');
      const commit = /^- Commit: ([0-9a-f]{40})$/m.exec(source)?.[1];
      const repo = /^- Repository: https:\/\/github\.com\/(\S+)$/m.exec(source)?.[1];
      const file = (entry.containerfile ?? '{projectRoot}/Containerfile').replace('{projectRoot}', join(FIXTURES, entry.name));
      const head = readFileSync(file, 'utf8').split('\n').slice(0, 4).join('\n');
      return head.includes('no upstream text copied') && commit && head.includes(commit) && repo && head.includes(repo) ? [] : [entry.name];
    });
    expect(unnamed).toEqual([]);
  });

  test('every fixture folder is an entry and every entry has expected findings', () => {
    const folders = readdirSync(FIXTURES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    expect(folders).toEqual(ENTRIES.map((e) => e.name).sort());
    expect(Object.keys(EXPECTED.entries).sort()).toEqual(ENTRIES.map((e) => e.name).sort());
  });

  test('every expected finding is reviewed', () => {
    const unreviewed = Object.entries(EXPECTED.entries).flatMap(([name, { findings }]) => findings.filter((f) => !f.why?.trim()).map((f) => `${name}: ${key(f)}`));
    expect(unreviewed).toEqual([]);
  });

  test('each entry reports exactly its expected findings', () => {
    const diffs = ENTRIES.map((entry) => diff(entry, lint(entry))).filter(Boolean);
    expect(diffs.join('\n')).toBe('');
  });

  // An error the expected file marks as a false positive is a rule to fix, listed there; any other error fails.
  test.each(ENTRIES.filter((e) => e.buildsUpstream))('$name builds upstream: no error but known false positives', (entry) => {
    const prefix = `${projectRoot(entry)}/`;
    const known = new Set((EXPECTED.entries[entry.name]?.findings ?? []).filter((f) => f.falsePositive).map(key));
    const errors = lint(entry)
      .filter((f) => f.severity === 'error')
      .map((f) => ({ ...f, file: f.file.startsWith(prefix) ? f.file.slice(prefix.length) : f.file }))
      .filter((f) => !known.has(key(f)));
    expect(errors.map((f) => `${key(f)} — ${f.message}`)).toEqual([]);
  });
});
