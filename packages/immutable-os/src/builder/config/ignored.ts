import { IMAGE_TYPE_NAMES, IMAGE_TYPES, type ImageType } from '../image-types';
import { CUSTOMIZATION_KEYS, type Customizations } from './schema';

/** Where to put a customization that no bootc image type applies. */
const INSTEAD: Record<string, string> = {
  'kernel.name': 'the kernel comes from the container image: install another kernel in the Containerfile instead',
  sshd: 'configure sshd in the image instead, e.g. a drop-in rootfs/etc/ssh/sshd_config.d/50-<name>.conf',
  ignition: 'bake the configuration into the image instead, or provision at first boot with cloud-init or a systemd unit',
};

const honours = (type: ImageType, path: string) =>
  IMAGE_TYPES[type].applied.some((entry: string) => entry === path || path.startsWith(`${entry}.`));

// Keys of which the type table lists single sub-keys (kernel.append): their sub-keys are judged one by one.
const SPLIT_KEYS = new Set(IMAGE_TYPE_NAMES.flatMap((type) => IMAGE_TYPES[type].applied.filter((e: string) => e.includes('.')).map((e: string) => e.split('.')[0])));

function presentPaths(customizations: Customizations): string[] {
  return CUSTOMIZATION_KEYS.flatMap((key) => {
    const value = customizations[key];
    if (value === undefined) return [];
    if (SPLIT_KEYS.has(key) && typeof value === 'object' && value !== null) {
      return Object.keys(value).filter((sub) => (value as Record<string, unknown>)[sub] !== undefined).map((sub) => `${key}.${sub}`);
    }
    return [key];
  });
}

/**
 * One warning per customization that every one of `types` ignores, as key path (below
 * `customizations`) and message. A customization used by one of the types (filesystem sizes for
 * qcow2 when qcow2 and iso are built) is no mistake and gets no warning.
 */
export function ignoredCustomizations(customizations: Customizations, types: readonly ImageType[]): Array<{ path: string; message: string }> {
  return presentPaths(customizations).flatMap((path) => {
    const ignoring = types.filter((type) => !honours(type, path));
    if (ignoring.length < types.length) return [];
    const users = IMAGE_TYPE_NAMES.filter((type) => honours(type, path));
    const fix =
      INSTEAD[path] ??
      (users.length > 0
        ? `only ${list(users)} ${users.length === 1 ? 'uses' : 'use'} it: remove it, or build one of those types`
        : 'no bootc-image-builder image type applies it to a bootc image: remove it');
    return [{ path, message: `is ignored by ${list(ignoring)}: ${fix}` }];
  });
}

function list(items: readonly string[]): string {
  return items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
