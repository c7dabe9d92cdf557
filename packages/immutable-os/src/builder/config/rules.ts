import { IMAGE_TYPE_NAMES, IMAGE_TYPES, type ImageType } from '../image-types';
import { diskProblems, DISK_SOURCES } from './disk';
import { ignoredBlueprintKeys, ignoredCustomizations, IGNORED_SOURCES } from './ignored';
import { btrfsMountpointProblem, directoryPathProblem, filePathProblem, isAtOrBelow, mountpointProblem, pathShapeProblem } from './policies';
import { ANACONDA_USERS_MODULE, PERMIT_ROOT_LOGIN, type BlueprintFields, type Customizations } from './schema';
import { BLUEPRINT, IMAGE_BUILDER } from './sources';

/**
 * The checks bootc-image-builder runs on a decoded build config, one row each: the types whose
 * build path runs it, the severity the builder gives it (error: the run fails; warning: it builds
 * but ignores or warns) and the upstream source. What the decoder itself refuses is in schema.ts.
 */

export interface RuleInput {
  customizations: Customizations;
  blueprint: BlueprintFields;
  rootfs?: 'ext4' | 'xfs' | 'btrfs';
}

/** A problem at a key path below the document root, e.g. `customizations.iso.volume_id`. */
export interface RuleFinding {
  path: string;
  message: string;
}

export interface ConfigRule {
  id: string;
  severity: 'error' | 'warning';
  /** The types whose builder path runs the check. */
  types: readonly ImageType[];
  /** The builder source it mirrors, `repo@commit path:line`. */
  source: string;
  /** `types`: the chosen types among the rule's. */
  check(input: RuleInput, types: readonly ImageType[]): RuleFinding[];
}

const ALL = IMAGE_TYPE_NAMES;
// kickstart.New and GetInstaller run for the installer ISOs: bootc_imagetype.go:332,342 and bib_legacy.go:324,334.
const INSTALLERS = ALL.filter((type) => IMAGE_TYPES[type].kind === 'iso');
// genPartitionTable, the files/directories checks: the disk path (bootc_imagetype.go:271-296) and pxe-tar-xz (:726-751).
const PARTITIONED = ALL.filter((type) => IMAGE_TYPES[type].kind !== 'iso');
// GetIgnition: the disk path only (bootc_imagetype.go:298-306).
const DISKS = ALL.filter((type) => IMAGE_TYPES[type].kind === 'disk');
// GetISO: the legacy Anaconda ISOs (bib_legacy.go:313) and pxe-tar-xz (bootc_imagetype.go:762 -> generic/images.go:636); bootc-installer never calls it.
const GET_ISO = ALL.filter((type) => IMAGE_TYPES[type].legacy || IMAGE_TYPES[type].kind === 'pxe');

const VOLUME_ID = /^[A-Za-z0-9_-]+$/;

const at = (...parts: Array<string | number>) => parts.reduce<string>((text, part) => (typeof part === 'number' ? `${text}[${part}]` : text ? `${text}.${part}` : part), '');

export const CONFIG_RULES: readonly ConfigRule[] = [
  {
    id: 'ignored-blueprint-key',
    severity: 'warning',
    types: ALL,
    source: `${BLUEPRINT}blueprint.go:14-30; ${IGNORED_SOURCES.validator}; name, description, version always supported: ${IMAGE_BUILDER}pkg/distro/generic/bootc_imagetype.go:121-126`,
    check: ({ blueprint }, types) => ignoredBlueprintKeys(blueprint, types),
  },
  {
    id: 'ignored-customization',
    severity: 'warning',
    types: ALL,
    source: `image-types.ts applied/supported; ${IGNORED_SOURCES.validator}; ${IGNORED_SOURCES.sshkey}; ${IGNORED_SOURCES.neverRead}`,
    check: ({ customizations }, types) => ignoredCustomizations(customizations, types).map(({ path, message }) => ({ path: `customizations.${path}`, message })),
  },
  {
    id: 'sshd-permit-root-login',
    severity: 'warning',
    types: ALL,
    source: `${BLUEPRINT}sshd_customizations.go:6 (a plain string, never applied to a bootc image)`,
    check: ({ customizations: { sshd } }) =>
      sshd?.permit_root_login === undefined || sshd.permit_root_login === '' || (PERMIT_ROOT_LOGIN as readonly string[]).includes(sshd.permit_root_login)
        ? []
        : [{ path: 'customizations.sshd.permit_root_login', message: `is "${sshd.permit_root_login}", which sshd does not take: use ${PERMIT_ROOT_LOGIN.map((v) => `"${v}"`).join(', ')} (bootc-image-builder accepts any string here)` }],
  },
  {
    id: 'group-duplicates',
    severity: 'error',
    types: ALL,
    source: `${BLUEPRINT}users_groups_customizations.go:44-81 (GetGroups), called by bootc_imagetype.go:227,700 and kickstart.go:65`,
    check: ({ customizations: { group = [] } }) => {
      const findings: RuleFinding[] = [];
      const names = new Map<string, number>();
      const gids = new Map<number, number>();
      group.forEach(({ name, gid }, i) => {
        if (names.has(name)) findings.push({ path: at('customizations', 'group', i, 'name'), message: `"${name}" is already defined by customizations.group[${names.get(name)}]: group names must be unique` });
        else names.set(name, i);
        if (gid === undefined) return;
        if (gids.has(gid)) findings.push({ path: at('customizations', 'group', i, 'gid'), message: `${gid} is already the GID of customizations.group[${gids.get(gid)}]: group IDs must be unique` });
        else gids.set(gid, i);
      });
      return findings;
    },
  },
  {
    id: 'kickstart-exclusive',
    severity: 'error',
    types: INSTALLERS,
    // A kickstart table counts even with empty contents (kickstart.go:80-82 sets UserFile whenever it is present).
    source: `${IMAGE_BUILDER}pkg/customizations/kickstart/kickstart.go:57-108; ${BLUEPRINT}customizations.go:402-411`,
    check: ({ customizations: c }) => {
      const installer = c.installer;
      if (!installer?.kickstart) return [];
      const findings: RuleFinding[] = [];
      const kickstartPath = installer.kickstart.contents === undefined ? 'customizations.installer.kickstart' : 'customizations.installer.kickstart.contents';
      const why = 'is not supported together with customizations.installer.kickstart (even with empty contents): put the equivalent in the kickstart contents instead';
      if (installer.unattended) findings.push({ path: 'customizations.installer.unattended', message: why });
      if (installer['sudo-nopasswd']?.length) findings.push({ path: 'customizations.installer.sudo-nopasswd', message: why });
      const users = [['user', c.user], ['sshkey', c.sshkey], ['group', c.group]].filter(([, v]) => (v as unknown[] | undefined)?.length).map(([k]) => `customizations.${k}`);
      if (users.length > 0) {
        findings.push({
          path: kickstartPath,
          message: `cannot be combined with customizations.user or customizations.group (set: ${users.join(', ')}): with a custom kickstart, create users in the kickstart (user --name=...) or remove the kickstart`,
        });
      }
      return findings;
    },
  },
  {
    id: 'anaconda-users-module',
    severity: 'error',
    types: INSTALLERS,
    source: `${BLUEPRINT}customizations.go:413-419 (GetInstaller)`,
    check: ({ customizations: c }) =>
      (c.user?.length ?? 0) + (c.group?.length ?? 0) > 0 && c.installer?.modules?.disable?.includes(ANACONDA_USERS_MODULE)
        ? [{ path: 'customizations.installer.modules.disable', message: `cannot disable ${ANACONDA_USERS_MODULE} while customizations.user or customizations.group is set: the installer needs it to create them` }]
        : [],
  },
  {
    id: 'kickstart-root-user',
    severity: 'error',
    types: INSTALLERS,
    source: `${IMAGE_BUILDER}pkg/customizations/kickstart/kickstart.go:110-142`,
    check: ({ customizations: { user = [] } }) =>
      user.flatMap((u, i) =>
        u.name !== 'root'
          ? []
          : (['expiredate', 'force_password_reset', 'gid', 'groups', 'home', 'shell', 'uid'] as const)
              .filter((field) => u[field] !== undefined)
              .map((field) => ({ path: at('customizations', 'user', i, field), message: 'cannot be set for the user "root" in an installer kickstart (only its password and key can): remove it' })),
      ),
  },
  {
    id: 'iso-volume-id',
    severity: 'error',
    types: GET_ISO,
    source: `${BLUEPRINT}iso_customizations.go:15-20, customizations.go:424-434 (GetISO checks volume_id even when empty)`,
    check: ({ customizations: { iso } }) => {
      if (!iso) return [];
      const volumeId = iso.volume_id ?? '';
      if (VOLUME_ID.test(volumeId)) return [];
      return [
        {
          path: 'customizations.iso.volume_id',
          message:
            volumeId === ''
              ? 'is required when customizations.iso is set: bootc-image-builder checks it even when it is missing ("invalid volume id """); set volume_id = "MY_LABEL" or remove customizations.iso'
              : `must use only letters, digits, "_" and "-", got ${JSON.stringify(volumeId)}`,
        },
      ];
    },
  },
  {
    id: 'filesystem-with-disk',
    severity: 'error',
    types: PARTITIONED,
    source: `${IMAGE_BUILDER}pkg/distro/generic/bootc_imagetype.go:880-882`,
    check: ({ customizations: c }) =>
      c.filesystem?.length && c.disk
        ? [{ path: 'customizations.disk', message: 'cannot be combined with customizations.filesystem: size filesystems with one or the other (customizations.disk.partitions can hold every mountpoint)' }]
        : [],
  },
  {
    id: 'filesystem-mountpoints',
    severity: 'error',
    types: PARTITIONED,
    // btrfs roots get the minimal policy (/ and /boot only), as the builder cannot create subvolumes yet.
    source: `${IMAGE_BUILDER}pkg/distro/generic/bootc_imagetype.go:797-833,941-953,964-980,1020-1035`,
    check: ({ customizations: { filesystem = [] }, rootfs }) =>
      filesystem.flatMap(({ mountpoint }, i) => {
        const message = rootfs === 'btrfs' ? (pathShapeProblem(mountpoint, '/var/data') ?? btrfsMountpointProblem(mountpoint)) : mountpointProblem(mountpoint);
        return message ? [{ path: at('customizations', 'filesystem', i, 'mountpoint'), message }] : [];
      }),
  },
  {
    id: 'filesystem-duplicates',
    severity: 'warning',
    types: PARTITIONED,
    // The builder has no such check; disk.NewPartitionTable applies the entries one after the other.
    source: `none upstream: ${IMAGE_BUILDER}pkg/disk/partition_table.go:149-221 applies each entry in turn`,
    check: ({ customizations: { filesystem = [] } }) => {
      const seen = new Map<string, number>();
      return filesystem.flatMap(({ mountpoint }, i) => {
        if (!seen.has(mountpoint)) {
          seen.set(mountpoint, i);
          return [];
        }
        return [{ path: at('customizations', 'filesystem', i, 'mountpoint'), message: `"${mountpoint}" is already sized by customizations.filesystem[${seen.get(mountpoint)}]: bootc-image-builder does not refuse it, but list each mountpoint once` }];
      });
    },
  },
  {
    id: 'disk-layout',
    severity: 'error',
    types: PARTITIONED,
    source: `${DISK_SOURCES.validate}; ${DISK_SOURCES.layout}, called by ${IMAGE_BUILDER}pkg/distro/generic/bootc_imagetype.go:848,911`,
    check: ({ customizations: { disk } }) => (disk ? diskProblems(disk).map(({ path, message }) => ({ path: at('customizations', 'disk', ...path), message })) : []),
  },
  {
    id: 'files-policy',
    severity: 'error',
    types: PARTITIONED,
    source: `${IMAGE_BUILDER}pkg/distro/generic/bootc_imagetype.go:286-288,741-743; pkg/policies/policies.go:106-117`,
    check: ({ customizations: { files = [] } }) =>
      files.flatMap(({ path }, i) => {
        const message = filePathProblem(path);
        return message ? [{ path: at('customizations', 'files', i, 'path'), message }] : [];
      }),
  },
  {
    id: 'directories-policy',
    severity: 'error',
    types: PARTITIONED,
    source: `${IMAGE_BUILDER}pkg/distro/generic/bootc_imagetype.go:283-285,738-740; pkg/policies/policies.go:100-104`,
    check: ({ customizations: { directories = [] } }) =>
      directories.flatMap(({ path }, i) => {
        const message = directoryPathProblem(path);
        return message ? [{ path: at('customizations', 'directories', i, 'path'), message }] : [];
      }),
  },
  {
    id: 'files-directories-conflicts',
    severity: 'error',
    types: PARTITIONED,
    source: `${BLUEPRINT}fsnode_customizations.go:367-467 (ValidateDirFileCustomizations), called by bootc_imagetype.go:280,735`,
    check: ({ customizations: { files = [], directories = [] } }) => fileConflicts(files, directories),
  },
  {
    id: 'ignition-firstboot',
    severity: 'error',
    types: DISKS,
    source: `${BLUEPRINT}customizations.go:339-349 (GetIgnition), called by bootc_imagetype.go:298`,
    check: ({ customizations: { ignition } }) =>
      ignition?.firstboot?.url && ignition.firstboot.empty ? [{ path: 'customizations.ignition.firstboot', message: 'cannot set both url and empty = true: choose one' }] : [],
  },
];

// Two entries for one path, or a file that another entry would need as a folder.
function fileConflicts(files: Array<{ path: string }>, directories: Array<{ path: string }>): RuleFinding[] {
  const entries = [
    ...directories.map((d, i) => ({ path: d.path, at: ['directories', i] as const, file: false })),
    ...files.map((f, i) => ({ path: f.path, at: ['files', i] as const, file: true })),
  ];
  const conflicts: RuleFinding[] = [];
  entries.forEach((entry, i) => {
    const path = at('customizations', ...entry.at, 'path');
    const earlier = entries.slice(0, i).find((other) => other.path === entry.path);
    if (earlier) {
      conflicts.push({ path, message: `"${entry.path}" is also created by customizations.${earlier.at[0]}[${earlier.at[1]}]: list each path once` });
      return;
    }
    const parent = entries.find((other) => other.file && other.path !== entry.path && isAtOrBelow(entry.path, other.path));
    if (parent) conflicts.push({ path, message: `"${entry.path}" is inside "${parent.path}", which customizations.files creates as a file` });
  });
  return conflicts;
}
