import type { ParsedContainerfile } from '../../../utils/containerfile';
import type { ImageProjectIndex } from '../../../utils/image-project';

/** A place in the Containerfile that names an image of another workspace project. */
export interface WorkspaceBaseUse {
  project: string;
  /** The reference after build-arg expansion. */
  ref: string;
  kind: 'from' | 'copy-from' | 'mount-from';
  /** Offsets of the reference as written (e.g. `${BASE_IMAGE}`) in the file's text. */
  start: number;
  end: number;
}

interface Range {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/** Finds every reference to a workspace image (`index`: repository key → project) with its place in the text. */
export function findWorkspaceBaseUses(content: string, parsed: ParsedContainerfile, index: ImageProjectIndex): WorkspaceBaseUse[] {
  const lineStarts = [0];
  for (let i = 0; i < content.length; i++) if (content[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: Range['start']) => lineStarts[p.line] + p.character;

  const uses: WorkspaceBaseUse[] = [];
  // Two mounts of one image in the same RUN are two uses with the same text: each takes its own place.
  const taken = new Set<number>();
  for (const use of parsed.images) {
    const project = index.lookup(use.ref);
    if (!project) continue;
    const range = rawRanges(parsed, use.line - 1, use.kind, use.raw).find((r) => !taken.has(offset(r.start)));
    if (range) taken.add(offset(range.start));
    if (!range) {
      throw new Error(`Containerfile line ${use.line}: could not locate the reference "${use.raw}" to build it on the workspace image of ${project}.`);
    }
    uses.push({ project, ref: use.ref, kind: use.kind, start: offset(range.start), end: offset(range.end) });
  }
  return uses;
}

/** The text with each use replaced by `imageFor(use)`: the exact image (ID or local tag) built for its project, or a pinned reference. */
export function substituteBases(content: string, uses: readonly WorkspaceBaseUse[], imageFor: (use: WorkspaceBaseUse) => string): string {
  let result = content;
  for (const use of [...uses].sort((a, b) => b.start - a.start)) {
    result = result.slice(0, use.start) + imageFor(use) + result.slice(use.end);
  }
  return result;
}

type FlagLike = {
  getName(): string;
  getValue(): string | null;
  getValueRange(): Range | null;
  getOptions(): Array<{ getName(): string; getValue(): string | null; getValueRange(): Range | null }>;
};

// Every place on the instruction at `line` where `raw` is written as a reference of this kind.
function rawRanges(parsed: ParsedContainerfile, line: number, kind: WorkspaceBaseUse['kind'], raw: string): Range[] {
  const instruction = parsed.ast.getInstructions().find((i) => i.getRange().start.line === line);
  if (!instruction) return [];
  if (kind === 'from') {
    const arg = instruction.getArguments().find((a) => a.getValue() === raw);
    return arg ? [arg.getRange()] : [];
  }
  const flags = ((instruction as unknown as { getFlags?: () => FlagLike[] }).getFlags?.() ?? []) as FlagLike[];
  const ranges =
    kind === 'copy-from'
      ? flags.filter((f) => f.getName() === 'from' && f.getValue() === raw).map((f) => f.getValueRange())
      : flags
          .filter((f) => f.getName() === 'mount')
          .flatMap((f) => f.getOptions())
          .filter((o) => o.getName() === 'from' && o.getValue() === raw)
          .map((o) => o.getValueRange());
  return ranges.filter((r): r is Range => r !== null);
}
