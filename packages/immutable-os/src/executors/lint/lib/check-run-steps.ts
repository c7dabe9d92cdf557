import { isKnownBootcBase } from '../../../utils/bootc-bases';
import { sysusersNames } from './declarations';
import { imageContent, isUnder, removes, type RunStep } from './image-content';
import { createFinding, type ContainerfileInput, type Finding } from './rules';
import { commandName, parseArgs } from './shell-effects';
import { finalStageChain } from './stage-chain';

interface Manager {
  /** Folders (or files) each kind of residue lands in; the kind is clean when any of them is mounted over or removed. */
  logs: string[];
  caches: string[];
  /** Subcommands that fetch repository metadata or packages (and so fill the cache). */
  fetches: RegExp;
  /** Subcommands that neither log nor fetch. */
  quiet: RegExp;
  /** Options that take a value as the next word. */
  valueOptions: string[];
}

const DNF: Manager = {
  logs: ['/var/log/dnf5.log', '/var/log/dnf.log', '/var/log/dnf.rpm.log', '/var/log/dnf.librepo.log', '/var/log/hawkey.log', '/var/log/yum.log'],
  caches: ['/var/cache/libdnf5', '/var/cache/dnf', '/var/cache/yum'],
  fetches: /^(?:install|in|reinstall|upgrade|up|update|upgrade-minimal|downgrade|distro-sync|distrosync|dsync|swap|makecache|group|groupinstall|groupupdate|module|copr|localinstall|check-update|check-upgrade|search|info|list|repoquery|rq|provides|builddep|download)$/,
  quiet: /^(?:clean|help|--version|--help|-h|history|config-manager|versionlock|mark)$/,
  valueOptions: ['-c', '--config', '--repo', '--repoid', '--enablerepo', '--disablerepo', '-x', '--exclude', '--installroot', '--forcearch', '--releasever', '--setopt', '--repofrompath', '--use-host-config', '-d', '--debuglevel', '-e', '--errorlevel', '--destdir', '--downloaddir'],
};
const APT: Manager = {
  logs: ['/var/log/apt', '/var/log/dpkg.log'],
  caches: ['/var/cache/apt', '/var/lib/apt/lists'],
  fetches: /^(?:update|install|upgrade|dist-upgrade|full-upgrade|build-dep|source|download|reinstall)$/,
  quiet: /^(?:clean|autoclean|help|--version|--help|-h|mark|list|show|search|policy)$/,
  valueOptions: ['-o', '--option', '-c', '--config-file', '-t', '--target-release'],
};
const MANAGERS: Record<string, Manager> = { dnf: DNF, dnf5: DNF, dnf4: DNF, yum: DNF, microdnf: DNF, tdnf: DNF, 'apt-get': APT, apt: APT };

const USER_VALUE_OPTIONS = [
  '-c', '--comment', '-d', '--home-dir', '-e', '--expiredate', '-f', '--inactive', '-g', '--gid', '-G', '--groups', '-k', '--skel',
  '-K', '--key', '-p', '--password', '-s', '--shell', '-u', '--uid', '-b', '--base-dir', '-R', '--root', '-P', '--prefix', '-Z', '--selinux-user',
  '--home', '--ingroup', '--gecos', '--firstuid', '--lastuid', '--firstgid', '--lastgid', '--conf', '--add_extra_groups',
];
const DRACUT_VALUE_OPTIONS = [
  '-a', '--add', '--force-add', '-o', '--omit', '-d', '--drivers', '--add-drivers', '--force-drivers', '--omit-drivers', '--filesystems',
  '-k', '--kmoddir', '--fwdir', '--libdirs', '-c', '--conf', '--confdir', '--tmpdir', '-r', '--sysroot', '--install', '--install-optional',
  '--kernel-cmdline', '--compress', '--uefi-stub', '--kernel-image', '--sshkey', '--add-fstab', '--mount', '--add-device', '--device',
  '--loginstall', '-L', '--stdlog', '--sysloglevel', '--fileloglevel', '--kver', '--uefi-splash-image', '--sbat', '--hostonly-mode',
  '-m', '--modules', '--add-confdir', '--prefix', '--persistent-policy', '--hostonly-cmdline', '--early-microcode-dir',
];
const INITRAMFS_PATH = /^\/(?:usr\/)?lib\/modules\/[^/]+\/initramfs\.img$/;
// Kernel packages that ship /usr/lib/modules/<kver>/vmlinuz (not -devel, -headers, -tools, -modules*), by name or rpm file.
const KERNEL_PACKAGE = /^(?:.*\/)?kernel(?:-(?!devel|headers|tools|modules|doc|abi|cross|selftests|livepatch|rpm-macros|srpm)[a-z]+(?:-core)?)?(?:-\d[^/\s]*)?$/;
// The base's own kernel packages: installing them again may be a no-op; any other flavor (kernel-longterm, kernel-rt, kernel-cachyos) lands beside it.
const BASE_KERNEL = /^(?:.*\/)?kernel(?:-core)?$/;

/**
 * What RUN steps do that no path names: package managers leaving logs and caches in /var
 * (package-manager-residue), `ostree container commit` (ostree-container-commit), users and groups
 * made without sysusers.d (sysusers), a second kernel (kernel-multiple), dracut for the build
 * host's kernel (initramfs-kver).
 */
export function checkRunSteps(input: ContainerfileInput): Finding[] {
  const content = imageContent(input);
  const findings: Finding[] = [];
  const declared = sysusersNames(content.copied);
  const root = finalStageChain(input.parsed, input.target)[0];
  const bootcBase = root !== undefined && !root.baseIsStage && (isKnownBootcBase(root.base) || input.isWorkspaceImage(root.base));
  // A kernel install is a second kernel unless the base's is removed, before or after it, in the image's stages.
  const kernelRemoved = content.runs.some((run) => run.commands.some((c) => removesKernel(commandName(c.words).name, commandName(c.words).args)));
  for (const run of content.runs) {
    const residue = new Map<string, { logs: boolean; caches: boolean; manager: Manager }>();
    for (const command of run.commands) {
      const { name, args } = commandName(command.words);
      if (name === '') continue;
      const manager = MANAGERS[name];
      const sub = manager ? subcommand(args, manager) : undefined;
      if (manager && sub !== undefined && !manager.quiet.test(sub) && !args.some((a) => a.startsWith('--installroot'))) {
        const seen = residue.get(name) ?? { logs: false, caches: false, manager };
        seen.logs ||= manager === DNF || /^(?:install|upgrade|dist-upgrade|full-upgrade|remove|purge|autoremove|reinstall)$/.test(sub);
        seen.caches ||= manager.fetches.test(sub);
        residue.set(name, seen);
      }
      if (name === 'ostree' && args[0] === 'container' && args[1] === 'commit') {
        findings.push(
          createFinding('ostree-container-commit', input.file, run.position, '`ostree container commit` is superseded: bootc container lint checks the image, and mounts keep /tmp, /var/tmp and /var/cache clean.'),
        );
      }
      const kernels = kernelInstall(name, args);
      if (kernels.length > 0 && !kernelRemoved) {
        const versioned = kernels.some((k) => /-\d|\.rpm$|\//.test(k) || !BASE_KERNEL.test(k));
        findings.push(
          createFinding(
            'kernel-multiple',
            input.file,
            run.position,
            `RUN ${name} installs ${kernels.join(', ')} and no step removes the base image's kernel; ${versioned ? 'that is a second' : 'if the repositories have a newer kernel than the base, that is a second'} /usr/lib/modules/<kver>/vmlinuz, and bootc container lint fails (kernel: "Multiple kernels found").`,
            { severity: versioned && bootcBase ? 'error' : 'warning' },
          ),
        );
      }
      if (name === 'dracut') findings.push(...checkDracut(input.file, run, args));
      findings.push(...checkPractices(input.file, run, name, args));
      findings.push(...checkUser(input.file, run, name, args, declared));
    }
    for (const [name, { logs, caches, manager }] of residue) {
      const left = [
        ...(logs && !cleaned(content, run, manager.logs) ? ['logs in /var/log'] : []),
        ...(caches && !cleaned(content, run, manager.caches) ? [`caches in ${manager === APT ? '/var/cache/apt and /var/lib/apt/lists' : '/var/cache'}`] : []),
      ];
      if (left.length === 0) continue;
      findings.push(
        createFinding(
          'package-manager-residue',
          input.file,
          run.position,
          `RUN ${name} leaves its ${left.join(' and ')} in the image: /var content is unpacked only at first install, and bootc container lint warns about it (${logs && left[0].startsWith('logs') ? 'var-log' : 'var-tmpfiles'}).`,
          { bootcLint: logs && left[0].startsWith('logs') ? 'var-log' : 'var-tmpfiles' },
        ),
      );
    }
  }
  return findings;
}

// The first word that is not an option (or an option's value).
function subcommand(args: string[], manager: Manager): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--version' || arg === '--help' || arg === '-h') return arg;
    if (arg.startsWith('-')) {
      if (manager.valueOptions.includes(arg)) i++;
      continue;
    }
    return arg;
  }
  return undefined;
}

// Residue of a kind is gone when a mount of the RUN covers one of its places or a removal in or after the RUN takes it.
function cleaned(content: ReturnType<typeof imageContent>, run: RunStep, places: string[]): boolean {
  const probes = places.map((place) => `${place}/x`);
  return (
    places.some((place) => run.mounts.some((m) => m.target !== undefined && isUnder(place, m.target))) ||
    content.events.some((e) => e.kind === 'remove' && e.seq >= run.seq && [...places, ...probes].some((p) => removes(e.path, p)))
  );
}

function removesKernel(name: string, args: string[]): boolean {
  const mentions = (words: string[]) => words.some((w) => KERNEL_PACKAGE.test(w) || w.includes('$') || /^kernel/.test(w));
  if (MANAGERS[name] === DNF) {
    const sub = subcommand(args, DNF);
    return (sub === 'remove' || sub === 'erase' || sub === 'swap') && mentions(args);
  }
  if (name === 'rpm') return args.some((a) => a === '-e' || a === '--erase' || /^-[a-zA-Z]*e/.test(a)) && mentions(args);
  if (name === 'rpm-ostree') return args[0] === 'override' && (args[1] === 'remove' || args[1] === 'replace');
  if (name === 'rm') return args.some((a) => /^\/(?:usr\/)?lib\/modules\/./.test(a));
  return false;
}

// The kernel packages a command installs beside the installed ones (dnf install/upgrade, rpm -i; rpm -U replaces).
function kernelInstall(name: string, args: string[]): string[] {
  let operands: string[];
  if (MANAGERS[name] === DNF) {
    const sub = subcommand(args, DNF);
    if (!sub || !/^(?:install|in|upgrade|up|update|localinstall|downgrade)$/.test(sub)) return [];
    operands = args.slice(args.indexOf(sub) + 1);
  } else if (name === 'rpm' && args.some((a) => a === '-i' || a === '--install' || /^-[a-zA-Z]*i/.test(a)) && !args.some((a) => /^-[a-zA-Z]*[UF]/.test(a) || a === '--upgrade')) {
    operands = args;
  } else {
    return [];
  }
  return operands.filter((a) => !a.startsWith('-') && KERNEL_PACKAGE.test(a.replace(/\.(?:x86_64|aarch64|ppc64le|s390x)?\.?rpm$/, '').replace(/\.rpm$/, '')));
}

// SELinux labels by hand, images pulled into the layer, passwords set in a step (bootc-lint-comparison O, P, S).
function checkPractices(file: string, run: RunStep, name: string, args: string[]): Finding[] {
  const at = (rule: 'selinux-labels' | 'nested-container-storage' | 'credentials-in-image', message: string, severity?: 'warning') =>
    [createFinding(rule, file, run.position, message, severity ? { severity } : {})];
  if (name === 'chcon' || (name === 'setfattr' && args.some((a) => a.includes('security.selinux')))) {
    return at('selinux-labels', `RUN ${name} sets an SELinux label by hand; bootc does not carry such labels into a deployed system (docs: "It will currently not work to do e.g. RUN chcon ...").`);
  }
  const sub = args.find((a) => !a.startsWith('-'));
  if (((name === 'podman' || name === 'docker') && /^(?:pull|load|run|build|create|import)$/.test(sub ?? '')) || (name === 'buildah' && /^(?:from|pull|bud|build)$/.test(sub ?? ''))) {
    return at('nested-container-storage', `RUN ${name} ${sub} stores container images inside the OS image's layer; bootc neither updates them nor handles their whiteouts (bootc#128): use logically bound images.`);
  }
  if (name === 'skopeo' && args.includes('copy') && args.some((a) => a.startsWith('containers-storage:'))) {
    return at('nested-container-storage', 'RUN skopeo copy into containers-storage stores an image inside the OS image\'s layer; use logically bound images.');
  }
  const password =
    name === 'chpasswd' ||
    (name === 'passwd' && args.includes('--stdin')) ||
    ((name === 'usermod' || name === 'useradd') && passwordValue(args) !== undefined && !/^(?:!+\*?|\*)$/.test(passwordValue(args) ?? ''));
  if (password) {
    return at('credentials-in-image', `RUN ${name} sets a password in the image's /etc/shadow, the same for every machine and readable by anyone who pulls the image.`, 'warning');
  }
  return [];
}

// The value of -p/--password; `!`, `!!`, `*` and `!*` lock the account and set no password.
function passwordValue(args: string[]): string | undefined {
  const at = args.findIndex((a) => a === '-p' || a === '--password');
  if (at !== -1) return args[at + 1] ?? '';
  return args.find((a) => a.startsWith('--password='))?.slice('--password='.length);
}

function checkDracut(file: string, run: RunStep, args: string[]): Finding[] {
  // Commands that build nothing, or build for every installed kernel.
  if (args.some((a) => /^--(?:regenerate-all|help|version|list-modules|print-cmdline)$/.test(a))) return [];
  // `--include SRC DEST` takes two values.
  const include = args.flatMap((a, i) => (a === '--include' || a === '-i' ? [i] : []));
  const parsed = parseArgs(args.filter((_a, i) => !include.some((at) => i === at + 2)), [...DRACUT_VALUE_OPTIONS, '--include', '-i']);
  const kver = parsed.values('--kver')[0] ?? parsed.operands[1];
  const image = parsed.operands[0];
  const problems: string[] = [];
  if (kver === undefined) problems.push('names no kernel version (--kver), so it builds for `uname -r`, the build host\'s kernel');
  else if (/uname\s+-r/.test(kver)) problems.push(`takes the kernel version from ${kver}, the build host's kernel`);
  if (image !== undefined && !image.includes('$') && !INITRAMFS_PATH.test(image)) problems.push(`writes ${image}, but bootc boots /usr/lib/modules/<kver>/initramfs.img`);
  if (problems.length === 0) return [];
  return [createFinding('initramfs-kver', file, run.position, `RUN dracut ${problems.join('; and ')}.`)];
}

function checkUser(file: string, run: RunStep, name: string, args: string[], declared: { users: Set<string>; groups: Set<string> }): Finding[] {
  const isUser = name === 'useradd' || name === 'adduser';
  if (!isUser && name !== 'groupadd' && name !== 'addgroup') return [];
  const parsed = parseArgs(args, USER_VALUE_OPTIONS);
  const account = parsed.operands.at(-1);
  if (account === undefined || account.includes('$')) return [];
  const kind = isUser ? 'user' : 'group';
  const home = isUser && (parsed.flags.has('-m') || parsed.flags.has('--create-home'));
  const homeNote = home ? ' Its home is made in /home, a symlink to /var/home on bootc bases: created once, never updated.' : '';
  if ((isUser ? declared.users : declared.groups).has(account)) {
    return home ? [createFinding('sysusers', file, run.position, `RUN ${name} -m ${account}:${homeNote}`)] : [];
  }
  return [
    createFinding(
      'sysusers',
      file,
      run.position,
      `RUN ${name} creates the ${kind} ${account} in /etc/${isUser ? 'passwd' : 'group'}, and no sysusers.d file in the image declares it; bootc container lint warns (sysusers), and systems installed before keep their /etc without it.${homeNote}`,
    ),
  ];
}
