import { posix } from 'node:path';
import { parseToml } from '../../../utils/toml';
import { imageContent, type CopiedFile } from './image-content';
import { TOKEN_SHAPES } from './check-secrets';
import { createFinding, type ContainerfileInput, type Finding } from './rules';

const PRIVATE_KEY_FILE = /-----BEGIN ([A-Z ]*)PRIVATE KEY-----\s*\n[A-Za-z0-9+/=:,\s-]+?\n-----END \1PRIVATE KEY-----/;
// Files bigger than this are not scanned for credentials (packages, archives, firmware).
const MAX_SCANNED = 256 * 1024;

export const KARGS_DIR = '/usr/lib/bootc/kargs.d';
/** prepare-root.conf, where ostree looks: /etc first, then /usr/lib (ostree-ext ostree_prepareroot.rs load_config_from_root). */
export const PREPARE_ROOT_CONFS = ['/etc/ostree/prepare-root.conf', '/usr/lib/ostree/prepare-root.conf'];
// Names a Linux tool or distribution uses where Rust's std::env::consts::ARCH, which kargs.d matches, says otherwise.
const NOT_RUST_ARCH: Record<string, string> = { amd64: 'x86_64', x64: 'x86_64', arm64: 'aarch64', ppc64le: 'powerpc64', i686: 'x86', i386: 'x86', armhfp: 'arm' };

/**
 * The files the image gets from the build context, read as bootc reads them: kargs.d TOML
 * (kargs-syntax), prepare-root.conf (composefs-disabled), empty /etc/hostname and /etc/resolv.conf
 * (buildah-injected), more than one kernel (kernel-multiple), names that are not UTF-8 (utf8-names), and
 * keys and tokens (credentials-in-image).
 */
export function checkCopiedFiles(input: ContainerfileInput): Finding[] {
  const { copied, nonUtf8 } = imageContent(input);
  const last = lastCopies(copied);
  const findings: Finding[] = [];
  for (const file of last.values()) {
    if (posix.dirname(file.path) === KARGS_DIR) findings.push(...checkKargs(input.file, file));
  }
  const prepareRoot = PREPARE_ROOT_CONFS.map((path) => last.get(path)).find((file) => file?.type === 'file');
  if (prepareRoot) findings.push(...checkPrepareRoot(input.file, prepareRoot));
  for (const path of ['/etc/hostname', '/etc/resolv.conf']) {
    const file = last.get(path);
    if (file?.type === 'file' && file.size === 0) {
      findings.push(
        createFinding('buildah-injected', input.file, file.position, `The COPY of ${file.source} ships ${path} as an empty file, as a container runtime synthesizes it; bootc container lint (with --rootfs) warns about it.`),
      );
    }
  }
  const kernels = [...last.values()].filter((f) => f.type === 'file' && /^\/usr\/lib\/modules\/[^/]+\/vmlinuz$/.test(f.path));
  if (kernels.length > 1) {
    findings.push(
      createFinding(
        'kernel-multiple',
        input.file,
        kernels[1].position,
        `The image gets ${kernels.length} kernels from the build context (${kernels.map((k) => k.path).join(', ')}); bootc container lint fails (kernel: "Multiple kernels found").`,
      ),
    );
  }
  for (const copied of last.values()) {
    if (copied.type !== 'file' || copied.size > MAX_SCANNED || copied.size === 0) continue;
    if (/\/\.ssh\/authorized_keys2?$/.test(copied.path)) {
      findings.push(
        createFinding('credentials-in-image', input.file, copied.position, `The COPY of ${copied.source} ships ${copied.path}: the same SSH key for every machine, which updates can never revoke.`, { severity: 'warning' }),
      );
      continue;
    }
    let text: string;
    try {
      text = copied.read();
    } catch {
      continue;
    }
    // A key file, not a script that greps for its header: the whole armour with a body.
    const shape = TOKEN_SHAPES.find(({ name, pattern }) => (name === 'a private key' ? PRIVATE_KEY_FILE.test(text) : pattern.test(text)));
    if (shape) {
      findings.push(createFinding('credentials-in-image', input.file, copied.position, `The COPY of ${copied.source} ships ${copied.path}, which holds what looks like ${shape.name} (not shown), readable by anyone who pulls the image.`));
    }
  }
  for (const { shown, what, position } of nonUtf8) {
    findings.push(createFinding('utf8-names', input.file, position, `The copied ${shown} has a ${what} that is not UTF-8; bootc container lint fails (utf8), the ostree backend stores UTF-8 names only.`));
  }
  return findings;
}

// The copy that lands last at each image path: a later COPY replaces an earlier one.
function lastCopies(copied: readonly CopiedFile[]): Map<string, CopiedFile> {
  const last = new Map<string, CopiedFile>();
  for (const file of copied) last.set(file.path, file);
  return last;
}

// bootc_kargs.rs: files ending in .toml, each `kargs` (a list of strings, required) and optional
// `match-architectures` (a list of strings), nothing else (deny_unknown_fields).
function checkKargs(file: string, copied: CopiedFile): Finding[] {
  const at = (message: string, severity: 'error' | 'warning' = 'error') =>
    createFinding('kargs-syntax', file, copied.position, `${copied.path} (from ${copied.source}): ${message}`, { severity });
  if (copied.type !== 'file') return [];
  if (!copied.path.endsWith('.toml')) return [at('bootc reads only files ending in .toml in kargs.d, so this file is ignored.', 'warning')];
  let config: Record<string, unknown>;
  try {
    config = parseToml(copied.read()) as Record<string, unknown>;
  } catch (error) {
    return [at(`does not parse as TOML (${firstLine((error as Error).message)}); bootc container lint fails (bootc-kargs).`)];
  }
  const findings: Finding[] = [];
  const unknown = Object.keys(config).filter((key) => key !== 'kargs' && key !== 'match-architectures');
  if (unknown.length > 0) findings.push(at(`unknown key${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; bootc accepts only kargs and match-architectures, and fails on others (bootc-kargs).`));
  if (!isStringList(config.kargs)) {
    findings.push(at(config.kargs === undefined ? 'has no kargs list; bootc fails (bootc-kargs: missing field `kargs`).' : 'kargs must be a list of strings; bootc fails (bootc-kargs).'));
  }
  const arches = config['match-architectures'];
  if (arches !== undefined && !isStringList(arches)) findings.push(at('match-architectures must be a list of strings; bootc fails (bootc-kargs).'));
  for (const arch of isStringList(arches) ? arches : []) {
    const rust = NOT_RUST_ARCH[arch];
    if (rust) findings.push(at(`match-architectures has "${arch}", which never matches: bootc compares Rust's architecture names, "${rust}" here.`, 'warning'));
  }
  return findings;
}

// ostree_prepareroot.rs overlayfs_enabled_in_config: `[root] transient` true, or `[composefs] enabled`
// yes/true/1/maybe/signed/verity; no/false/0 or no value disables it; any other value fails the parse.
function checkPrepareRoot(file: string, copied: CopiedFile): Finding[] {
  const groups = parseKeyFile(copied.read());
  const enabled = groups.get('composefs')?.get('enabled');
  const transient = groups.get('root')?.get('transient');
  const valid = ['yes', 'true', '1', 'no', 'false', '0', 'maybe', 'signed', 'verity'];
  // `[root] transient` is read as a GLib boolean (true/false/1/0): anything else stops bootc's lint run.
  if (transient !== undefined && !['true', 'false', '1', '0'].includes(transient)) {
    return [
      createFinding('composefs-disabled', file, copied.position, `${copied.path} (from ${copied.source}) sets [root] transient = ${transient}, which is no boolean (true or false); bootc container lint fails reading it.`, { severity: 'error' }),
    ];
  }
  // bootc reads an unknown value as disabled (log_err_default) and warns; ostree-prepare-root reads it at boot.
  if (enabled !== undefined && !valid.includes(enabled)) {
    return [
      createFinding('composefs-disabled', file, copied.position, `${copied.path} (from ${copied.source}) sets [composefs] enabled = ${enabled}, which ostree does not accept (yes, no, maybe, signed or verity); bootc container lint takes it as disabled (baseimage-composefs).`),
    ];
  }
  if (transient === 'true' || transient === '1' || (enabled !== undefined && !['no', 'false', '0'].includes(enabled))) return [];
  return [
    createFinding('composefs-disabled', file, copied.position, `${copied.path} (from ${copied.source}) ${enabled === undefined ? 'does not set [composefs] enabled' : `sets [composefs] enabled = ${enabled}`}; bootc container lint warns that composefs is not enabled (baseimage-composefs).`),
  ];
}

// A GLib key file: [group] headers, key=value lines, # comments.
function parseKeyFile(text: string): Map<string, Map<string, string>> {
  const groups = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      current = groups.get(header[1]) ?? new Map();
      groups.set(header[1], current);
    } else if (current && line.includes('=')) {
      current.set(line.slice(0, line.indexOf('=')).trim(), line.slice(line.indexOf('=') + 1).trim());
    }
  }
  return groups;
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function firstLine(text: string): string {
  return text.split('\n')[0].trim();
}
