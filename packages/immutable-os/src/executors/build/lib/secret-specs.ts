/**
 * The secret specs of the `secrets` option, whole again. Nx splits an array option given on the
 * command line at every comma (`--secrets=id=s,src=f` arrives as `['id=s', 'src=f']`), and a spec
 * has commas of its own: the parts are rejoined, a new spec starting where a key repeats.
 */
export function secretSpecs(secrets: readonly string[] | string | undefined): string[] {
  const items = typeof secrets === 'string' ? [secrets] : (secrets ?? []);
  const specs: string[][] = [];
  let keys = new Set<string>();
  for (const part of items.flatMap((item) => String(item).split(',')).map((p) => p.trim()).filter(Boolean)) {
    const key = part.includes('=') ? part.slice(0, part.indexOf('=')).trim() : part;
    if (specs.length === 0 || keys.has(key)) {
      specs.push([]);
      keys = new Set();
    }
    specs[specs.length - 1].push(part);
    keys.add(key);
  }
  return specs.map((parts) => parts.join(','));
}
