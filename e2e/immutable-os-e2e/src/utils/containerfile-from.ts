/**
 * The images a Containerfile's FROM lines name, with `${ARG}` and `$ARG` replaced by the defaults of
 * the ARGs declared before the first FROM (how a builder resolves them without --build-arg).
 */
export function fromImages(containerfile: string): string[] {
  const args = new Map<string, string>();
  const images: string[] = [];
  for (const line of containerfile.split('\n').map((l) => l.trim())) {
    const arg = /^ARG\s+([A-Za-z_][A-Za-z0-9_]*)=(\S*)/i.exec(line);
    if (arg && images.length === 0) args.set(arg[1], arg[2].replace(/^"(.*)"$/, '$1'));
    const from = /^FROM\s+(?:--\S+\s+)*(\S+)/i.exec(line);
    if (from) {
      images.push(from[1].replace(/\$\{(\w+)\}|\$(\w+)/g, (_, braced, bare) => args.get(braced ?? bare) ?? ''));
    }
  }
  return images;
}
