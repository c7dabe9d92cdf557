import type { Dockerfile, Instruction } from 'dockerfile-ast';
import { parseImageReference } from './image-ref';

/** How a Containerfile uses another image. */
export type ImageUseKind = 'from' | 'copy-from' | 'mount-from';

export interface ImageUse {
  /**
   * The reference with build-arg defaults expanded, e.g. `quay.io/centos-bootc/centos-bootc:stream10`.
   * A tag or digest left empty by an unresolved arg is dropped (`quay.io/x:${TAG}` gives `quay.io/x`);
   * a reference made only of unresolved args is `''`.
   */
  ref: string;
  /** The reference as written, e.g. `${BASE}`. */
  raw: string;
  /** 1-based line of the instruction. */
  line: number;
  kind: ImageUseKind;
  /** Build args the reference depends on that have no default (it cannot be resolved statically). */
  unresolved: string[];
}

export interface Stage<T = Instruction> {
  index: number;
  name?: string;
  line: number;
  /** The expanded FROM argument. */
  base: string;
  /** The stage builds on an earlier stage (or scratch), not on an image. */
  baseIsStage: boolean;
  instructions: T[];
}

export interface ParsedContainerfile {
  ast: Dockerfile;
  stages: Stage[];
  /** Every image the file uses: FROMs, `COPY --from=<image>`, `RUN --mount=...,from=<image>`. Stages and scratch excluded. */
  images: ImageUse[];
  /** Global build args (declared before the first FROM) with their expanded defaults. */
  globalArgs: Map<string, string | undefined>;
}

/** A build arg or ENV in scope: its expanded value and the args without a default that value depends on. */
interface ScopeVar {
  value: string | undefined;
  unresolved: readonly string[];
}

type Scope = ReadonlyMap<string, ScopeVar>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const OPERATORS = [':-', ':+', ':?', '##', '%%', '-', '+', '?', '#', '%'] as const;
type Operator = (typeof OPERATORS)[number];

interface Expansion {
  name: string;
  operator?: Operator;
  word?: string;
  end: number;
}

/**
 * Expands a word the way BuildKit does for FROM, ARG and flags: `$VAR`, `${VAR}`, `${VAR:-default}`,
 * `${VAR:+alt}` (and the forms without a colon), `${VAR#glob}`/`##`/`%`/`%%`, defaults that nest
 * further expansions, single quotes (literal), double quotes and backslash escapes.
 * Names without a value are pushed to `unresolved` and expand to nothing.
 */
export function expandVariables(text: string, vars: ReadonlyMap<string, string | undefined>, unresolved: string[] = []): string {
  const scope = new Map([...vars].map(([name, value]) => [name, { value, unresolved: [] }]));
  return expandWord(text, scope, unresolved);
}

function expandWord(text: string, scope: Scope, unresolved: string[]): string {
  let out = '';
  let quote: '"' | "'" | undefined;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (quote === "'") {
      if (ch === "'") quote = undefined;
      else out += ch;
      i++;
    } else if (ch === '\\' && i + 1 < text.length) {
      const next = text[i + 1];
      // Inside double quotes a backslash only escapes `$`, `"` and itself.
      out += quote === '"' && !'$"\\'.includes(next) ? ch + next : next;
      i += 2;
    } else if ((ch === '"' || ch === "'") && (quote === undefined || quote === ch)) {
      quote = quote ? undefined : ch;
      i++;
    } else if (ch === '$') {
      const expansion = readExpansion(text, i);
      if (expansion) {
        out += resolveExpansion(expansion, scope, unresolved);
        i = expansion.end;
      } else {
        out += ch;
        i++;
      }
    } else {
      out += ch;
      i++;
    }
  }
  return out;
}

// Reads `$NAME` or `${NAME<operator><word>}` starting at `start`; undefined when it is neither.
function readExpansion(text: string, start: number): Expansion | undefined {
  if (text[start + 1] !== '{') {
    const bare = NAME.exec(text.slice(start + 1));
    return bare ? { name: bare[0], end: start + 1 + bare[0].length } : undefined;
  }
  const name = NAME.exec(text.slice(start + 2))?.[0];
  if (!name) return undefined;
  let i = start + 2 + name.length;
  if (text[i] === '}') return { name, end: i + 1 };
  const operator = OPERATORS.find((op) => text.startsWith(op, i));
  if (!operator) return undefined;
  i += operator.length;
  const wordStart = i;
  let depth = 0;
  for (; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '$' && text[i + 1] === '{') depth++;
    else if (text[i] === '}' && depth-- === 0) return { name, operator, word: text.slice(wordStart, i), end: i + 1 };
  }
  return undefined;
}

function resolveExpansion({ name, operator, word = '' }: Expansion, scope: Scope, unresolved: string[]): string {
  const variable = scope.get(name);
  const value = variable?.value;
  const isSet = value !== undefined;
  const useValue = () => {
    unresolved.push(...(variable?.unresolved ?? []));
    return value ?? '';
  };
  const missing = () => {
    unresolved.push(name);
    return '';
  };
  switch (operator) {
    case ':-':
      return isSet && value !== '' ? useValue() : expandWord(word, scope, unresolved);
    case '-':
      return isSet ? useValue() : expandWord(word, scope, unresolved);
    case ':+':
      return isSet && value !== '' ? expandWord(word, scope, unresolved) : '';
    case '+':
      return isSet ? expandWord(word, scope, unresolved) : '';
    case ':?':
      return isSet && value !== '' ? useValue() : missing();
    case '#':
    case '##':
    case '%':
    case '%%':
      return isSet ? removeAffix(useValue(), expandWord(word, scope, unresolved), operator) : missing();
    default:
      return isSet ? useValue() : missing();
  }
}

// `${VAR#glob}` and friends: removes the shortest (`#`, `%`) or longest (`##`, `%%`) prefix or suffix matching glob.
function removeAffix(value: string, glob: string, operator: '#' | '##' | '%' | '%%'): string {
  const pattern = new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
  const lengths = [...Array(value.length + 1).keys()];
  if (operator === '##' || operator === '%%') lengths.reverse();
  for (const length of lengths) {
    if (operator.startsWith('#') && pattern.test(value.slice(0, length))) return value.slice(length);
    if (operator.startsWith('%') && pattern.test(value.slice(value.length - length))) return value.slice(0, value.length - length);
  }
  return value;
}

// ARG A=1 B="two words" C / ENV A=1: each name with its value as written (quotes and `$` intact).
function declarations(instruction: Instruction): Array<[name: string, value: string | undefined]> {
  const withProperties = instruction as Instruction & {
    getProperties?: () => Array<{ getName(): string; getUnescapedValue(): string | null }>;
  };
  // dockerfile-ast's getUnescapedValue() is the raw text (continuations joined); getValue() strips quotes unevenly.
  return (withProperties.getProperties?.() ?? []).map((p) => [p.getName(), p.getUnescapedValue() ?? undefined]);
}

/** The values of an instruction's flag, e.g. `from` of `COPY --from=...` (none when absent). */
export function flagValues(instruction: Instruction, flag: string): string[] {
  const withFlags = instruction as Instruction & { getFlags?: () => Array<{ getName(): string; getValue(): string | null }> };
  return (withFlags.getFlags?.() ?? []).filter((f) => f.getName() === flag).map((f) => f.getValue() ?? '');
}

function mountFrom(mount: string): string | undefined {
  for (const part of mount.split(',')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === 'from') return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * One instruction as the resolver reads it: from dockerfile-ast (parseContainerfile), or from the
 * graph plugin's line scanner (scanImageUses) for the plain files it reads exactly.
 */
export interface InstructionView<T> {
  /** Upper case, e.g. `FROM`. */
  keyword: string;
  /** 1-based line of the keyword. */
  line: number;
  source: T;
  /** FROM's arguments, its flags left out. */
  args: () => string[];
  /** ARG and ENV: each name with its value as written (undefined for `ARG NAME`). */
  declarations: () => Array<[name: string, value: string | undefined]>;
  /** The values of a flag, e.g. `from` of `COPY --from=...`. */
  flags: (name: string) => string[];
}

export interface ResolvedImageUses<T> {
  stages: Stage<T>[];
  images: ImageUse[];
  globalArgs: Map<string, string | undefined>;
}

let parser: typeof import('dockerfile-ast').DockerfileParser | undefined;

/**
 * Parses a Containerfile and resolves which stages and images it uses. `buildArgs` (a build's
 * `--build-arg` values) override the defaults of the ARGs they name, as the engine does.
 */
export function parseContainerfile(content: string, buildArgs: Readonly<Record<string, string>> = {}): ParsedContainerfile {
  // Loaded on first use: the project graph reads parsed results from its cache and rarely needs the parser.
  parser ??= (require('dockerfile-ast') as typeof import('dockerfile-ast')).DockerfileParser;
  const ast = parser.parse(content);
  const views = ast.getInstructions().map(
    (instruction): InstructionView<Instruction> => ({
      keyword: instruction.getKeyword(),
      line: instruction.getRange().start.line + 1,
      source: instruction,
      args: () => instruction.getArguments().map((a) => a.getValue()),
      declarations: () => declarations(instruction),
      flags: (name) => flagValues(instruction, name),
    }),
  );
  return { ast, ...resolveImageUses(views, buildArgs) };
}

/** The stages, image uses and global args of a sequence of instructions (see parseContainerfile). */
export function resolveImageUses<T>(instructions: Iterable<InstructionView<T>>, buildArgs: Readonly<Record<string, string>> = {}): ResolvedImageUses<T> {
  // FROM sees only global args; inside a stage only the args the stage declares (and its ENV) are visible.
  const globalScope = new Map<string, ScopeVar>();
  let stageScope = new Map<string, ScopeVar>();
  const stages: Stage<T>[] = [];
  const images: ImageUse[] = [];
  const stageNames = new Set<string>();

  const isStageRef = (ref: string) => stageNames.has(ref.toLowerCase()) || (/^\d+$/.test(ref) && Number(ref) < stages.length);
  // Records `raw` as an image use unless it names a stage or scratch; returns the expanded reference.
  const use = (raw: string, line: number, kind: ImageUseKind, scope: Scope): { ref: string; isImage: boolean } => {
    const unresolved: string[] = [];
    let ref = expandWord(raw, scope, unresolved).trim();
    // An arg given the empty value that leaves no valid reference (bluefin's `ARG BASE_IMAGE_SHA=""`,
    // then `FROM ${BASE_IMAGE}:${FEDORA}@${BASE_IMAGE_SHA}`) is an arg without a value, not a typo.
    if (unresolved.length === 0 && raw.includes('$') && (ref === '' || 'error' in parseImageReference(ref))) {
      const blanked: Scope = new Map([...scope].map(([name, v]) => [name, v.value === '' ? { ...v, value: undefined } : v]));
      const empty: string[] = [];
      const again = expandWord(raw, blanked, empty).trim();
      if (empty.length > 0) {
        ref = again;
        unresolved.push(...empty);
      }
    }
    if (unresolved.length > 0) ref = ref.replace(/[:@]$/, '');
    if (unresolved.length === 0 && (ref === '' || ref.toLowerCase() === 'scratch' || isStageRef(ref))) return { ref, isImage: false };
    images.push({ ref, raw, line, kind, unresolved: [...new Set(unresolved)] });
    return { ref, isImage: true };
  };

  for (const instruction of instructions) {
    const { keyword, line } = instruction;
    if (keyword === 'FROM') {
      const args = instruction.args();
      const asIndex = args.findIndex((a) => a.toLowerCase() === 'as');
      const name = asIndex !== -1 ? args[asIndex + 1] : undefined;
      const { ref, isImage } = use(args[0] ?? '', line, 'from', globalScope);
      stages.push({ index: stages.length, name, line, base: ref, baseIsStage: !isImage, instructions: [] });
      if (name) stageNames.add(name.toLowerCase());
      stageScope = new Map();
      continue;
    }
    const stage = stages.at(-1);
    if (keyword === 'ARG') {
      const scope = stage ? stageScope : globalScope;
      for (const [name, raw] of instruction.declarations()) {
        if (Object.prototype.hasOwnProperty.call(buildArgs, name)) {
          scope.set(name, { value: buildArgs[name], unresolved: [] });
        } else if (raw !== undefined) {
          const unresolved: string[] = [];
          scope.set(name, { value: expandWord(raw, scope, unresolved), unresolved });
        } else {
          // `ARG NAME` in a stage brings the global arg (and its default) into the stage.
          scope.set(name, (stage && globalScope.get(name)) || { value: undefined, unresolved: [] });
        }
      }
      continue;
    }
    if (!stage) continue;
    stage.instructions.push(instruction.source);
    if (keyword === 'ENV') {
      for (const [name, raw] of instruction.declarations()) {
        const unresolved: string[] = [];
        stageScope.set(name, { value: expandWord(raw ?? '', stageScope, unresolved), unresolved });
      }
    } else if (keyword === 'COPY') {
      for (const from of instruction.flags('from')) use(from, line, 'copy-from', stageScope);
    } else if (keyword === 'RUN') {
      for (const mount of instruction.flags('mount')) {
        const from = mountFrom(mount);
        if (from) use(from, line, 'mount-from', stageScope);
      }
    }
  }
  const globalArgs = new Map([...globalScope].map(([name, { value }]) => [name, value]));
  return { stages, images, globalArgs };
}
