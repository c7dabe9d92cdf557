import { IMAGE_TYPE_NAMES, IMAGE_TYPES, type ImageType } from '../image-types';
import { BLUEPRINT_KEYS, CUSTOMIZATION_KEYS, METADATA_KEYS, type BlueprintFields, type Customizations } from './schema';
import { BLUEPRINT, IMAGE_BUILDER } from './sources';

/**
 * What bootc-image-builder accepts but does not apply, per image type: the types' `applied` lists
 * (image-types.ts) decide what is ignored, their `supported` lists whether the builder says so
 * ("blueprint validation failed for image type "qcow2": customizations.hostname: not supported",
 * osbuild/image-builder@a1f35083 pkg/distro/generic/bootc_imagetype.go:137-151 and
 * pkg/distro/validator.go:32-132; the legacy ISO types validate nothing).
 */
export const IGNORED_SOURCES = {
  validator: `${IMAGE_BUILDER}pkg/distro/validator.go:79-118 via pkg/distro/generic/bootc_imagetype.go:137-151`,
  sshkey: `${BLUEPRINT}users_groups_customizations.go:9-40 (GetUsers merges sshkey into the users)`,
  neverRead: `${IMAGE_BUILDER}pkg/distro/generic/bootc_imagetype.go:319-388, cmd/image-builder/bib_legacy.go:308-357 and pkg/customizations/kickstart/kickstart.go:57-89 read installer.unattended, sudo-nopasswd, kickstart and modules only`,
};

/** Sub-keys that no bootc image type reads, though some types apply the table they are in. */
const NEVER_READ: Record<string, string> = {
  'installer.bootloader': 'bootc installer ISOs never read it (it sets the boot menu timeout of package-based installers): remove it',
  'installer.payload': 'bootc installer ISOs never read it (it adds flatpaks to package-based installers): install flatpaks in the image instead',
};

const GENERIC = 'a customization of package-based images: set it up in the Containerfile instead';

/** Where to put a key that the chosen types ignore, when no other type applies it. */
const INSTEAD: Record<string, string> = {
  'kernel.name': 'the kernel comes from the container image: install another kernel in the Containerfile instead',
  sshd: 'configure sshd in the image instead, e.g. a drop-in rootfs/etc/ssh/sshd_config.d/50-<name>.conf',
  'ignition.embedded': 'bootc disk images take only ignition.firstboot: use ignition.firstboot.url, or bake the configuration into the image',
  'iso.application_id': 'bootc ISOs take only volume_id, and only anaconda-iso and iso apply it: remove it',
  'iso.publisher': 'bootc ISOs take only volume_id, and only anaconda-iso and iso apply it: remove it',
  hostname: 'write it to /etc/hostname in the Containerfile instead (e.g. rootfs/etc/hostname)',
  timezone: 'set it in the Containerfile instead (RUN ln -sf /usr/share/zoneinfo/<zone> /etc/localtime; NTP servers in /etc/chrony.conf)',
  locale: 'set it in the Containerfile instead (/etc/locale.conf and /etc/vconsole.conf)',
  firewall: 'configure firewalld in the Containerfile instead (RUN firewall-offline-cmd ...)',
  services: 'enable, disable or mask units in the Containerfile instead (RUN systemctl enable <unit>)',
  repositories: 'add .repo files to /etc/yum.repos.d in the Containerfile instead',
  cacerts: 'add the certificates in the Containerfile instead (COPY them to /etc/pki/ca-trust/source/anchors/, then RUN update-ca-trust)',
  firstboot: 'run first-boot scripts from a systemd unit in the image instead',
  rpm: 'import the keys in the Containerfile instead (RUN rpm --import ...)',
  packages: 'install packages in the Containerfile instead (RUN dnf -y install ...)',
  modules: 'install packages in the Containerfile instead (RUN dnf -y install ...)',
  enabled_modules: 'enable module streams in the Containerfile instead (RUN dnf -y module enable ...)',
  groups: 'install package groups in the Containerfile instead (RUN dnf -y group install ...)',
  containers: 'put the images in the Containerfile instead (e.g. logically bound images, or a Quadlet .container unit that pulls at boot)',
  distro: 'the container image decides the distribution: remove it',
  architecture: 'the container image decides the architecture: remove it',
};

const covers = (entries: readonly string[], path: string) => entries.some((entry) => entry === path || path.startsWith(`${entry}.`));

const honours = (type: ImageType, path: string) => covers(IMAGE_TYPES[type].applied, path) && !covers(Object.keys(NEVER_READ), path);

// Keys of which the type table lists single sub-keys (kernel.append): their sub-keys are judged one by one.
const SPLIT_KEYS = new Set(IMAGE_TYPE_NAMES.flatMap((type) => IMAGE_TYPES[type].applied.filter((e: string) => e.includes('.')).map((e: string) => e.split('.')[0])));

// As the builder's validator counts a key as set: any value but an empty list, or an empty plain
// string (of the customizations, only hostname is a pointer to a string, so "" counts there).
function isSet(key: string, value: unknown): boolean {
  if (value === undefined) return false;
  if (Array.isArray(value)) return value.length > 0;
  return value !== '' || key === 'hostname';
}

function setSubKeys(key: string, value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value)
    .filter(([sub, v]) => isSet(sub, v))
    .map(([sub]) => `${key}.${sub}`);
}

/**
 * The ignoring types, and what the builder tells the user about the key (`path` below
 * customizations, or a top-level key): its validator names the first unsupported key, descending
 * only into tables of which the type supports single sub-keys (kernel.append).
 */
function ignoredBy(path: string, topLevel: boolean, ignoring: readonly ImageType[]): string {
  const reported = (supported: readonly string[]) => {
    if (topLevel) return path;
    const [key] = path.split('.');
    return `customizations.${supported.some((entry) => entry.startsWith(`${key}.`)) ? path : key}`;
  };
  const warns = ignoring.filter((type) => {
    const supported = IMAGE_TYPES[type].supported;
    return supported !== null && (topLevel || !covers(supported, path));
  });
  const quiet = ignoring.filter((type) => !warns.includes(type));
  const said =
    warns.length === 0
      ? 'bootc-image-builder accepts it without a warning'
      : `bootc-image-builder warns "${reported(IMAGE_TYPES[warns[0]].supported ?? [])}: not supported"${quiet.length > 0 ? ` for ${list(warns)} and says nothing for ${list(quiet)}` : ''}`;
  return `is ignored by ${list(ignoring)} (${said})`;
}

function fixFor(path: string): string {
  const users = IMAGE_TYPE_NAMES.filter((type) => honours(type, path));
  if (NEVER_READ[path]) return NEVER_READ[path];
  if (INSTEAD[path] ?? INSTEAD[path.split('.')[0]]) return INSTEAD[path] ?? INSTEAD[path.split('.')[0]];
  if (users.length > 0) return `only ${list(users)} ${users.length === 1 ? 'uses' : 'use'} it: remove it, or build one of those types`;
  return GENERIC;
}

/**
 * One warning per customization that every one of `types` ignores, as key path (below
 * `customizations`) and message. A customization used by one of the types (filesystem sizes for
 * qcow2 when qcow2 and iso are built) is no mistake and gets no warning.
 */
export function ignoredCustomizations(customizations: Customizations, types: readonly ImageType[]): Array<{ path: string; message: string }> {
  const warnings: Array<{ path: string; message: string }> = [];
  for (const key of CUSTOMIZATION_KEYS) {
    const value = customizations[key];
    if (!isSet(key, value)) continue;
    if (key === 'sshkey') {
      warnings.push({ path: key, message: sshkeyMessage(types) });
      continue;
    }
    const paths = SPLIT_KEYS.has(key) ? setSubKeys(key, value) : [key];
    for (const path of paths) {
      const ignoring = types.filter((type) => !honours(type, path));
      if (ignoring.length === types.length) warnings.push({ path, message: `${ignoredBy(path, false, ignoring)}: ${fixFor(path)}` });
    }
    // Sub-keys no type reads, inside a table that one of the types applies.
    if (warnings.some((w) => w.path === key)) continue;
    for (const path of setSubKeys(key, value).filter((p) => NEVER_READ[p])) {
      warnings.push({ path, message: `${ignoredBy(path, false, types)}: ${fixFor(path)}` });
    }
  }
  return warnings;
}

/** One warning per top-level blueprint key the builder ignores for bootc images (all but name, description, version). */
export function ignoredBlueprintKeys(blueprint: BlueprintFields, types: readonly ImageType[]): Array<{ path: string; message: string }> {
  return BLUEPRINT_KEYS.filter((key) => !(METADATA_KEYS as readonly string[]).includes(key) && isSet(key, blueprint[key])).map((key) => ({
    path: key,
    message: `${ignoredBy(key, true, types)}: ${fixFor(key)}`,
  }));
}

// The builder merges sshkey into the users everywhere (GetUsers), but its validator calls it unsupported.
function sshkeyMessage(types: readonly ImageType[]): string {
  const warns = types.filter((type) => IMAGE_TYPES[type].supported !== null);
  const said = warns.length > 0 ? `; bootc-image-builder adds the keys, but warns "customizations.sshkey: not supported" for ${list(warns)}` : '';
  return `is the deprecated spelling of customizations.user[].key${said}: move each key to customizations.user (name and key)`;
}

function list(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
