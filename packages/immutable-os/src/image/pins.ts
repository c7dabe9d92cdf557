/**
 * Pinned bases: a lock file mapping base image references to digests, in the format Universal
 * Blue's families keep (bluefin's image-versions.yml: `images: [{ name, image, tag, digest }]`),
 * so an existing file, and Renovate's rule for it, work unchanged.
 *
 * createNodes reads the file once and gives each image project's bootc-build the pins its FROMs
 * use (`pinnedBases`, an option Nx hashes), so a bump rebuilds exactly the projects on that base
 * and their descendants; bootc-build builds those FROMs from `image:tag@digest`; bootc-lint warns
 * about an external base the file does not pin; `nx g immutable-os:update-pins` rewrites digests
 * from the registry. Errors name the file, the entry and the key.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertImageReference, taggedKey } from '../utils/image-ref';

/** Where the lock file is unless the plugin's `pins` option says otherwise (bluefin's name). */
export const DEFAULT_PINS_FILE = 'image-versions.yml';

export interface Pin {
  name: string;
  image: string;
  tag: string;
  digest: string;
}

export const DIGEST = /^sha256:[0-9a-f]{64}$/;
const PIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The lock file's pins, checked; undefined when the file does not exist. */
export function readPins(workspaceRoot: string, file: string): Pin[] | undefined {
  let text: string;
  try {
    text = readFileSync(join(workspaceRoot, file), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${file}: cannot be read (${(error as Error).message}).`, { cause: error });
  }
  return parsePins(text, file);
}

/** Parses and checks a lock file's text; `file` names it in errors. */
export function parsePins(text: string, file: string): Pin[] {
  const { parse } = require('yaml') as typeof import('yaml');
  let data: unknown;
  try {
    data = parse(text);
  } catch (error) {
    throw new Error(`${file}: not valid YAML: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  const images = (data as { images?: unknown } | null)?.images;
  if (!Array.isArray(images)) throw new Error(`${file}: expected a list under "images:" (entries of name, image, tag, digest), got ${JSON.stringify(images ?? data)}.`);
  const pins: Pin[] = [];
  images.forEach((entry: unknown, i) => {
    const at = `${file}: images[${i}]`;
    if (!entry || typeof entry !== 'object') throw new Error(`${at}: expected an entry of name, image, tag, digest, got ${JSON.stringify(entry)}.`);
    const values = entry as Record<string, unknown>;
    for (const key of ['name', 'image', 'tag', 'digest']) {
      // YAML reads `tag: 42` as a number: a tag is its text.
      if (typeof values[key] === 'number' && key === 'tag') values[key] = String(values[key]);
      if (typeof values[key] !== 'string' || values[key] === '') throw new Error(`${at}.${key}: expected a string, got ${JSON.stringify(values[key])}.`);
    }
    const pin = { name: values.name, image: values.image, tag: values.tag, digest: values.digest } as Pin;
    if (!PIN_NAME.test(pin.name)) throw new Error(`${at}.name: "${pin.name}" is not a name (letters, digits, ".", "_", "-").`);
    assertImageReference(pin.image, `${at}.image`, { allowTag: false });
    assertImageReference(`${pin.image}:${pin.tag}`, `${at}.tag`);
    if (!DIGEST.test(pin.digest)) throw new Error(`${at}.digest: "${pin.digest}" is not a digest (sha256: and 64 lowercase hex digits); nx g immutable-os:update-pins writes the current one.`);
    const twin = pins.find((other) => other.name === pin.name || taggedKey(`${other.image}:${other.tag}`) === taggedKey(`${pin.image}:${pin.tag}`));
    if (twin) throw new Error(`${at}: "${pin.name}" (${pin.image}:${pin.tag}) repeats the entry "${twin.name}" (${twin.image}:${twin.tag}); keep one.`);
    pins.push(pin);
  });
  return pins;
}

/** The pin for a reference (by repository and tag; latest when none is written); none for a reference that has a digest. */
export function pinFor(pins: readonly Pin[], ref: string): Pin | undefined {
  if (ref.includes('@')) return undefined;
  const key = taggedKey(ref);
  return key === undefined ? undefined : pins.find((pin) => taggedKey(`${pin.image}:${pin.tag}`) === key);
}

/** bootc-build's pinnedBases for the references a project's Containerfile uses: reference → digest. */
export function pinnedBases(pins: readonly Pin[], refs: Iterable<string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const ref of refs) {
    const pin = pinFor(pins, ref);
    if (pin) result[ref] = pin.digest;
  }
  return result;
}

/** The reference the engine pulls for a pinned base: the tag kept for readers, the digest deciding. */
export function pinnedReference(ref: string, digest: string): string {
  return `${ref}@${digest}`;
}
