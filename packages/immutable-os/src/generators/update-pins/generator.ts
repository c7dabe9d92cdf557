import { logger, readNxJson, type Tree } from '@nx/devkit';
import { DEFAULT_PINS_FILE, DIGEST, parsePins, type Pin } from '../../image/pins';
import { assertImageReference } from '../../utils/image-ref';
import { runShort } from '../../utils/run-process';
import { PLUGIN_NAME } from '../init/generator';
import type { UpdatePinsGeneratorSchema } from './schema';

/** Resolves an image reference's current manifest digest (of the list, for a multi-platform image) from its registry. */
export type DigestResolver = (ref: string, tlsVerify: boolean, cwd: string) => Promise<string>;

/**
 * Rewrites the lock file's digests that moved upstream (and adds the entries asked for), keeping
 * the rest of the file as written. Every entry is resolved before anything is written: one that
 * cannot be resolved fails the run naming it, and the file stays as it was.
 */
export async function updatePinsGenerator(tree: Tree, options: UpdatePinsGeneratorSchema, resolve: DigestResolver = skopeoDigest): Promise<void> {
  const file = options.file ?? pluginPinsFile(tree) ?? DEFAULT_PINS_FILE;
  const text = tree.exists(file) ? (tree.read(file, 'utf-8') ?? '') : undefined;
  const pins = text === undefined ? [] : parsePins(text, file);
  const added = (options.add ?? []).map((spec) => parseAdd(spec, pins, file));
  if (text === undefined && added.length === 0) {
    throw new Error(`${file} does not exist. Create it with --add name=image:tag (e.g. --add fedora=quay.io/fedora/fedora-bootc:42), or point --file at the lock file.`);
  }
  const unknown = (options.names ?? []).filter((name) => !pins.some((pin) => pin.name === name));
  if (unknown.length > 0) throw new Error(`names: ${unknown.join(', ')} ${unknown.length === 1 ? 'is not an entry' : 'are not entries'} of ${file} (${pins.map((p) => p.name).join(', ') || 'none'}).`);
  const chosen = pins.filter((pin) => !options.names || options.names.includes(pin.name));
  const tlsVerify = options.tlsVerify ?? true;

  const digests = await Promise.all(
    [...chosen, ...added].map(async (pin) => {
      const ref = `${pin.image}:${pin.tag}`;
      try {
        const digest = await resolve(ref, tlsVerify, tree.root);
        if (!DIGEST.test(digest)) throw new Error(`the registry answered "${digest}", which is not a sha256 digest`);
        return digest;
      } catch (error) {
        throw new Error(`${file}: ${pin.name} (${ref}): could not resolve its digest, so nothing was changed: ${(error as Error).message}`, { cause: error });
      }
    }),
  );

  const { Document, parseDocument, isSeq } = require('yaml') as typeof import('yaml');
  const doc = text === undefined ? new Document({ images: [] }) : parseDocument(text);
  let changed = 0;
  chosen.forEach((pin, i) => {
    if (digests[i] === pin.digest) return;
    doc.setIn(['images', pins.indexOf(pin), 'digest'], digests[i]);
    logger.info(`${file}: ${pin.name} (${pin.image}:${pin.tag}) ${pin.digest} -> ${digests[i]}`);
    changed++;
  });
  added.forEach((pin, i) => {
    const images = doc.get('images');
    const entry = doc.createNode({ name: pin.name, image: pin.image, tag: pin.tag, digest: digests[chosen.length + i] });
    if (isSeq(images)) images.add(entry);
    else doc.set('images', doc.createNode([entry]));
    logger.info(`${file}: added ${pin.name} (${pin.image}:${pin.tag}) at ${digests[chosen.length + i]}`);
    changed++;
  });
  if (changed === 0) {
    logger.info(`${file}: every digest is current; nothing changed.`);
    return;
  }
  tree.write(file, doc.toString());
}

// The lock file the plugin's entry in nx.json names (its pins option).
function pluginPinsFile(tree: Tree): string | undefined {
  for (const entry of readNxJson(tree)?.plugins ?? []) {
    if (typeof entry !== 'string' && entry.plugin === PLUGIN_NAME && typeof (entry.options as { pins?: unknown } | undefined)?.pins === 'string') {
      return (entry.options as { pins: string }).pins;
    }
  }
  return undefined;
}

// name=image:tag, checked against the file's entries.
function parseAdd(spec: string, pins: readonly Pin[], file: string): Pin {
  const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)=(.+)$/.exec(spec);
  if (!match) throw new Error(`add: "${spec}" is not name=image:tag (e.g. fedora=quay.io/fedora/fedora-bootc:42).`);
  const [, name, ref] = match;
  const parsed = assertImageReference(ref, `add: "${spec}"`);
  if (!parsed.tag || parsed.digest) throw new Error(`add: "${spec}" needs a tag and no digest (name=image:tag): the digest is what update-pins resolves.`);
  const image = ref.slice(0, ref.length - parsed.tag.length - 1);
  if (pins.some((pin) => pin.name === name)) throw new Error(`add: ${file} already has an entry named ${name}; pick another name, or update it with --names=${name}.`);
  return { name, image, tag: parsed.tag, digest: '' };
}

/** The digest skopeo reports for the reference's manifest (a list's own digest for a multi-platform image); credentials come from podman's auth file, never argv. */
export async function skopeoDigest(ref: string, tlsVerify: boolean, cwd: string): Promise<string> {
  const args = ['inspect', '--no-tags', '--format', '{{.Digest}}', ...(tlsVerify ? [] : ['--tls-verify=false']), `docker://${ref}`];
  try {
    return (await runShort('skopeo', args, { cwd })).stdout.trim();
  } catch (error) {
    if (/skopeo was not found on PATH/.test((error as Error).message)) {
      throw new Error('skopeo is not installed; install the skopeo package (Debian, Ubuntu, Fedora), or run update-pins where it is.', { cause: error });
    }
    throw error;
  }
}

export default updatePinsGenerator;
