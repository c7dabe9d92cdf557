import { z } from 'zod';
import { show } from './describe';
import { diskSchema } from './disk';
import { dataSize, fileMode, groupName, integer, numericId, owner, strict, userName } from './fields';
import { pathShapeProblem } from './policies';
import { BLUEPRINT, TOML_DECODER } from './sources';

/**
 * The bootc-image-builder build config (config.toml / config.json) as the builder's decoder reads
 * it: the whole blueprint (osbuild/blueprint pkg/blueprint/blueprint.go:14-30, customizations.go:12-42),
 * each value type-checked as its Go type and decoder would. Tables refuse unknown keys, as the
 * decoders do (sources.ts CONFIG_LOADER), except the tables in LENIENT_TABLES, whose custom
 * unmarshalers drop unknown keys: their unknown keys are reported, then ignored. What a key is
 * good for with each image type, and the checks the builder runs only for some types, are in
 * ignored.ts and rules.ts; this file is the decoder, the same for every type.
 */

export type ConfigFormat = 'toml' | 'json';

/**
 * Tables whose unknown keys the builder ignores silently: BurntSushi marks every key below a value
 * with an UnmarshalTOML as decoded (decode.go:245-254), and the unmarshalers' inner json.Unmarshal
 * does not inherit DisallowUnknownFields. Patterns match key paths below the document root.
 */
export const LENIENT_TABLES: ReadonlyArray<{ table: RegExp; source: string }> = [
  { table: /^customizations\.filesystem\[\d+\]$/, source: `${BLUEPRINT}filesystem_customizations.go:21-118` },
  { table: /^customizations\.disk$/, source: `${BLUEPRINT}disk_customizations.go:39-55; toml_json_bridge.go:13-28` },
  { table: /^customizations\.disk\.partitions\[\d+\]\.logical_volumes\[\d+\]$/, source: `${BLUEPRINT}disk_customizations.go:144-167` },
  { table: /^customizations\.directories\[\d+\]$/, source: `${BLUEPRINT}fsnode_customizations.go:43-137` },
  { table: /^customizations\.files\[\d+\]$/, source: `${BLUEPRINT}fsnode_customizations.go:209-312` },
  { table: /^customizations\.firstboot\.scripts\[\d+\]$/, source: `${BLUEPRINT}firstboot_customizations.go:107-141` },
];
export const LENIENT_MECHANISM = `${TOML_DECODER}decode.go:245-254`;

const strings = z.array(z.string());
const secret = (what: string) => z.string({ error: `must be a string (${what}; the value is not shown)` });

// fsnode paths are checked while decoding (ToFsNodeFile / ToFsNodeDirectory, fsnode_customizations.go:95-101,270-275).
const fsnodePath = (example: string) =>
  z.string().superRefine((path, ctx) => {
    const message = path === '' ? 'must not be empty' : pathShapeProblem(path, example);
    if (message) ctx.addIssue({ code: 'custom', message });
  });

const user = strict({
  name: userName,
  description: z.string().optional(),
  // Never echoes the value: it may be a password.
  password: z.string({ error: 'must be a string: a crypt(3) hash such as "$6$..." or the plain password' }).optional(),
  key: z.string().optional(),
  home: z.string().optional(),
  shell: z.string().optional(),
  groups: strings.optional(),
  uid: numericId.optional(),
  gid: numericId.optional(),
  expiredate: integer().optional(),
  force_password_reset: z.boolean().optional(),
});

const group = strict({ name: groupName, gid: numericId.optional() });

const kernel = strict({ name: z.string().optional(), append: z.string().optional() });

export const FILESYSTEM_SOURCE = `${BLUEPRINT}filesystem_customizations.go:21-86 (TOML), :88-118 (JSON)`;
/**
 * One `[[customizations.filesystem]]` entry. TOML: `size` is the deprecated alias of minsize, one
 * of them must be above 0 and not both may be set. JSON: minsize is required (0 is fine) and `size`
 * is an unknown, ignored key. Source: FILESYSTEM_SOURCE.
 */
function filesystemEntry(format: ConfigFormat) {
  const mountpoint = z.string({ error: (issue) => (issue.input === undefined ? 'is required: the folder to size, e.g. "/" or "/var/data"' : `must be a string, got ${show(issue.input)}`) });
  if (format === 'json') return strict({ mountpoint, minsize: dataSize() });
  return strict({ mountpoint, minsize: dataSize().optional(), size: dataSize().optional() })
    .superRefine(({ minsize, size }, ctx) => {
      if (minsize && size) {
        ctx.addIssue({ code: 'custom', path: ['size'], message: 'cannot be set together with minsize (size is the deprecated alias of minsize): remove size' });
      } else if (!minsize && !size) {
        ctx.addIssue({ code: 'custom', path: ['minsize'], message: minsize === 0 || size === 0 ? 'must be greater than 0' : 'is required: a number of bytes or a string with a unit, e.g. "10 GiB"' });
      }
    })
    .transform(({ mountpoint: path, minsize, size }) => ({ mountpoint: path, minsize: (minsize || size) as number }));
}

// `ensure_parents` is not a key of files (FileCustomization, fsnode_customizations.go:184-206).
const file = strict({
  path: fsnodePath('/etc/motd'),
  user: owner('user').optional(),
  group: owner('group').optional(),
  mode: fileMode.optional(),
  data: secret('the file contents').optional(),
  uri: z
    .string()
    .superRefine((uri, ctx) => {
      // fsnode.NewFileForURI (osbuild/image-builder pkg/customizations/fsnode/file.go:60-71) reads local files only.
      const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(uri)?.[1]?.toLowerCase();
      if (scheme && scheme !== 'file') {
        ctx.addIssue({ code: 'custom', message: `must be a local path or a file:// URI (bootc-image-builder reads it from its own container, "try file://"), got "${uri}"` });
      }
    })
    .optional(),
}).superRefine(({ data, uri }, ctx) => {
  // ToFsNodeFile: "cannot specify both data %q and URI %q" (fsnode_customizations.go:316-318); the data is not shown here.
  if (data && uri) ctx.addIssue({ code: 'custom', path: ['uri'], message: 'cannot be set together with data: bootc-image-builder refuses a file with both ("cannot specify both data and URI"): keep one' });
});

const directory = strict({
  path: fsnodePath('/etc/myapp'),
  user: owner('user').optional(),
  group: owner('group').optional(),
  mode: fileMode.optional(),
  ensure_parents: z.boolean().optional(),
});

// sshd_customizations.go:3-11: permit_root_login is a string; there is no challenge_response_authentication.
export const PERMIT_ROOT_LOGIN = ['yes', 'no', 'prohibit-password', 'forced-commands-only'] as const;
const sshd = strict({
  password_authentication: z.boolean().optional(),
  client_alive_interval: integer().optional(),
  permit_root_login: z
    .string({ error: (issue) => `must be a string: ${PERMIT_ROOT_LOGIN.map((v) => `"${v}"`).join(', ')}, got ${show(issue.input)}` })
    .optional(),
  kbd_interactive_authentication: z.boolean().optional(),
});

// customizations.go:44-56.
const ignition = strict({
  embedded: strict({ config: secret('the Ignition config').optional() }).optional(),
  firstboot: strict({ url: z.string().optional(), empty: z.boolean().optional() }).optional(),
});

// installer_customizations.go:3-45; payload is blueprint v1.29+. There is no `menu-timeout` here.
const installer = strict({
  unattended: z.boolean().optional(),
  'sudo-nopasswd': strings.optional(),
  kickstart: strict({ contents: secret('the kickstart').optional() }).optional(),
  modules: strict({ enable: strings.optional(), disable: strings.optional() }).optional(),
  bootloader: strict({ grub2: strict({ 'menu-timeout': integer().optional() }).optional() }).optional(),
  payload: strict({
    flatpaks: strict({
      force: z.array(strict({ registry: strict({ remote_name: z.string().optional(), url: z.string().optional() }).optional(), references: strings.optional() })).optional(),
    }).optional(),
  }).optional(),
});

// iso_customizations.go:9-13; volume_id is checked by GetISO only on the paths that call it (rules.ts).
const iso = strict({ application_id: z.string().optional(), publisher: z.string().optional(), volume_id: z.string().optional() });

// blueprint v1.32 (the current builder's): bootloader.grub2, applied to disks (image-builder
// bootc_imagetype.go:255-267). Read from image-builder's use of it; the struct tags were not available.
const bootloader = strict({
  grub2: strict({ terminal_input: strings.optional(), terminal_output: strings.optional(), serial: z.string().optional() }).optional(),
});

// Customizations of package-based images, known to the decoder (customizations.go:12-42 and the files named).
const sshkey = strict({ user: z.string().optional(), key: z.string().optional() });
const timezone = strict({ timezone: z.string().optional(), ntpservers: strings.optional() });
const locale = strict({ languages: strings.optional(), keyboard: z.string().optional() });
const firewall = strict({
  ports: strings.optional(),
  services: strict({ enabled: strings.optional(), disabled: strings.optional() }).optional(),
  zones: z.array(strict({ name: z.string().optional(), sources: strings.optional() })).optional(),
});
const services = strict({ enabled: strings.optional(), disabled: strings.optional(), masked: strings.optional() });
const fdo = strict({
  manufacturing_server_url: z.string().optional(),
  diun_pub_key_insecure: z.string().optional(),
  diun_pub_key_hash: z.string().optional(),
  diun_pub_key_root_certs: z.string().optional(),
  di_mfg_string_type_mac_iface: z.string().optional(),
});
const openscap = strict({
  datastream: z.string().optional(),
  profile_id: z.string().optional(),
  policy_id: z.string().optional(),
  tailoring: strict({ selected: strings.optional(), unselected: strings.optional() }).optional(),
  json_tailoring: strict({ profile_id: z.string().optional(), filepath: z.string().optional() }).optional(),
});
// repository_customizations.go:14-32.
const repository = strict({
  id: z.string().optional(),
  baseurls: strings.optional(),
  gpgkeys: strings.optional(),
  metalink: z.string().optional(),
  mirrorlist: z.string().optional(),
  name: z.string().optional(),
  priority: integer().optional(),
  enabled: z.boolean().optional(),
  gpgcheck: z.boolean().optional(),
  repo_gpgcheck: z.boolean().optional(),
  sslverify: z.boolean().optional(),
  module_hotfixes: z.boolean().optional(),
  filename: z.string().optional(),
  install_from: z.boolean().optional(),
});
const rpm = strict({ import_keys: strict({ files: strings.optional() }).optional() });
const pluginEnabled = strict({ enabled: z.boolean().optional() }).optional();
// rhsm_customizations.go.
const rhsm = strict({
  config: strict({
    dnf_plugins: strict({ product_id: pluginEnabled, subscription_manager: pluginEnabled }).optional(),
    subscription_manager: strict({
      rhsm: strict({ manage_repos: z.boolean().optional(), auto_enable_yum_plugins: z.boolean().optional() }).optional(),
      rhsmcertd: strict({ auto_registration: z.boolean().optional() }).optional(),
    }).optional(),
  }).optional(),
});
const cacerts = strict({ pem_certs: strings.optional() });
const containersStorage = strict({ 'destination-path': z.string().optional() });
// firstboot_customizations.go:15-141: each script is kept as raw JSON (any value), so only its keys are checked.
const FIRSTBOOT_SCRIPT_KEYS = ['type', 'name', 'ignore_failure', 'after', 'before', 'contents', 'cacerts', 'command', 'job_template_url', 'host_config_key'] as const;
const firstbootScript = z.preprocess(
  (value) => (value && typeof value === 'object' && !Array.isArray(value) ? value : {}),
  strict(Object.fromEntries(FIRSTBOOT_SCRIPT_KEYS.map((key) => [key, z.unknown().optional()]))),
);
const firstboot = strict({ scripts: z.array(firstbootScript).optional() });
const dnf = strict({ config: strict({ set_releasever: z.boolean().optional() }).optional() });

/** Every customization the builder's decoder knows, in the blueprint's declaration order (which its validator follows). */
function customizationShapes(format: ConfigFormat) {
  return {
    hostname: z.string(),
    kernel,
    sshkey: z.array(sshkey),
    user: z.array(user),
    group: z.array(group),
    timezone,
    locale,
    firewall,
    services,
    filesystem: z.array(filesystemEntry(format)),
    disk: diskSchema,
    installation_device: z.string(),
    partitioning_mode: z.string(),
    fdo,
    openscap,
    ignition,
    directories: z.array(directory),
    files: z.array(file),
    repositories: z.array(repository),
    fips: z.boolean(),
    installer,
    rpm,
    rhsm,
    cacerts,
    'containers-storage': containersStorage,
    firstboot,
    dnf,
    iso,
    sshd,
    bootloader,
  };
}

export const CUSTOMIZATIONS = customizationShapes('toml');

export type CustomizationKey = keyof typeof CUSTOMIZATIONS;

export const CUSTOMIZATION_KEYS = Object.keys(CUSTOMIZATIONS) as CustomizationKey[];

/** The Anaconda module without which the installer cannot create users and groups. */
export const ANACONDA_USERS_MODULE = 'org.fedoraproject.Anaconda.Modules.Users';

function optional<T extends Record<string, z.ZodType>>(shape: T): { [K in keyof T]: z.ZodOptional<T[K]> } {
  return Object.fromEntries(Object.entries(shape).map(([key, schema]) => [key, schema.optional()])) as { [K in keyof T]: z.ZodOptional<T[K]> };
}

const packages = z.array(strict({ name: z.string().optional(), version: z.string().optional() }));

/** Top-level keys of a blueprint besides `customizations` (blueprint.go:14-30, 41-63). */
const BLUEPRINT_SHAPE = {
  name: z.string(),
  description: z.string(),
  version: z.string(),
  packages,
  modules: packages,
  enabled_modules: z.array(strict({ name: z.string().optional(), stream: z.string().optional() })),
  groups: z.array(strict({ name: z.string().optional() })),
  containers: z.array(strict({ source: z.string().optional(), name: z.string().optional(), 'tls-verify': z.boolean().optional(), 'local-storage': z.boolean().optional() })),
  distro: z.string(),
  architecture: z.string(),
};

/** Top-level keys the builder always accepts without a word (bootc_imagetype.go:121-126). */
export const METADATA_KEYS = ['name', 'description', 'version'] as const;

export type BlueprintKey = keyof typeof BLUEPRINT_SHAPE;
export const BLUEPRINT_KEYS = Object.keys(BLUEPRINT_SHAPE) as BlueprintKey[];

function configSchema(format: ConfigFormat) {
  return strict({ ...optional(BLUEPRINT_SHAPE), customizations: strict(optional(customizationShapes(format))).optional() });
}

/** The whole build config as each decoder reads it. */
export const BUILDER_CONFIG_SCHEMAS = { toml: configSchema('toml'), json: configSchema('json') } as const;

export type BuilderConfigData = z.output<(typeof BUILDER_CONFIG_SCHEMAS)['toml']>;
export type Customizations = NonNullable<BuilderConfigData['customizations']>;
export type BlueprintFields = Omit<BuilderConfigData, 'customizations'>;
