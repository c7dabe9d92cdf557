import type { Pin } from '../../../image/pins';
import type { ParsedContainerfile } from '../../../utils/containerfile';

/**
 * Every check bootc-lint runs: its default severity, a short title and how to fix a finding.
 * The schema's `ignore` enum, the docs and every finding's `fix` read this table.
 */
export const RULES = {
  'containerfile-missing': {
    severity: 'error',
    title: 'The project has no Containerfile',
    fix: 'Create one with `nx g immutable-os:image <name>`, or add a Containerfile at the project root.',
  },
  'containerfile-syntax': {
    severity: 'error',
    title: 'The Containerfile is not a valid build file',
    fix: 'Start the file with FROM (only ARG may come before it) and use only Containerfile instructions (FROM, RUN, COPY, ADD, LABEL, ENV, ARG, ...).',
  },
  'bootc-label': {
    severity: 'warning',
    title: 'The image is not known to be a bootc image',
    fix: 'Build on a bootc base image (e.g. quay.io/fedora/fedora-bootc:44) or a workspace image project; for a mirror or another bootc base, list its prefix in bootc-lint\'s bootcBases option (nx.json targetDefaults). A label alone does not make a base bootable: bootc needs its kernel, /sysroot and /ostree (bootc\'s baseimage-root lint).',
  },
  'usr-etc': {
    severity: 'error',
    bootcLint: 'etc-usretc',
    title: 'Content written to /usr/etc',
    fix: 'Put configuration in /etc (rootfs/etc/...) or package defaults in /usr/lib/...; /usr/etc is managed by bootc and ostree.',
  },
  'var-content': {
    severity: 'warning',
    bootcLint: 'var-tmpfiles',
    title: 'Content placed in /var',
    fix: 'Declare /var content with systemd tmpfiles.d (a /usr/lib/tmpfiles.d/<name>.conf line such as `d /var/lib/<app> 0755 root root -`) and ship data under /usr; /var is unpacked only at first install, never on updates.',
  },
  'var-log': {
    severity: 'warning',
    bootcLint: 'var-log',
    title: 'Files written to /var/log',
    fix: 'Do not write logs at build time: remove them in the same RUN, or mount a cache or tmpfs on /var/log (`RUN --mount=type=tmpfs,dst=/var/log ...`).',
  },
  'package-manager-residue': {
    severity: 'warning',
    bootcLint: 'var-log',
    title: 'A package manager leaves its logs, caches or state in /var',
    fix: 'Mount its cache and log folders for the step, as Universal Blue\'s image-template does: `RUN --mount=type=cache,dst=/var/cache --mount=type=cache,dst=/var/log --mount=type=tmpfs,dst=/tmp dnf -y install ...` (apt: also /var/lib/apt/lists); or remove them at the end of the same RUN (`dnf clean all && rm -rf /var/log/dnf* /var/cache/libdnf5 /var/lib/dnf`).',
  },
  'tmp-run-leftovers': {
    severity: 'warning',
    bootcLint: 'nonempty-run-tmp',
    title: 'Files left in /tmp, /run or /var/tmp',
    fix: 'Remove them in the same RUN, mount a tmpfs (`RUN --mount=type=tmpfs,dst=/tmp ...`), or bind-mount build inputs outside /tmp and /run (`RUN --mount=type=bind,from=ctx,source=/,target=/ctx ...`, as Universal Blue does) instead of copying them: a mount target under /tmp or /run can stay behind as an empty stub.',
  },
  'var-run-symlink': {
    severity: 'error',
    bootcLint: 'var-run',
    title: '/var/run is a real directory',
    fix: 'Keep /var/run a symlink to /run: after removing it (or installing a package that ships it as a directory) run `rm -rf /var/run && ln -s ../run /var/run`, and put runtime files in /run (tmpfiles.d).',
  },
  'api-directories': {
    severity: 'error',
    bootcLint: 'api-base-directories',
    title: 'An API directory (/dev, /proc, /sys, /run, /tmp, /var) is removed or replaced',
    fix: 'Remove only what is inside (`rm -rf /tmp/*`), never the directory itself; recreate it (`mkdir -p /tmp`) if a step removes it.',
  },
  'baseimage-root': {
    severity: 'error',
    bootcLint: 'baseimage-root',
    title: '/sysroot or the /ostree symlink is removed or replaced',
    fix: 'Leave /sysroot and /ostree (a symlink to sysroot/ostree) as the bootc base image has them; bootc deploys the image through them.',
  },
  'boot-content': {
    severity: 'warning',
    bootcLint: 'nonempty-boot',
    title: 'Content placed in /boot, or /boot removed',
    fix: 'Leave /boot empty and present: bootc installs the kernel and bootloader from /usr/lib/modules/<kver>/ at deployment time and replaces /boot; put kernel arguments in /usr/lib/bootc/kargs.d/*.toml.',
  },
  'kargs-syntax': {
    severity: 'error',
    bootcLint: 'bootc-kargs',
    title: 'A kernel arguments file in /usr/lib/bootc/kargs.d is not valid',
    fix: 'Write `kargs = ["console=ttyS0", ...]` (a list of strings) and optionally `match-architectures = ["x86_64", "aarch64"]` (Rust\'s architecture names), nothing else, in a file ending in .toml.',
  },
  'kernel-multiple': {
    severity: 'error',
    bootcLint: 'kernel',
    title: 'A second kernel is installed beside the base image\'s',
    fix: 'Remove the base\'s kernel in the same step before installing another (`dnf -y remove kernel kernel-core kernel-modules kernel-modules-core && dnf -y install kernel-<version>`, or `rm -rf /usr/lib/modules/<old>`); bootc refuses an image with more than one /usr/lib/modules/<kver>/vmlinuz.',
  },
  'initramfs-kver': {
    severity: 'warning',
    title: 'dracut regenerates an initramfs for the build host\'s kernel',
    fix: 'Name the image\'s kernel and its place: `kver=$(ls /usr/lib/modules) && dracut --no-hostonly --kver "$kver" --reproducible -f "/usr/lib/modules/$kver/initramfs.img"`; `uname -r` in a build is the host\'s kernel.',
  },
  'composefs-disabled': {
    severity: 'warning',
    bootcLint: 'baseimage-composefs',
    title: 'prepare-root.conf does not enable composefs',
    fix: 'Set `[composefs]` `enabled = yes` (or `[root]` `transient = true`) in /usr/lib/ostree/prepare-root.conf, and regenerate the initramfs after changing it.',
  },
  'utf8-names': {
    severity: 'error',
    bootcLint: 'utf8',
    title: 'A file name or symlink target is not UTF-8',
    fix: 'Rename the file (or retarget the symlink) to a UTF-8 name; bootc refuses images with other names.',
  },
  sysusers: {
    severity: 'warning',
    bootcLint: 'sysusers',
    title: 'A user or group is created without a sysusers.d entry',
    fix: 'Declare it in /usr/lib/sysusers.d/<name>.conf (`u <name> - "<description>" /var/lib/<name>`, `g <name> -`) instead of useradd/groupadd at build time, so existing systems get it on update; homes go to /var/home, which updates never touch.',
  },
  'buildah-injected': {
    severity: 'warning',
    bootcLint: 'buildah-injected',
    title: 'An empty /etc/hostname or /etc/resolv.conf is shipped',
    fix: 'Do not create /etc/hostname or /etc/resolv.conf in the image; the engine mounts them during the build, and the booted system writes its own.',
  },
  'symlinked-into-var': {
    severity: 'warning',
    bootcLint: 'var-tmpfiles',
    title: 'Content written through a symlink into /var (/opt, /usr/local, /home, /root, /srv, /mnt on bootc bases)',
    fix: 'Put the files under /usr (e.g. /usr/lib/<app>, /usr/bin) and link them where needed, or replace the symlink first (`rm /opt && mkdir /opt`) so /opt is part of /usr-like image content; what lands in /var is unpacked once and never updated.',
  },
  'ostree-container-commit': {
    severity: 'warning',
    title: '`ostree container commit` is superseded by bootc container lint',
    fix: 'Remove `ostree container commit` and end the final stage with `RUN bootc container lint`; clean /tmp, /var/tmp and /var/cache with mounts (`--mount=type=tmpfs,dst=/tmp`, `--mount=type=cache,dst=/var/cache`).',
  },
  'selinux-labels': {
    severity: 'warning',
    title: 'SELinux labels set by hand in a build step',
    fix: 'Declare the label with `semanage fcontext -a -t <type> "<path>(/.*)?"` (it lands in the policy, and the image is relabelled from it); `chcon` and security.selinux xattrs set in a build do not survive into a deployed bootc system.',
  },
  'nested-container-storage': {
    severity: 'warning',
    title: 'A build step pulls or builds container images into the image',
    fix: 'Use logically bound images: a .container or .image quadlet in /usr/share/containers/systemd/ and a symlink to it in /usr/lib/bootc/bound-images.d/, so bootc pulls them at install and update; images stored inside the layer break on whiteouts and are never updated.',
  },
  'credentials-in-image': {
    severity: 'error',
    title: 'A credential is written into the image',
    fix: 'Ship no private keys, tokens or passwords in the image: inject them at install (bootc install --root-ssh-authorized-keys, a bootc-image-builder user customization, systemd credentials) or at run time; secrets for the build itself go through `RUN --mount=type=secret`.',
  },
  'missing-bootc-lint': {
    severity: 'warning',
    title: 'The final stage does not run bootc container lint',
    fix: 'End the final stage with `RUN bootc container lint`.',
  },
  'bootc-lint-neutralised': {
    severity: 'warning',
    title: 'The bootc container lint step cannot fail the build, or skips lints',
    fix: 'Run it as `RUN bootc container lint` on its own (no `|| true`, `; true` or `|| :`), add `--fatal-warnings` for warnings to fail too, and drop `--skip` where the image can be fixed instead.',
  },
  'from-arg-unset': {
    severity: 'warning',
    title: 'A FROM image depends on a build arg that has no value',
    fix: "Give the arg a value in bootc-build's buildArgs (project.json targets.bootc-build.options.buildArgs, or nx.json targetDefaults), or a default in its ARG line; until then neither bootc-lint nor the project graph can tell which image the FROM names.",
  },
  'from-unpinned': {
    severity: 'warning',
    title: 'A FROM image has no tag or digest',
    fix: 'Pin the image with a tag (e.g. :44) or, for reproducible builds, a digest (@sha256:...).',
  },
  'from-pin-missing': {
    severity: 'warning',
    title: "An external base image has no pin in the workspace's lock file",
    fix: 'Add an entry for it to the lock file (image-versions.yml: name, image, tag, digest) and run `nx g immutable-os:update-pins` to write its current digest; bootc-build then builds it by digest, and a digest bump rebuilds exactly the images on it.',
  },
  'secret-in-build-arg': {
    severity: 'error',
    title: 'A credential is set in ENV or ARG',
    fix: 'Remove the value and pass the credential with `RUN --mount=type=secret,id=<id> ...` and the build target\'s `secrets` option; ENV and ARG values are stored in the image and its history.',
  },
  'config-syntax': {
    severity: 'error',
    title: 'The build config (config.toml or config.json) does not parse',
    fix: 'Fix the TOML (or JSON, for config.json) at the reported position; see https://osbuild.org/docs/bootc/ for the bootc-image-builder config format.',
  },
  'config-invalid': {
    severity: 'error',
    title: 'The build config has a key or value bootc-image-builder refuses',
    fix: 'Change the reported key as its message says: bootc-image-builder refuses unknown keys, values of the wrong type and paths outside its policies, and stops before building anything.',
  },
  'config-ignored': {
    severity: 'warning',
    title: "The build config has a customization the project's formats ignore",
    fix: 'Remove the customization, or build a type that applies it: set metadata["immutable-os"].formats in project.json (disk and ISO types apply different customizations).',
  },
  'bootc-container-lint': {
    severity: 'error',
    title: "A finding of `bootc container lint` run inside the built image (bootc-build's bootcLint option)",
    fix: "Fix what bootc's lint names (its lint name is in the finding's bootcLint field); `bootc container lint --list` in the image describes each lint.",
  },
} as const satisfies Record<string, RuleInfo>;

export interface RuleInfo {
  /** The default severity: bootc's own where the rule mirrors one of bootc's lints (Fatal → error, Warning → warning). */
  severity: Severity;
  /** The `bootc container lint` lint the rule mirrors, by bootc's name; none for the rules that are ours alone. */
  bootcLint?: string;
  title: string;
  fix: string;
}

export type Severity = 'error' | 'warning';

export type RuleId = keyof typeof RULES;

export const RULE_IDS = Object.keys(RULES) as RuleId[];

export interface Finding {
  rule: RuleId;
  severity: Severity;
  /** Workspace-relative path, e.g. `images/kiosk/Containerfile`. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column?: number;
  message: string;
  fix: string;
  /** The `bootc container lint` lint this finding matches, by bootc's name (the rule table's, or the one bootc itself reported). */
  bootcLint?: string;
}

/** What each Containerfile check receives. */
export interface ContainerfileInput {
  /** Workspace-relative path of the Containerfile, for findings. */
  file: string;
  parsed: ParsedContainerfile;
  /** Absolute project root. */
  projectDir: string;
  /** The build context COPY and ADD sources are read from, absolute (bootc-build's context option; default the project root). */
  contextDir?: string;
  /** True for a context-relative path the context's .containerignore (else .dockerignore) leaves out of the build. */
  isIgnored?(path: string): boolean;
  /** bootc-build's named build contexts (buildContexts option): name → absolute folder. */
  buildContexts?: Readonly<Record<string, string>>;
  /** The stage the build ends at (bootc-build's target option); the last stage when unset. */
  target?: string;
  /** Image reference prefixes the workspace knows to be bootc bases, beyond the built-in list (bootc-lint's bootcBases option). */
  bootcBases?: readonly string[];
  /** True when `ref` names the image of another image project in the workspace. */
  isWorkspaceImage(ref: string): boolean;
  /** In a workspace that pins its bases: the lock file and its pins. */
  pins?: { file: string; pins: readonly Pin[] };
}

export interface Position {
  line: number;
  column?: number;
}

export function isRuleId(value: string): value is RuleId {
  return Object.prototype.hasOwnProperty.call(RULES, value);
}

/**
 * A finding with the rule's severity, fix and bootc lint name from the table; `override` sets a
 * finding's own severity where the rule's depends on the case (a known token shape against a name
 * alone) or the bootc lint bootc itself named.
 */
export function createFinding(
  rule: RuleId,
  file: string,
  position: Position,
  message: string,
  override: { severity?: Severity; bootcLint?: string } = {},
): Finding {
  const info: RuleInfo = RULES[rule];
  const finding: Finding = { rule, severity: override.severity ?? info.severity, file, line: position.line, message, fix: info.fix };
  if (position.column !== undefined) finding.column = position.column;
  const bootcLint = override.bootcLint ?? info.bootcLint;
  if (bootcLint !== undefined) finding.bootcLint = bootcLint;
  return finding;
}

/** Orders findings by file, line, column and rule, so output is stable between runs. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      compare(a.file, b.file) ||
      a.line - b.line ||
      (a.column ?? 0) - (b.column ?? 0) ||
      compare(a.rule, b.rule) ||
      compare(a.message, b.message),
  );
}

// By code unit, not locale: the order must not depend on the machine.
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
