/**
 * bootc-lint on the Containerfile constructs of four public Universal Blue repositories:
 * ublue-os/bluefin, ublue-os/aurora, ublue-os/ucore and ublue-os/cayo. The fixtures in
 * ../fixtures/ublue/<repo> are short files written for this test (no upstream text is copied)
 * that reproduce what a linter reads: ARGs around the FROMs, the exact shape of each FROM (build
 * args, digests, cpp macros), #include and #if blocks, stage names, COPY --from, RUN mounts,
 * the lint or commit steps. Each fixture's first lines name the upstream file and commit.
 *
 * Each row declares, in the bootc-build options, the build args and cpp flags that repository's
 * own build passes (its Justfile, read at the commit named in the fixture), and lists every
 * finding bootc-lint reports, each with why. With them declared a row must report no error, and
 * without them only warnings (from-arg-unset). A row whose errors are true (the build itself would
 * fail the same way) says why in `trueErrors`, and its errors are checked to be exactly those.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProjectConfiguration } from '@nx/devkit';
import { buildTargetOptions, parseBuildSpec, resolveBuildSpec } from '../../../image/build-spec';
import { lintProject } from './lint-project';
import type { RuleId, Severity } from './rules';

type Repo = 'bluefin' | 'aurora' | 'ucore' | 'cayo';

/** One finding as compared: rule, severity, file relative to the project root, line. */
type Expected = [rule: RuleId, severity: Severity, file: string, line: number];

interface Row {
  name: string;
  repo: Repo;
  buildArgs?: Record<string, string>;
  cppFlags?: string[];
  target?: string;
  /** With the args and flags declared: every image the build uses (FROM, COPY --from, RUN --mount from), as resolved. */
  images?: string[];
  expected: Expected[];
  /** Why the row's errors are true ones (the engine would fail the same way), when it has any. */
  trueErrors?: string;
}

const FIXTURES = join(__dirname, '..', 'fixtures', 'ublue');
const REPOS: Repo[] = ['bluefin', 'aurora', 'ucore', 'cayo'];
const projectRoot = (repo: Repo) => `images/${repo}`;

// Values as bluefin's Justfile `build` computes them (digests: its image-versions.yml; kernel and version: examples of what skopeo and the date give).
const BLUEFIN_STABLE: Record<string, string> = {
  AKMODS_FLAVOR: 'coreos-stable',
  BASE_IMAGE_NAME: 'silverblue',
  BASE_IMAGE_SHA: 'sha256:1f05de28fc4ce8b004e524b1b5e1e0ce5f828b696c07a352bdb6d776b9242903',
  COMMON_IMAGE: 'ghcr.io/projectbluefin/common:latest',
  COMMON_IMAGE_SHA: 'sha256:fbcef9b1636bc67c2cb58327527f01c9798280229ad5a91c2f8dac0a5d3b6f3c',
  BREW_IMAGE: 'ghcr.io/ublue-os/brew:latest',
  BREW_IMAGE_SHA: 'sha256:8f952ae54585db9f855a306ef365e13609ed7c7944b12b823ba7d5ce8e1a145b',
  FEDORA_MAJOR_VERSION: '44',
  IMAGE_NAME: 'bluefin',
  IMAGE_VENDOR: 'ublue-os',
  KERNEL: '6.15.9-201.fc44.x86_64',
  VERSION: '44.20260819',
  SHA_HEAD_SHORT: 'e038626',
  UBLUE_IMAGE_TAG: 'stable',
};

// aurora's Justfile: COMMON and BREW are image@digest from its image-versions.yml; BASE_IMAGE_ORG/NAME its defaults.
const AURORA_LATEST: Record<string, string> = {
  AKMODS_FLAVOR: 'main',
  BASE_IMAGE_ORG: 'quay.io/fedora-ostree-desktops',
  BASE_IMAGE_NAME: 'kinoite',
  FEDORA_MAJOR_VERSION: '44',
  COMMON: 'ghcr.io/get-aurora-dev/common@sha256:db5a12eac814da7327db88c8a2ac484eaad9df6d8da0264bf807ef925558e47a',
  BREW: 'ghcr.io/ublue-os/brew@sha256:e0edae28a2ce41e2faa05b9a4902488a9a22d5c4a70c94427ccac8904ec5107a',
  IMAGE_NAME: 'aurora',
  IMAGE_VENDOR: 'ublue-os',
  KERNEL: '6.15.9-200.fc44.x86_64',
  VERSION: 'latest-44.20260822.0',
  SHA_HEAD_SHORT: 'a15738e',
  UBLUE_IMAGE_TAG: 'latest',
};
const AURORA_STABLE = { ...AURORA_LATEST, AKMODS_FLAVOR: 'coreos-stable', KERNEL: '6.15.9-201.fc44.x86_64', VERSION: '44.20260822.0', UBLUE_IMAGE_TAG: 'stable' };

// ucore's Justfile `containerfile`: AKMODS_TAG is KERNEL_FLAVOR-FEDORA_VERSION-KERNEL_VERSION, UPSTREAM_IMAGE the CoreOS build of the stream.
const ucoreFlags = (stream: string, kernelFlavor: string, nvidia?: string) => [
  `-DAKMODS_TAG=${kernelFlavor}-44-6.15.9-201.fc44.x86_64`,
  '-DAKMODS_REGISTRY=ghcr.io/ublue-os',
  `-DUCORE=${stream}`,
  `-DKERNEL=${kernelFlavor}`,
  '-DUPSTREAM_IMAGE=quay.io/fedora/fedora-coreos:44.20260801.3.0',
  ...(nvidia ? [`-DNVIDIA=${nvidia}`] : []),
];

// cayo's Justfile `build-container`: the version, kernel package, source and akmods-zfs image of the images.yaml entry, its cppFlags, and CI_SETX in CI.
const cayoFlags = (entry: { version: string; kernel: string; source: string; zfs: string; define: string }) => [
  `-DIMAGE_VERSION_ARG=IMAGE_VERSION=${entry.version}.20250712`,
  `-DKERNEL_NAME_ARG=KERNEL_NAME=${entry.kernel}`,
  `-DSOURCE_IMAGE=${entry.source}`,
  `-DZFS=${entry.zfs}`,
  `-D${entry.define}`,
  '-DCI_SETX',
];

// The images each modelled build resolves to (what its Justfile pulls or verifies before building).
const BLUEFIN_IMAGES = [
  `ghcr.io/projectbluefin/common:latest@${BLUEFIN_STABLE.COMMON_IMAGE_SHA}`,
  `ghcr.io/ublue-os/brew:latest@${BLUEFIN_STABLE.BREW_IMAGE_SHA}`,
  `ghcr.io/ublue-os/silverblue-main:44@${BLUEFIN_STABLE.BASE_IMAGE_SHA}`,
];
const auroraImages = (akmods: string, kernel: string, extra: string[]) => [
  AURORA_LATEST.COMMON,
  AURORA_LATEST.BREW,
  ...['akmods', ...extra].map((repo) => `ghcr.io/ublue-os/${repo}:${akmods}-44-${kernel}`),
  'quay.io/fedora-ostree-desktops/kinoite:44',
];
const ucoreImages = (kernelFlavor: string, nvidia?: string) => [
  `ghcr.io/ublue-os/akmods-zfs:${kernelFlavor}-44-6.15.9-201.fc44.x86_64`,
  ...(nvidia ? [`ghcr.io/ublue-os/akmods-${nvidia}:${kernelFlavor}-44-6.15.9-201.fc44.x86_64`] : []),
  'quay.io/fedora/fedora-coreos:44.20260801.3.0',
];

// Fixed since the fixtures were written, each a false error before: bootc-label on Fedora CoreOS (now a known bootc base), usr-etc on
// `rm -rf /usr/etc` (now judged by writes and removals), bootc-label and containerfile-syntax on a
// base named by args without a value (now from-arg-unset only, also for an arg whose value is "").
const MACROS_UNSET =
  'containerfile-syntax on each FROM that is a cpp macro: without the -D flags cpp leaves the macro name, which is no image ' +
  'reference, and podman fails the same way on it (so these errors are true; bootc-label then judges the literal name); there ' +
  'is no from-arg-unset counterpart for undefined macros.';

// The folder podman 4.3 / buildah 1.28 leave behind for a RUN mount whose target is deeper in /tmp (checked here:
// `RUN --mount=type=bind,...,target=/tmp/rpms/kernel true` leaves an empty /tmp/rpms); true on such engines, which bootc
// container lint reports as nonempty-run-tmp (a warning), unless a script the RUN calls removes it.
const STUB = (line: number): Expected => ['tmp-run-leftovers', 'warning', 'Containerfile.in', line];

// cayo's flagged builds and its flag-less one share these (the RUN lines do not depend on the flags).
// No usr-etc: the included packages.sh moves policy.json out of /usr/etc and removes /usr/etc, leaving nothing there.
// No tmp-run-leftovers or var-content any more at line 66: `ostree container commit` empties /tmp, /var/tmp and
// /var/cache (ostree-ext FORCE_CLEAN_PATHS), and `mkdir -p /var/tmp` after `rm -rf /var` makes a folder every base has.
const CAYO_FINDINGS: Expected[] = [
  // Each RUN ends with `ostree container commit`, which bootc container lint supersedes (true; a warning).
  ['ostree-container-commit', 'warning', 'Containerfile.in', 20],
  ['ostree-container-commit', 'warning', 'Containerfile.in', 35],
  ['ostree-container-commit', 'warning', 'Containerfile.in', 44],
  ['ostree-container-commit', 'warning', 'Containerfile.in', 66],
];

const ROWS: Row[] = [
  {
    name: 'bluefin:stable (just build bluefin stable main)',
    repo: 'bluefin',
    buildArgs: BLUEFIN_STABLE,
    images: BLUEFIN_IMAGES,
    expected: [],
  },
  {
    name: 'bluefin-dx-nvidia-open:latest (just build bluefin-dx latest nvidia-open)',
    repo: 'bluefin',
    buildArgs: { ...BLUEFIN_STABLE, AKMODS_FLAVOR: 'main', IMAGE_FLAVOR: 'dx', IMAGE_NAME: 'bluefin-dx-nvidia-open', VERSION: 'latest-44.20260819', UBLUE_IMAGE_TAG: 'latest' },
    images: BLUEFIN_IMAGES,
    expected: [],
  },
  {
    name: 'bluefin without its build args',
    repo: 'bluefin',
    expected: [
      // The digest args default to "", which leaves `${COMMON_IMAGE}@${COMMON_IMAGE_SHA}` no valid reference: an arg without a value.
      ['from-arg-unset', 'warning', 'Containerfile', 18],
      // Same for `${BREW_IMAGE}@${BREW_IMAGE_SHA}`.
      ['from-arg-unset', 'warning', 'Containerfile', 19],
      // Same for `${BASE_IMAGE}:${FEDORA_MAJOR_VERSION}@${BASE_IMAGE_SHA}` (bootc-label does not guess at a base it cannot name).
      ['from-arg-unset', 'warning', 'Containerfile', 28],
    ],
  },
  {
    name: 'aurora:latest (no cpp flag)',
    repo: 'aurora',
    buildArgs: AURORA_LATEST,
    images: auroraImages('main', '6.15.9-200.fc44.x86_64', []),
    expected: [],
  },
  {
    name: 'aurora-nvidia-open:latest (-DNVIDIA)',
    repo: 'aurora',
    buildArgs: { ...AURORA_LATEST, IMAGE_NAME: 'aurora-nvidia-open' },
    cppFlags: ['-DNVIDIA'],
    images: auroraImages('main', '6.15.9-200.fc44.x86_64', ['akmods-nvidia-open']),
    // The nvidia rpms are mounted at /tmp/rpms/nvidia: /tmp/rpms stays behind.
    expected: [STUB(65)],
  },
  {
    name: 'aurora:stable (-DZFS)',
    repo: 'aurora',
    buildArgs: AURORA_STABLE,
    cppFlags: ['-DZFS'],
    images: auroraImages('coreos-stable', '6.15.9-201.fc44.x86_64', ['akmods-zfs']),
    // The zfs rpms are mounted at /tmp/rpms/kmods/zfs: /tmp/rpms stays behind.
    expected: [STUB(56)],
  },
  {
    name: 'aurora-dx-nvidia-open:stable (-DZFS -DNVIDIA)',
    repo: 'aurora',
    buildArgs: { ...AURORA_STABLE, IMAGE_FLAVOR: 'dx', IMAGE_NAME: 'aurora-dx-nvidia-open' },
    cppFlags: ['-DZFS', '-DNVIDIA'],
    images: auroraImages('coreos-stable', '6.15.9-201.fc44.x86_64', ['akmods-nvidia-open', 'akmods-zfs']),
    expected: [STUB(74)],
  },
  {
    name: 'aurora without its build args or cpp flags',
    repo: 'aurora',
    expected: [
      // COMMON has no default and is not declared: the image cannot be named statically.
      ['from-arg-unset', 'warning', 'Containerfile.in', 17],
      // BREW likewise.
      ['from-arg-unset', 'warning', 'Containerfile.in', 18],
      // The akmods tag is made of AKMODS_FLAVOR, FEDORA_MAJOR_VERSION and KERNEL, none with a default (the NVIDIA and ZFS stages are cut by cpp).
      ['from-arg-unset', 'warning', 'Containerfile.in', 20],
      // The bootc base `${BASE_IMAGE}:${FEDORA_MAJOR_VERSION}` needs BASE_IMAGE_ORG, BASE_IMAGE_NAME and FEDORA_MAJOR_VERSION.
      ['from-arg-unset', 'warning', 'Containerfile.in', 37],
    ],
  },
  {
    name: 'ucore-minimal:stable (--target ucore-minimal)',
    repo: 'ucore',
    cppFlags: ucoreFlags('stable', 'coreos-stable'),
    target: 'ucore-minimal',
    images: ucoreImages('coreos-stable'),
    // The base, quay.io/fedora/fedora-coreos, carries containers.bootc=1 (its Containerfile's final LABEL), as bootc-lint knows.
    // The akmods are mounted at /tmp/rpms/akmods-zfs and /tmp/rpms/kernel: /tmp/rpms stays behind.
    expected: [STUB(23)],
  },
  {
    name: 'ucore:stable-nvidia-open (-DNVIDIA=nvidia-open, --target ucore)',
    repo: 'ucore',
    cppFlags: ucoreFlags('stable', 'coreos-stable', 'nvidia-open'),
    target: 'ucore',
    images: ucoreImages('coreos-stable', 'nvidia-open'),
    // The base, quay.io/fedora/fedora-coreos, carries containers.bootc=1 (its Containerfile's final LABEL), as bootc-lint knows.
    expected: [STUB(23), STUB(30)],
  },
  {
    name: 'ucore-hci:lts-nvidia-lts (-DNVIDIA=nvidia-lts, --target ucore-hci)',
    repo: 'ucore',
    cppFlags: ucoreFlags('lts', 'longterm-6.18', 'nvidia-lts'),
    target: 'ucore-hci',
    images: ucoreImages('longterm-6.18', 'nvidia-lts'),
    // The base, quay.io/fedora/fedora-coreos, carries containers.bootc=1 (its Containerfile's final LABEL), as bootc-lint knows.
    expected: [STUB(23), STUB(30)],
  },
  {
    name: 'ucore without its cpp flags',
    repo: 'ucore',
    expected: [
      // AKMODS_REGISTRY/akmods-zfs:AKMODS_TAG stays literal: upper case is no repository name.
      ['containerfile-syntax', 'error', 'Containerfile.in', 11],
      // UPSTREAM_IMAGE stays literal.
      ['containerfile-syntax', 'error', 'Containerfile.in', 19],
      STUB(23),
      // Cascade: the base is the literal UPSTREAM_IMAGE, which bootc-lint does not know (a warning: it might be a bootc base).
      ['bootc-label', 'warning', 'Containerfile.in', 46],
    ],
    trueErrors: MACROS_UNSET,
  },
  {
    name: 'cayo-centos-10 (CI)',
    repo: 'cayo',
    cppFlags: cayoFlags({ version: '10', kernel: 'kernel', source: 'quay.io/centos-bootc/centos-bootc:stream10', zfs: 'ghcr.io/ublue-os/akmods-zfs:centos-stream10', define: 'CENTOS' }),
    images: ['ghcr.io/ublue-os/akmods-zfs:centos-stream10', 'quay.io/centos-bootc/centos-bootc:stream10'],
    // The CentOS-only RUN (#ifdef CENTOS) ends with `ostree container commit` too.
    expected: [...CAYO_FINDINGS.slice(0, 3), ['ostree-container-commit', 'warning', 'Containerfile.in', 56], ...CAYO_FINDINGS.slice(3)],
  },
  {
    name: 'cayo-fedora-42 (CI)',
    repo: 'cayo',
    cppFlags: cayoFlags({ version: '42', kernel: 'kernel-longterm', source: 'quay.io/fedora/fedora-bootc:42', zfs: 'ghcr.io/ublue-os/akmods-zfs:longterm-6.12-42', define: 'FEDORA' }),
    images: ['ghcr.io/ublue-os/akmods-zfs:longterm-6.12-42', 'quay.io/fedora/fedora-bootc:42'],
    expected: CAYO_FINDINGS,
  },
  {
    name: 'cayo without its cpp flags',
    repo: 'cayo',
    expected: [
      // FROM ZFS stays literal.
      ['containerfile-syntax', 'error', 'Containerfile.in', 11],
      // FROM SOURCE_IMAGE stays literal.
      ['containerfile-syntax', 'error', 'Containerfile.in', 12],
      // Cascade: the base is the literal SOURCE_IMAGE, which bootc-lint does not know (a warning).
      ['bootc-label', 'warning', 'Containerfile.in', 12],
      ...CAYO_FINDINGS,
    ],
    trueErrors: MACROS_UNSET,
  },
];

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'bootc-lint-ublue-'));
  for (const repo of REPOS) cpSync(join(FIXTURES, repo), join(root, projectRoot(repo)), { recursive: true });
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

// The workspace's four projects, the row's project with the row's bootc-build options.
function projectsFor(row: Row): Record<string, ProjectConfiguration> {
  return Object.fromEntries(
    REPOS.map((repo) => {
      const options = repo === row.repo ? { buildArgs: row.buildArgs ?? {}, cppFlags: row.cppFlags ?? [], ...(row.target ? { target: row.target } : {}) } : {};
      return [repo, { root: projectRoot(repo), targets: { 'bootc-build': { executor: 'immutable-os:build', options } } }];
    }),
  );
}

function lint(row: Row) {
  return lintProject({ workspaceRoot: root, projectName: row.repo, projectRoot: projectRoot(row.repo), projects: projectsFor(row) });
}

// Findings as compared with the table: the file relative to the project root.
function compared(row: Row): Expected[] {
  const prefix = `${projectRoot(row.repo)}/`;
  return lint(row).map((f) => [f.rule, f.severity, f.file.startsWith(prefix) ? f.file.slice(prefix.length) : f.file, f.line]);
}

describe('bootc-lint on the Universal Blue corpus', () => {
  test.each(ROWS)('$name: reports exactly the expected findings', (row) => {
    expect(compared(row)).toEqual(row.expected);
  });

  // The declared args and flags do reach the text linted: the images are the ones the upstream build uses.
  test.each(ROWS.filter((row) => row.images))('$name: resolves the images the upstream build uses', (row) => {
    const options = buildTargetOptions(projectsFor(row)[row.repo]);
    const parsed = parseBuildSpec(resolveBuildSpec({ workspaceRoot: root, projectRoot: projectRoot(row.repo), options }));
    expect(parsed.images.map((image) => ({ ref: image.ref, unresolved: image.unresolved }))).toEqual(row.images?.map((ref) => ({ ref, unresolved: [] })));
  });

  const declared = (row: Row) => row.buildArgs !== undefined || row.cppFlags !== undefined;
  const title = (row: Row) => (declared(row) ? 'no error once the build args and cpp flags are declared' : 'only warnings (from-arg-unset) without them');
  const noErrors = (row: Row) => {
    expect(lint(row).filter((f) => f.severity === 'error')).toEqual([]);
  };
  test.each(ROWS.filter((row) => !row.trueErrors).map((row) => ({ ...row, title: title(row) })))('$name: $title', noErrors);
  // A cpp macro left undefined is no build arg: podman fails on the literal name too, so these rows have errors, and only those listed.
  test.each(ROWS.filter((row) => row.trueErrors))('$name: errors only where the build itself would fail', (row) => {
    expect(lint(row).filter((f) => f.severity === 'error').length).toBeGreaterThan(0);
    expect(row.expected.filter(([, severity]) => severity === 'error').every(([rule]) => rule === 'containerfile-syntax' || rule === 'bootc-label')).toBe(true);
  });
});
