/**
 * Image references per the OCI distribution grammar
 * (https://github.com/distribution/reference/blob/main/reference.go).
 */

const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[_.]|__|-+)[a-z0-9]+)*';
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';

const domainRe = new RegExp(`^${DOMAIN}$`);
const pathRe = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const tagRe = new RegExp(`^${TAG}$`);
const digestRe = new RegExp(`^${DIGEST}$`);

// The algorithms go-digest registers (and so podman and docker check): lowercase hex of a fixed length.
const DIGEST_HEX_LENGTHS = new Map([
  ['sha256', 64],
  ['sha384', 96],
  ['sha512', 128],
]);

// Name (255) + ":" tag (128) + "@" sha512 digest (135), with room to spare; longer input is not matched at all.
const MAX_REFERENCE_LENGTH = 1024;

export interface ImageReference {
  /** Registry host (with port), absent for a short name such as `fedora`. */
  domain?: string;
  /** Repository path below the domain, e.g. `centos-bootc/centos-bootc`. */
  path: string;
  tag?: string;
  digest?: string;
}

/** Splits a reference into its parts; returns an error text when it is not a valid reference. */
/**
 * An image named through a containers-image transport other than a registry (`oci-archive:./out.ociarchive`,
 * `oci:dir`, `docker-archive:`, `containers-storage:`, `dir:`, `docker-daemon:`), as buildah and podman accept in FROM.
 */
export const LOCAL_TRANSPORT = /^(?:oci-archive|oci|docker-archive|containers-storage|dir|docker-daemon):/;

export function parseImageReference(ref: string): ImageReference | { error: string } {
  if (ref.length === 0) return { error: 'it is empty' };
  if (ref.length > MAX_REFERENCE_LENGTH) return { error: `it is ${ref.length} characters long (at most ${MAX_REFERENCE_LENGTH})` };
  let rest = ref;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!digestRe.test(digest)) {
      return { error: `the digest "${digest}" is not of the form algorithm:hex (e.g. sha256:<64 hex digits>)` };
    }
    const [algorithm, hex] = digest.split(':');
    const length = DIGEST_HEX_LENGTHS.get(algorithm);
    if (length !== undefined && !new RegExp(`^[0-9a-f]{${length}}$`).test(hex)) {
      return {
        error: `the ${algorithm} digest "${hex}" must be exactly ${length} lowercase hex digits (it has ${hex.length} characters)`,
      };
    }
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!tagRe.test(tag)) {
      return {
        error: `the tag "${tag}" is not valid: a tag is up to 128 letters, digits, "_", "." or "-", not starting with "." or "-"`,
      };
    }
  }
  let domain: string | undefined;
  const slash = rest.indexOf('/');
  if (slash !== -1) {
    const first = rest.slice(0, slash);
    // As podman (containers/image's normalized parsing) reads it: a host has a "." or ":" or is
    // localhost; anything else, even in uppercase, is the first path component (and so invalid).
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      domain = first;
      rest = rest.slice(slash + 1);
      if (!domainRe.test(domain)) return { error: `the registry "${domain}" is not a valid host[:port]` };
    }
  }
  if (!pathRe.test(rest)) {
    return {
      error: `the repository "${rest}" is not valid: use lowercase letters, digits and single ".", "_", "__" or "-" between them, with "/" between path components`,
    };
  }
  if ((domain ? domain.length + 1 : 0) + rest.length > 255) return { error: 'the repository name is longer than 255 characters' };
  return { domain, path: rest, tag, digest };
}

export function isValidTag(tag: string): boolean {
  return tagRe.test(tag);
}

/** Throws a message naming `what` (an option or file) when `ref` is no valid image reference. */
export function assertImageReference(ref: string, what: string, opts: { allowTag?: boolean } = {}): ImageReference {
  const parsed = parseImageReference(ref);
  if ('error' in parsed) {
    throw new Error(`${what} "${ref}" is not a valid image reference: ${parsed.error}.`);
  }
  if (opts.allowTag === false && (parsed.tag || parsed.digest)) {
    throw new Error(
      `${what} "${ref}" must be a repository without a tag or digest (e.g. "ghcr.io/acme/edge-node"); set tags with the tags option.`,
    );
  }
  return parsed;
}

/**
 * The key two references to the same repository share: no tag or digest, lowercase, and
 * without the `localhost/` prefix podman gives to locally built images, so that `edge-node`,
 * `localhost/edge-node:latest` and `localhost/edge-node@sha256:...` all match.
 */
export function repositoryKey(ref: string): string | undefined {
  const parsed = parseImageReference(ref);
  if ('error' in parsed) return undefined;
  const domain = parsed.domain?.toLowerCase();
  if (!domain || domain === 'localhost') return parsed.path;
  return `${domain}/${parsed.path}`;
}

/** repositoryKey plus the tag (latest when none is written); undefined for a digest without a tag or an invalid reference. */
export function taggedKey(ref: string): string | undefined {
  const parsed = parseImageReference(ref);
  const key = repositoryKey(ref);
  if ('error' in parsed || key === undefined) return undefined;
  const tag = parsed.tag ?? (parsed.digest ? undefined : 'latest');
  return tag === undefined ? undefined : `${key}:${tag}`;
}
