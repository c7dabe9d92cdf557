import { z } from 'zod';
import { show } from './describe';
import { diskSchema } from './disk';
import { dataSize, fileMode, groupName, integer, numericId, owner, strict, userName } from './fields';
import { directoryPathProblem, filePathProblem, isAtOrBelow, mountpointProblem } from './policies';

/**
 * The bootc-image-builder build config (config.toml / config.json): the blueprint customizations
 * the builder applies to a bootc image. Every table refuses unknown keys, as the builder's TOML
 * and JSON decoders do. Sources: osbuild/bootc-image-builder bib/internal/buildconfig and
 * osbuild/blueprint pkg/blueprint.
 */

/** Refines a path string with a policy function that returns why it is refused. */
function policyPath(problem: (path: string) => string | undefined) {
  return z.string().superRefine((path, ctx) => {
    const message = problem(path);
    if (message) ctx.addIssue({ code: 'custom', message });
  });
}

const user = strict({
  name: userName,
  description: z.string().optional(),
  // Never echoes the value: it may be a password.
  password: z.string({ error: 'must be a string: a crypt(3) hash such as "$6$..." or the plain password' }).optional(),
  key: z.string().optional(),
  home: z.string().optional(),
  shell: z.string().optional(),
  groups: z.array(z.string()).optional(),
  uid: numericId.optional(),
  gid: numericId.optional(),
  expiredate: integer().optional(),
  force_password_reset: z.boolean().optional(),
});

const group = strict({ name: groupName, gid: numericId.optional() });

const kernel = strict({ name: z.string().optional(), append: z.string().optional() });

const filesystem = strict({ mountpoint: policyPath(mountpointProblem), minsize: dataSize({ positive: true }) });

const file = strict({
  path: policyPath(filePathProblem),
  data: z.string().optional(),
  mode: fileMode.optional(),
  user: owner('user').optional(),
  group: owner('group').optional(),
  ensure_parents: z.boolean().optional(),
});

const directory = strict({
  path: policyPath(directoryPathProblem),
  mode: fileMode.optional(),
  user: owner('user').optional(),
  group: owner('group').optional(),
  ensure_parents: z.boolean().optional(),
});

const sshd = strict({
  password_authentication: z.boolean().optional(),
  challenge_response_authentication: z.boolean().optional(),
  kbd_interactive_authentication: z.boolean().optional(),
  client_alive_interval: numericId.optional(),
  permit_root_login: z.union([z.boolean(), z.enum(['prohibit-password', 'forced-commands-only'])], {
    error: (issue) => `must be true, false, "prohibit-password" or "forced-commands-only", got ${show(issue.input)}`,
  }).optional(),
});

const ignition = strict({
  embedded: strict({ config: z.string().min(1) }).optional(),
  firstboot: strict({ url: z.string().min(1).optional(), empty: z.boolean().optional() })
    .refine((firstboot) => !(firstboot.url && firstboot.empty), { error: 'cannot set both url and empty = true: choose one' })
    .optional(),
});

const installer = strict({
  unattended: z.boolean().optional(),
  'sudo-nopasswd': z.array(z.string()).optional(),
  kickstart: strict({ contents: z.string() }).optional(),
  modules: strict({ enable: z.array(z.string()).optional(), disable: z.array(z.string()).optional() }).optional(),
  'menu-timeout': integer().optional(),
});

const iso = strict({
  volume_id: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, { error: (issue) => `must use only letters, digits, "_" and "-", got ${show(issue.input)}` })
    .optional(),
  application_id: z.string().optional(),
  publisher: z.string().optional(),
});

// blueprint v1.32 (the current builder's): bootloader.grub2, applied to disks (image-builder
// bootc_imagetype.go:255-267). Read from image-builder's use of it; the struct tags were not available.
const bootloader = strict({
  grub2: strict({ terminal_input: z.array(z.string()).optional(), terminal_output: z.array(z.string()).optional(), serial: z.string().optional() }).optional(),
});

/** Every customization bootc-image-builder reads for a bootc image. */
export const CUSTOMIZATIONS = {
  user: z.array(user),
  group: z.array(group),
  kernel,
  filesystem: z.array(filesystem),
  disk: diskSchema,
  files: z.array(file),
  directories: z.array(directory),
  sshd,
  ignition,
  installer,
  iso,
  fips: z.boolean(),
  bootloader,
};

export type CustomizationKey = keyof typeof CUSTOMIZATIONS;

export const CUSTOMIZATION_KEYS = Object.keys(CUSTOMIZATIONS) as CustomizationKey[];

/** The Anaconda module without which the installer cannot create users and groups. */
export const ANACONDA_USERS_MODULE = 'org.fedoraproject.Anaconda.Modules.Users';

type Optional<T extends Record<string, z.ZodType>> = { [K in keyof T]: z.ZodOptional<T[K]> };
const optionalShape = Object.fromEntries(Object.entries(CUSTOMIZATIONS).map(([key, schema]) => [key, schema.optional()])) as Optional<
  typeof CUSTOMIZATIONS
>;

export const customizationsSchema = strict(optionalShape).superRefine((c, ctx) => {
  const issue = (path: Array<string | number>, message: string) => ctx.addIssue({ code: 'custom', path, message });
  if (c.filesystem?.length && c.disk) {
    issue(['disk'], 'cannot be combined with customizations.filesystem: size filesystems with one or the other (customizations.disk.partitions can hold every mountpoint)');
  }
  const seen = new Map<string, number>();
  c.filesystem?.forEach(({ mountpoint }, i) => {
    if (seen.has(mountpoint)) issue(['filesystem', i, 'mountpoint'], `"${mountpoint}" is already sized by customizations.filesystem[${seen.get(mountpoint)}]: list each mountpoint once`);
    else seen.set(mountpoint, i);
  });
  const usersOrGroups = (c.user?.length ?? 0) + (c.group?.length ?? 0) > 0;
  if (c.installer?.kickstart?.contents) {
    const why = 'is not supported together with custom kickstart contents: put it in customizations.installer.kickstart.contents instead';
    if (c.installer.unattended) issue(['installer', 'unattended'], why);
    if (c.installer['sudo-nopasswd']?.length) issue(['installer', 'sudo-nopasswd'], why);
    if (usersOrGroups) {
      issue(
        ['installer', 'kickstart', 'contents'],
        'cannot be combined with customizations.user or customizations.group: with custom kickstart contents, create users in the kickstart (user --name=...) or remove the contents',
      );
    }
  }
  if (usersOrGroups && c.installer?.modules?.disable?.includes(ANACONDA_USERS_MODULE)) {
    issue(['installer', 'modules', 'disable'], `cannot disable ${ANACONDA_USERS_MODULE} while customizations.user or customizations.group is set: the installer needs it to create them`);
  }
  for (const conflict of fileConflicts(c.files ?? [], c.directories ?? [])) issue(conflict.path, conflict.message);
});

// The builder refuses two entries for one path, and a file that another entry would need as a folder.
function fileConflicts(files: Array<{ path: string }>, directories: Array<{ path: string }>) {
  const entries = [
    ...directories.map((d, i) => ({ path: d.path, at: ['directories', i, 'path'], file: false })),
    ...files.map((f, i) => ({ path: f.path, at: ['files', i, 'path'], file: true })),
  ];
  const conflicts: Array<{ path: Array<string | number>; message: string }> = [];
  entries.forEach((entry, i) => {
    const earlier = entries.slice(0, i).find((other) => other.path === entry.path);
    if (earlier) {
      conflicts.push({ path: entry.at, message: `"${entry.path}" is also created by customizations.${earlier.at[0]}[${earlier.at[1]}]: list each path once` });
      return;
    }
    const parent = entries.find((other) => other.file && other.path !== entry.path && isAtOrBelow(entry.path, other.path));
    if (parent) conflicts.push({ path: entry.at, message: `"${entry.path}" is inside "${parent.path}", which customizations.files creates as a file` });
  });
  return conflicts;
}

/** The top level of a build config: only `customizations`. */
export const builderConfigSchema = strict({ customizations: customizationsSchema.optional() });

export type Customizations = z.output<typeof customizationsSchema>;
