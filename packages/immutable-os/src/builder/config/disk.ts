import { z } from 'zod';
import { dataSize, integer, strict } from './fields';
import { pathShapeProblem } from './policies';
import { BLUEPRINT } from './sources';

/**
 * `[customizations.disk]`: the partition table bootc-image-builder creates instead of its default
 * one. Two stages, as in osbuild/blueprint pkg/blueprint/disk_customizations.go:
 * - `diskSchema`: what the decoder accepts (every type, every run). The disk's own keys and logical
 *   volumes are read leniently (unknown keys ignored), each partition type strictly (:193-321);
 * - `diskProblems`: Validate (:400-454) and ValidateLayoutConstraints (:480-507), which the builder
 *   runs only where it partitions a disk (disk types and pxe-tar-xz, see rules.ts).
 */

export const PARTITION_TYPES = ['plain', 'lvm', 'btrfs'] as const;
const TABLE_TYPES = ['gpt', 'dos'] as const;
// validPlainFSTypes (:540-544), plus what validatePlain (:631-664) and validateLVM (:688) allow besides.
const PLAIN_FS_TYPES = ['ext4', 'xfs', 'vfat', 'swap', 'none'] as const;
const LV_FS_TYPES = ['ext4', 'xfs', 'vfat', 'swap'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOS_ID = /^[0-9a-f]{2}$/i;

export const DISK_SOURCES = {
  decode: `${BLUEPRINT}disk_customizations.go:39-55,144-321`,
  validate: `${BLUEPRINT}disk_customizations.go:400-750 (Validate, via Customizations.GetPartitioning customizations.go:307-316)`,
  layout: `${BLUEPRINT}disk_customizations.go:480-507 (ValidateLayoutConstraints)`,
};

const partitionBase = {
  minsize: dataSize(),
  part_type: z.string().optional(),
  part_label: z.string().optional(),
  part_uuid: z.string().optional(),
};

// decodePlain / decodeLVM / decodeBtrfs: DisallowUnknownFields, per type (:249-321).
const plainPartition = strict({
  type: z.literal('plain'),
  ...partitionBase,
  mountpoint: z.string().optional(),
  label: z.string().optional(),
  fs_type: z.string().optional(),
});

// LVCustomization.UnmarshalJSON is a plain json.Unmarshal: unknown keys are ignored (:144-167).
const logicalVolume = strict({
  name: z.string().optional(),
  minsize: dataSize(),
  mountpoint: z.string().optional(),
  label: z.string().optional(),
  fs_type: z.string().optional(),
});

const lvmPartition = strict({
  type: z.literal('lvm'),
  ...partitionBase,
  name: z.string().optional(),
  logical_volumes: z.array(logicalVolume).optional(),
});

// Subvolumes have no unmarshaler of their own, so decodeBtrfs's DisallowUnknownFields covers them.
const btrfsPartition = strict({
  type: z.literal('btrfs'),
  ...partitionBase,
  subvolumes: z.array(strict({ name: z.string().optional(), mountpoint: z.string().optional() })).optional(),
});

// A partition without `type` (or with "") is a plain one (:206-209).
const partition = z.preprocess(
  (value) => (value && typeof value === 'object' && !Array.isArray(value) && !(value as { type?: unknown }).type ? { ...value, type: 'plain' } : value),
  z.discriminatedUnion('type', [plainPartition, lvmPartition, btrfsPartition], {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `must be ${PARTITION_TYPES.map((t) => `"${t}"`).join(', ')} (default "plain"), got ${JSON.stringify((issue.input as { type?: unknown })?.type)}`
        : undefined,
  }),
);

type Partition = z.output<typeof partition>;
type Issue = { path: Array<string | number>; message: string };

// DiskCustomization.UnmarshalJSON decodes with a plain json.Unmarshal: its own unknown keys are ignored (:39-55).
export const diskSchema = strict({
  type: z.string().optional(),
  minsize: dataSize().optional(),
  start_offset: dataSize().optional(),
  sector_size: integer().min(0, { error: (issue) => `must be a positive integer such as 512 or 4096, got ${String(issue.input)}` }).optional(),
  partitions: z.array(partition).optional(),
});

export type DiskCustomization = z.output<typeof diskSchema>;

/** What Validate and ValidateLayoutConstraints refuse, with paths below `customizations.disk`. */
export function diskProblems(disk: DiskCustomization): Issue[] {
  const issues: Issue[] = [];
  const partitions = disk.partitions ?? [];
  const table = disk.type === 'gpt' || disk.type === 'dos' ? disk.type : undefined;
  if (disk.type !== undefined && disk.type !== '' && !table) {
    issues.push({ path: ['type'], message: `must be ${TABLE_TYPES.map((t) => `"${t}"`).join(' or ')}, got ${JSON.stringify(disk.type)}` });
  }
  if (table === 'dos' && partitions.length > 4) {
    issues.push({ path: ['partitions'], message: `has ${partitions.length} partitions but a "dos" partition table holds at most 4: use type = "gpt" or fewer partitions` });
  }
  if (disk.sector_size && (disk.sector_size & (disk.sector_size - 1)) !== 0) {
    issues.push({ path: ['sector_size'], message: `must be a power of 2 such as 512 or 4096, got ${disk.sector_size}` });
  }
  const mountpoints = new Set<string>();
  const mount = (path: Array<string | number>, mountpoint: string | undefined, what: string) => {
    const problem = !mountpoint ? `is required for ${what}` : pathShapeProblem(mountpoint, '/var/data');
    if (problem) issues.push({ path, message: problem });
    else if (mountpoints.has(mountpoint!)) issues.push({ path, message: `"${mountpoint}" is mounted twice: every mountpoint may appear once in customizations.disk` });
    else mountpoints.add(mountpoint!);
  };
  const fsType = (path: Array<string | number>, value: string | undefined, allowed: readonly string[]) => {
    if (allowed.includes(value ?? '')) return true;
    const choices = allowed.map((t) => `"${t}"`).join(', ');
    issues.push({ path, message: value === undefined ? `is required: one of ${choices}` : `must be one of ${choices}, got ${JSON.stringify(value)}` });
    return false;
  };
  const vgNames = new Set<string>();
  partitions.forEach((part, i) => {
    const at = (...rest: Array<string | number>) => ['partitions', i, ...rest];
    issues.push(...partitionIdIssues(part, table).map((issue) => ({ ...issue, path: at(...issue.path) })));
    if (part.type === 'plain') {
      if (part.fs_type === 'swap' || part.fs_type === 'none') {
        if (part.mountpoint) issues.push({ path: at('mountpoint'), message: `must be empty for fs_type "${part.fs_type}", got "${part.mountpoint}"` });
        return;
      }
      mount(at('mountpoint'), part.mountpoint, part.fs_type ? `a partition with fs_type "${part.fs_type}"` : 'a plain partition');
      if (!fsType(at('fs_type'), part.fs_type, PLAIN_FS_TYPES)) return;
      if (part.mountpoint === '/boot' && part.fs_type !== 'xfs' && part.fs_type !== 'ext4') {
        issues.push({ path: at('fs_type'), message: `must be "xfs" or "ext4" for /boot, got "${part.fs_type}"` });
      }
      if (part.mountpoint === '/boot/efi' && part.fs_type !== 'vfat') {
        issues.push({ path: at('fs_type'), message: `must be "vfat" for /boot/efi, got "${part.fs_type}"` });
      }
    } else if (part.type === 'lvm') {
      if (part.name && vgNames.has(part.name)) issues.push({ path: at('name'), message: `"${part.name}" names two LVM volume groups: volume group names must be unique` });
      if (part.name) vgNames.add(part.name);
      const lvNames = new Set<string>();
      (part.logical_volumes ?? []).forEach((lv, j) => {
        if (lv.name && lvNames.has(lv.name)) issues.push({ path: at('logical_volumes', j, 'name'), message: `"${lv.name}" names two logical volumes of one volume group: names must be unique` });
        if (lv.name) lvNames.add(lv.name);
        if (lv.fs_type === 'swap') {
          if (lv.mountpoint) issues.push({ path: at('logical_volumes', j, 'mountpoint'), message: `must be empty for fs_type "swap", got "${lv.mountpoint}"` });
          return;
        }
        if (lv.mountpoint === '/boot' || lv.mountpoint === '/boot/efi') {
          issues.push({ path: at('logical_volumes', j, 'mountpoint'), message: `"${lv.mountpoint}" cannot be on LVM: put it on a plain partition` });
          return;
        }
        mount(at('logical_volumes', j, 'mountpoint'), lv.mountpoint, 'a logical volume');
        fsType(at('logical_volumes', j, 'fs_type'), lv.fs_type, LV_FS_TYPES);
      });
    } else {
      if (!part.subvolumes?.length) {
        issues.push({ path: at('subvolumes'), message: 'must list at least 1 subvolume: a btrfs volume needs subvolumes (name and mountpoint)' });
        return;
      }
      const names = new Set<string>();
      part.subvolumes.forEach((subvolume, j) => {
        if (!subvolume.name) {
          issues.push({ path: at('subvolumes', j, 'name'), message: 'is required: every btrfs subvolume needs a name' });
          return;
        }
        if (names.has(subvolume.name)) issues.push({ path: at('subvolumes', j, 'name'), message: `"${subvolume.name}" names two subvolumes of one btrfs volume: names must be unique` });
        names.add(subvolume.name);
        if (subvolume.mountpoint === '/boot/efi') {
          issues.push({ path: at('subvolumes', j, 'mountpoint'), message: '"/boot/efi" cannot be a btrfs subvolume: put it on a plain vfat partition' });
          return;
        }
        mount(at('subvolumes', j, 'mountpoint'), subvolume.mountpoint, 'a subvolume');
      });
    }
  });
  issues.push(...layoutIssues(partitions));
  return issues;
}

// part_type, part_uuid and part_label depend on the partition table type (:558-629).
function partitionIdIssues(part: Partition, table: 'gpt' | 'dos' | undefined): Issue[] {
  const issues: Issue[] = [];
  const { part_type: partType, part_uuid: partUuid, part_label: partLabel } = part;
  if (partType) {
    const ok = table === 'gpt' ? UUID.test(partType) : table === 'dos' ? DOS_ID.test(partType) : UUID.test(partType) || DOS_ID.test(partType);
    const expected = table === 'gpt' ? 'a GUID' : table === 'dos' ? 'a 2-digit hex id such as "83"' : 'a GUID (gpt) or a 2-digit hex id (dos)';
    if (!ok) issues.push({ path: ['part_type'], message: `must be ${expected}, got "${partType}"` });
  }
  if (partUuid) {
    if (table === 'dos') issues.push({ path: ['part_uuid'], message: 'is not supported by a "dos" partition table: remove it or use type = "gpt"' });
    else if (!UUID.test(partUuid)) issues.push({ path: ['part_uuid'], message: `must be a UUID, got "${partUuid}"` });
  }
  if (partLabel) {
    if (table === 'dos') issues.push({ path: ['part_label'], message: 'is not supported by a "dos" partition table: remove it or use type = "gpt"' });
    // GPT partition names hold 36 UTF-16 code units, which is what a JavaScript string's length counts.
    else if (partLabel.length > 36) issues.push({ path: ['part_label'], message: `is ${partLabel.length} characters long; a GPT partition label holds at most 36` });
  }
  return issues;
}

function layoutIssues(partitions: Partition[]): Issue[] {
  const lvm = partitions.filter((p) => p.type === 'lvm').length;
  const btrfs = partitions.filter((p) => p.type === 'btrfs').length;
  if (lvm > 0 && btrfs > 0) return [{ path: ['partitions'], message: 'mixes lvm and btrfs partitions: bootc-image-builder supports one or the other' }];
  if (lvm > 1) return [{ path: ['partitions'], message: `has ${lvm} lvm partitions: bootc-image-builder supports one volume group (put all logical volumes in it)` }];
  if (btrfs > 1) return [{ path: ['partitions'], message: `has ${btrfs} btrfs partitions: bootc-image-builder supports one btrfs volume (put all subvolumes in it)` }];
  return [];
}
