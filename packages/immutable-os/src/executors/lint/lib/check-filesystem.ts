import { posix } from 'node:path';
import { tmpfilesPaths } from './declarations';
import { imageContent, isUnder, removes, type ContentEvent } from './image-content';
import { createFinding, type ContainerfileInput, type Finding, type Position, type RuleId } from './rules';
import { finalStageChain } from './stage-chain';

/** Where content must not end up in a bootc image, and the rule that says so (the first match wins). */
export const WATCHED_PATHS: ReadonlyArray<{ prefix: string; rule: RuleId }> = [
  { prefix: '/usr/etc', rule: 'usr-etc' },
  { prefix: '/var/log', rule: 'var-log' },
  { prefix: '/var/tmp', rule: 'tmp-run-leftovers' },
  { prefix: '/var', rule: 'var-content' },
  { prefix: '/tmp', rule: 'tmp-run-leftovers' },
  { prefix: '/run', rule: 'tmp-run-leftovers' },
  { prefix: '/boot', rule: 'boot-content' },
];

/** bootc's API_DIRS (crates/lib/src/lints.rs): each must exist and be a directory. */
export const API_DIRECTORIES = ['/dev', '/proc', '/sys', '/run', '/tmp', '/var'];

/**
 * Top-level folders that bootc bases make symlinks into /var (ostree's layout). /home, /root, /srv
 * and /mnt are symlinks on every bootc base; /opt and /usr/local only on some (Universal Blue, the
 * Fedora Atomic desktops, Fedora CoreOS: bootc#1526), while fedora-bootc and centos-bootc ship them
 * as folders of the image (CentOS/centos-bootc#438, "opt-usrlocal: root").
 */
export const SYMLINKED_INTO_VAR: ReadonlyArray<{ path: string; target: string; everywhere: boolean }> = [
  { path: '/opt', target: '/var/opt', everywhere: false },
  { path: '/usr/local', target: '/var/usrlocal', everywhere: false },
  { path: '/home', target: '/var/home', everywhere: true },
  { path: '/root', target: '/var/roothome', everywhere: true },
  { path: '/srv', target: '/var/srv', everywhere: true },
  { path: '/mnt', target: '/var/mnt', everywhere: true },
];

/** Bases whose /opt and /usr/local are symlinks into /var. */
const OPT_SYMLINK_BASES = [
  'ghcr.io/ublue-os/',
  'ghcr.io/projectbluefin/',
  'ghcr.io/get-aurora-dev/',
  'quay.io/fedora-ostree-desktops/',
  'quay.io/fedora/fedora-silverblue',
  'quay.io/fedora/fedora-kinoite',
  'quay.io/fedora/fedora-coreos',
];

// Also folders the base's own tmpfiles.d declares, which bootc's var-tmpfiles reads from the running root
// (systemd's /var/log/journal and /var/lib/systemd, rpm-ostree's for package-owned folders such as /var/lib/alternatives).
const BASE_VAR_DIRS = new Set([
  '/var', '/var/lib', '/var/cache', '/var/log', '/var/tmp', '/var/spool', '/var/opt', '/var/usrlocal', '/var/home', '/var/roothome', '/var/srv', '/var/mnt',
  '/var/log/journal', '/var/lib/systemd', '/var/lib/alternatives',
]);
// bootc's nonempty-boot leaves out /boot/EFI, the parent of EFI/Linux where UKIs go (lints.rs check_boot, composefs-rs#131).
const UKI_DIR = '/boot/EFI';

type State = 'as-base' | 'absent' | 'replaced';

/**
 * What the final stage chain leaves in the filesystem: content in /usr/etc (usr-etc), /var
 * (var-content, var-log), /tmp, /run and /var/tmp (tmp-run-leftovers), /boot (boot-content), and
 * through the /opt-like symlinks into /var (symlinked-into-var), by COPY/ADD of context files entry
 * by entry and by what RUN scripts visibly write and do not remove later; /var/run made a real
 * directory (var-run-symlink); an API directory (api-directories), /sysroot or /ostree
 * (baseimage-root) removed or replaced. /var content that tmpfiles.d declares is not reported: bootc's
 * var-tmpfiles skips declared paths (crates/tmpfiles, before it looks at the file's type).
 */
export function checkFilesystem(input: ContainerfileInput): Finding[] {
  const { events, copied } = imageContent(input);
  const findings: Finding[] = [];
  const add = (rule: RuleId, position: Position, message: string, override?: Parameters<typeof createFinding>[4]) =>
    findings.push(createFinding(rule, input.file, position, message, override));

  // Through a /var/run that is still the base's symlink, writes land in /run.
  const varRun = trackPath(events, '/var/run', 'symlink');
  const seen = events.map((event) => {
    if (event.kind === 'write' && isUnder(event.path, '/var/run') && event.path !== '/var/run' && varRun.stateAt(event.seq) === 'as-base') {
      return { ...event, path: `/run${event.path.slice('/var/run'.length)}` };
    }
    return event;
  });
  if (varRun.final === 'replaced' && varRun.event) {
    add('var-run-symlink', varRun.event.position, `${varRun.event.via} makes /var/run a real directory; bootc container lint fails ("Not a symlink: var/run").`);
  }
  for (const dir of API_DIRECTORIES) {
    const track = trackPath(events, dir, 'dir');
    if (track.final === 'as-base' || !track.event) continue;
    const what = track.final === 'absent' ? `removes ${dir} and nothing creates it again` : `replaces ${dir} with a ${track.event.type ?? 'file'}`;
    add('api-directories', track.event.position, `${track.event.via} ${what}; bootc container lint fails (api-base-directories: ${dir} must be a directory).`);
  }
  for (const [dir, type] of [['/sysroot', 'dir'], ['/ostree', 'symlink']] as const) {
    const track = trackPath(events, dir, type);
    if (track.final === 'as-base' || !track.event) continue;
    add('baseimage-root', track.event.position, `${track.event.via} ${track.final === 'absent' ? 'removes' : 'replaces'} ${dir}; bootc container lint fails (baseimage-root), and bootc cannot deploy the image.`);
  }
  const boot = trackPath(events, '/boot', 'dir');
  if (boot.final === 'absent' && boot.event) {
    add('boot-content', boot.event.position, `${boot.event.via} removes /boot; bootc container lint warns "Missing /boot directory", and bootc needs the folder to mount the boot partition.`);
  }
  const root = finalStageChain(input.parsed, input.target)[0];
  const optLinked = root !== undefined && !root.baseIsStage && OPT_SYMLINK_BASES.some((prefix) => root.base.startsWith(prefix));
  const symlinked = SYMLINKED_INTO_VAR.filter((link) => link.everywhere || optLinked).map((link) => ({ ...link, track: trackPath(events, link.path, 'symlink') }));

  const left = seen.filter(
    (w) => w.kind === 'write' && !w.mounts.some((m) => isUnder(w.path, m)) && !seen.some((r) => r.kind === 'remove' && r.seq > w.seq && removes(r.path, w.path)),
  );
  const declared = tmpfilesPaths(copied);
  const isDeclared = (path: string) => declared.has(path) || [...declared].some((d) => isUnder(d, path));
  // One finding per rule and instruction: a copied folder's entries are one COPY.
  const groups = new Map<string, { rule: RuleId; position: Position; events: ContentEvent[] }>();
  const group = (rule: RuleId, event: ContentEvent) => {
    const key = `${rule}:${event.position.line}:${event.via.replace(/ of .*/, '')}`;
    const entry = groups.get(key) ?? { rule, position: event.position, events: [] };
    entry.events.push(event);
    groups.set(key, entry);
  };
  for (const write of left) {
    // Inside the folder, or into it by name (`cp -r bin /usr/local` puts bin in the folder the symlink names).
    const through = symlinked.find(
      ({ path, track }) => isUnder(write.path, path) && (write.path !== path || write.type === undefined) && track.stateAt(write.seq) === 'as-base',
    );
    if (through) {
      // tmpfiles.d may declare it by either name (bootc keys entries by the folder they land in).
      const inVar = `${through.target}${write.path.slice(through.path.length)}`;
      if (!isDeclared(write.path) && !isDeclared(inVar)) group('symlinked-into-var', write);
      continue;
    }
    const rule = WATCHED_PATHS.find(({ prefix }) => isUnder(write.path, prefix))?.rule;
    if (!rule) continue;
    // A watched folder itself (`mkdir -p /var/tmp`) is no content; /usr/etc is, since bootc fails on its existence.
    if (rule !== 'usr-etc' && WATCHED_PATHS.some(({ prefix }) => prefix === write.path) && write.type !== 'file') continue;
    if (write.path === '/var/run' || isUnder(write.path, '/var/run')) continue; // var-run-symlink's
    if (rule === 'boot-content' && isUnder(write.path, UKI_DIR)) continue;
    const isFile = write.type === 'file' || write.type === undefined;
    if (rule === 'var-log' && !isFile) {
      if (!isDeclared(write.path) && !BASE_VAR_DIRS.has(write.path)) group('var-content', write);
      continue;
    }
    // bootc's var-log reports non-empty files only; an empty one is /var content like any other (var-tmpfiles).
    const placed: RuleId = rule === 'var-log' && write.size === 0 ? 'var-content' : rule;
    if (placed === 'var-content' && (BASE_VAR_DIRS.has(write.path) || isDeclared(write.path))) continue;
    group(placed, write);
  }
  for (const { rule, position, events: placed } of groups.values()) {
    const shown = minimalCover([...new Set(placed.map((e) => e.path))]);
    const via = placed.find((e) => e.path === shown[0])?.via ?? placed[0].via;
    const scratch = rule === 'tmp-run-leftovers' && shown.every((p) => isUnder(p, '/var/tmp'));
    add(rule, position, placementMessage(rule, via, shown, scratch), scratch ? { bootcLint: 'var-tmpfiles' } : undefined);
  }
  findings.push(...mountStubs(input));
  return findings;
}

// The folders buildah makes for a RUN mount's target inside /tmp or /run and leaves behind, empty,
// after the step: it removes the target but not the parents it created (seen with podman 4.3 /
// buildah 1.28; containers/buildah#6233 cleans them), and bootc container lint reports them (nonempty-run-tmp).
function mountStubs(input: ContainerfileInput): Finding[] {
  const { runs, events } = imageContent(input);
  const removedLater = (line: number, path: string) => events.some((e) => e.kind === 'remove' && e.position.line > line && removes(e.path, path));
  return runs.flatMap((run) => {
    const stubs = new Set<string>();
    for (const { target, type } of run.mounts) {
      if (type !== 'bind' && type !== 'cache') continue; // buildah makes and cleans /run/secrets itself
      const inside = target && ['/tmp', '/run'].find((dir) => isUnder(target, dir) && target !== dir);
      if (!target || !inside) continue;
      const parent = posix.dirname(target);
      if (parent === inside || run.mounts.some((m) => m.type === 'tmpfs' && m.target && m.target !== target && isUnder(target, m.target))) continue;
      const top = `${inside}/${posix.relative(inside, parent).split('/')[0]}`;
      if (!removedLater(run.position.line, top)) stubs.add(top);
    }
    if (stubs.size === 0) return [];
    const list = [...stubs].join(', ');
    return [
      createFinding(
        'tmp-run-leftovers',
        input.file,
        run.position,
        `RUN --mount targets inside ${list}, which the engine creates for the mount; buildah (before containers/buildah#6233) leaves ${list} behind as empty folders, which bootc container lint reports (nonempty-run-tmp).`,
      ),
    ];
  });
}

interface PathTrack {
  /** How the path ends: as the base has it, removed, or replaced by something else. */
  final: State;
  /** The event that removed or replaced it, for the finding. */
  event?: ContentEvent;
  stateAt(seq: number): State;
}

/**
 * Follows one path the base image has (a directory, or a symlink) through the events. A removal
 * of it (or of a folder it is in) makes it absent. Writing it as the base has it (mkdir, `ln -s`;
 * for a directory, also `mkdir -p` or a COPY of something inside it) restores it. Writing something
 * else in its place replaces it: a copied folder entry replaces a symlink (engines unpack a
 * directory over a non-directory by removing it, moby pkg/archive and buildah's copier), and so
 * does a directory made where the symlink was removed.
 */
function trackPath(events: readonly ContentEvent[], path: string, baseType: 'dir' | 'symlink'): PathTrack {
  let state = 'as-base' as State;
  let event: ContentEvent | undefined;
  const changes: Array<{ seq: number; state: State }> = [];
  const set = (next: State, at: ContentEvent) => {
    if (next === state) return;
    state = next;
    event = next === 'as-base' ? undefined : at;
    changes.push({ seq: at.seq, state: next });
  };
  for (const e of events) {
    const copiedEntry = e.via.startsWith('COPY') || e.via.startsWith('ADD');
    if (e.kind === 'remove') {
      if (!/[*?]/.test(e.path) && removes(e.path, path)) set('absent', e);
    } else if (e.path === path) {
      if (e.type === baseType) set('as-base', e);
      else if (e.type === 'file' || (e.type === 'symlink' && baseType === 'dir')) set('replaced', e);
      else if (e.type === 'dir' && (copiedEntry || state === 'absent')) set('replaced', e);
    } else if (isUnder(e.path, path) && state === 'absent') {
      if (baseType === 'dir' && (e.type === 'dir' || copiedEntry)) set('as-base', e);
      else if (baseType === 'symlink' && (e.type === 'dir' || copiedEntry)) set('replaced', e);
    }
  }
  return {
    final: state,
    ...(event ? { event } : {}),
    stateAt: (seq) => changes.filter((c) => c.seq < seq).at(-1)?.state ?? 'as-base',
  };
}

// The paths not inside another of them: `/var/lib/x` stands for `/var/lib/x/y`.
function minimalCover(paths: readonly string[]): string[] {
  return paths.filter((path) => !paths.some((other) => other !== path && isUnder(path, other)));
}

function placementMessage(rule: RuleId, via: string, paths: string[], scratch: boolean): string {
  const shown = paths.length > 3 ? `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more` : paths.join(', ');
  switch (rule) {
    case 'usr-etc':
      return `${via} puts content in ${shown}; bootc reserves /usr/etc for the image's default /etc, and bootc container lint rejects content there.`;
    case 'var-content':
      return `${via} puts content in ${shown}; /var is unpacked only at first install and never updated by bootc upgrade.`;
    case 'var-log':
      return `${via} leaves ${shown} in the image; bootc container lint warns about non-empty log files (var-log), and the logs only add weight to every update.`;
    case 'boot-content':
      return `${via} puts content in ${shown}; bootc replaces /boot at deployment, so the content never reaches a booted system (bootc container lint: nonempty-boot).`;
    case 'symlinked-into-var': {
      const top = SYMLINKED_INTO_VAR.find(({ path }) => isUnder(paths[0], path));
      return `${via} puts content in ${shown}; on bootc base images ${top?.path ?? 'the folder'} is a symlink to ${top ? posix.relative('/', top.target) : '/var'}, so it lands in /var: unpacked at first install, never updated.`;
    }
    default:
      return scratch
        ? `${via} leaves ${shown} in the image; /var/tmp is scratch space, but what is left there is shipped and unpacked at first install (bootc container lint: var-tmpfiles).`
        : `${via} leaves ${shown} in the image; /tmp and /run are emptied at boot, so the content only adds weight to every update.`;
  }
}
