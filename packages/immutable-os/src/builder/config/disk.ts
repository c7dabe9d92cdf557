import { z } from 'zod';
import { dataSize, integer, strict } from './fields';
import { pathShapeProblem } from './policies';

/**
 * `[customizations.disk]`: the partition table bootc-image-builder creates instead of its default
 * one, checked as osbuild/blueprint pkg/blueprint/disk_customizations.go does (Validate and
 * ValidateLayoutConstraints).
 */

export const PARTITION_TYPES = ['plain', 'lvm', 'btrfs'] as const;
const PLAIN_FS_TYPES = ['ext4', 'xfs', 'vfat', 'swap', 'none'] as const;
const LV_FS_TYPES = ['ext4', 'xfs', 'vfat', 'swap'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOS_ID = /^[0-9a-f]{2}$/i;

const partitionBase = {
  minsize: dataSize(),
  part_type: z.string().optional(),
  part_label: z.string().optional(),
  part_uuid: z.string().optional(),
};

const plainPartition = strict({
  type: z.literal('plain'),
  ...partitionBase,
  mountpoint: z.string().optional(),
  label: z.string().optional(),
  fs_type: z.enum(PLAIN_FS_TYPES),
});

const logicalVolume = strict({
  name: z.string().optional(),
  minsize: dataSize(),
  mountpoint: z.string().optional(),
  label: z.string().optional(),
  fs_type: z.enum(LV_FS_TYPES),
});

const lvmPartition = strict({
  type: z.literal('lvm'),
  ...partitionBase,
  name: z.string().optional(),
  logical_volumes: z.array(logicalVolume).min(1),
});

const btrfsPartition = strict({
  type: z.literal('btrfs'),
  ...partitionBase,
  subvolumes: z.array(strict({ name: z.string().min(1), mountpoint: z.string() })).min(1),
});

// A partition without `type` is a plain one.
const partition = z.preprocess(
  (value) => (value && typeof value === 'object' && !Array.isArray(value) && !('type' in value) ? { ...value, type: 'plain' } : value),
  z.discriminatedUnion('type', [plainPartition, lvmPartition, btrfsPartition], {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `must be ${PARTITION_TYPES.map((t) => `"${t}"`).join(', ')} (default "plain"), got ${JSON.stringify((issue.input as { type?: unknown })?.type)}`
        : undefined,
  }),
);

type Partition = z.output<typeof partition>;
type Issue = { path: Array<string | number>; message: string };

export const diskSchema = strict({
  type: z.enum(['gpt', 'dos']).optional(),
  minsize: dataSize().optional(),
  start_offset: dataSize().optional(),
  sector_size: integer()
    .refine((n) => n > 0 && (n & (n - 1)) === 0, { error: (issue) => `must be a power of 2 such as 512 or 4096, got ${issue.input}` })
    .optional(),
  partitions: z.array(partition).optional(),
}).superRefine((disk, ctx) => {
  for (const issue of diskIssues(disk.type, disk.partitions ?? [])) ctx.addIssue({ code: 'custom', ...issue });
});

function diskIssues(table: 'gpt' | 'dos' | undefined, partitions: Partition[]): Issue[] {
  const issues: Issue[] = [];
  if (table === 'dos' && partitions.length > 4) {
    issues.push({ path: ['partitions'], message: `has ${partitions.length} partitions but a "dos" partition table holds at most 4: use type = "gpt" or fewer partitions` });
  }
  const mountpoints = new Set<string>();
  const mount = (path: Array<string | number>, mountpoint: string | undefined, what: string) => {
    const problem = mountpoint === undefined ? `is required for ${what}` : pathShapeProblem(mountpoint, '/var/data');
    if (problem) issues.push({ path, message: problem });
    else if (mountpoints.has(mountpoint!)) issues.push({ path, message: `"${mountpoint}" is mounted twice: every mountpoint may appear once in customizations.disk` });
    else mountpoints.add(mountpoint!);
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
      mount(at('mountpoint'), part.mountpoint, `a partition with fs_type "${part.fs_type}"`);
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
      part.logical_volumes.forEach((lv, j) => {
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
      });
    } else {
      const names = new Set<string>();
      part.subvolumes.forEach((subvolume, j) => {
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

// part_type, part_uuid and part_label depend on the partition table type.
function partitionIdIssues(part: Partition, table: 'gpt' | 'dos' | undefined): Issue[] {
  const issues: Issue[] = [];
  const { part_type: partType, part_uuid: partUuid, part_label: partLabel } = part;
  if (partType !== undefined) {
    const ok = table === 'gpt' ? UUID.test(partType) : table === 'dos' ? DOS_ID.test(partType) : UUID.test(partType) || DOS_ID.test(partType);
    const expected = table === 'gpt' ? 'a GUID' : table === 'dos' ? 'a 2-digit hex id such as "83"' : 'a GUID (gpt) or a 2-digit hex id (dos)';
    if (!ok) issues.push({ path: ['part_type'], message: `must be ${expected}, got "${partType}"` });
  }
  if (partUuid !== undefined) {
    if (table === 'dos') issues.push({ path: ['part_uuid'], message: 'is not supported by a "dos" partition table: remove it or use type = "gpt"' });
    else if (!UUID.test(partUuid)) issues.push({ path: ['part_uuid'], message: `must be a UUID, got "${partUuid}"` });
  }
  if (partLabel !== undefined) {
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
