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
    severity: 'error',
    title: 'The image is not marked as a bootc image',
    fix: 'Build on a bootc base image (e.g. quay.io/fedora/fedora-bootc:44) or a workspace image project, or add `LABEL containers.bootc=1` to the final stage.',
  },
  'usr-etc': {
    severity: 'error',
    title: 'Content written to /usr/etc',
    fix: 'Put configuration in /etc (rootfs/etc/...) or package defaults in /usr/lib/...; /usr/etc is managed by bootc and ostree.',
  },
  'var-content': {
    severity: 'warning',
    title: 'Content placed in /var',
    fix: 'Declare /var content with systemd tmpfiles.d (a /usr/lib/tmpfiles.d/<name>.conf line such as `d /var/lib/<app> 0755 root root -`) and ship data under /usr; /var is unpacked only at first install, never on updates.',
  },
  'tmp-run-leftovers': {
    severity: 'warning',
    title: 'Files left in /tmp or /run',
    fix: 'Remove them in the same RUN, mount a tmpfs (`RUN --mount=type=tmpfs,target=/tmp ...`), or bind-mount build inputs (`RUN --mount=type=bind,source=<file>,target=/tmp/<file> ...`) instead of copying them.',
  },
  'missing-bootc-lint': {
    severity: 'warning',
    title: 'The final stage does not run bootc container lint',
    fix: 'End the final stage with `RUN bootc container lint`.',
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
} as const satisfies Record<string, { severity: Severity; title: string; fix: string }>;

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
}

/** What each Containerfile check receives. */
export interface ContainerfileInput {
  /** Workspace-relative path of the Containerfile, for findings. */
  file: string;
  parsed: ParsedContainerfile;
  /** Absolute project root: the build context that COPY sources are read from. */
  projectDir: string;
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

/** A finding with the rule's severity and fix from the table. */
export function createFinding(rule: RuleId, file: string, position: Position, message: string): Finding {
  const { severity, fix } = RULES[rule];
  const finding: Finding = { rule, severity, file, line: position.line, message, fix };
  if (position.column !== undefined) finding.column = position.column;
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
