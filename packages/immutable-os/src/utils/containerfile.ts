import type { Dockerfile, Instruction } from 'dockerfile-ast';

/** How a Containerfile uses another image. */
export type ImageUseKind = 'from' | 'copy-from' | 'mount-from';

export interface ImageUse {
  /** The reference with build-arg defaults expanded, e.g. `quay.io/centos-bootc/centos-bootc:stream10`. */
  ref: string;
  /** The reference as written, e.g. `${BASE}`. */
  raw: string;
  /** 1-based line of the instruction. */
  line: number;
  kind: ImageUseKind;
  /** Build args the reference names that have no default (it cannot be resolved statically). */
  unresolved: string[];
}

export interface Stage {
  index: number;
  name?: string;
  line: number;
  /** The expanded FROM argument. */
  base: string;
  /** The stage builds on an earlier stage (or scratch), not on an image. */
  baseIsStage: boolean;
  instructions: Instruction[];
}

export interface ParsedContainerfile {
  ast: Dockerfile;
  stages: Stage[];
  /** Every image the file uses: FROMs, `COPY --from=<image>`, `RUN --mount=...,from=<image>`. Stages and scratch excluded. */
  images: ImageUse[];
  /** Global build args (declared before the first FROM) with their defaults. */
  globalArgs: Map<string, string | undefined>;
}

const VARIABLE = /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

/** Expands `$VAR`, `${VAR}`, `${VAR:-default}` and `${VAR:+alt}` from `vars`, collecting names without a value. */
export function expandVariables(text: string, vars: ReadonlyMap<string, string | undefined>, unresolved: string[] = []): string {
  return text.replace(VARIABLE, (_m, braced: string | undefined, op: string | undefined, word: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare) as string;
    const value = vars.get(name);
    const set = value !== undefined && (value !== '' || !op?.startsWith(':'));
    if (op === ':-' || op === '-') return set ? value : expandVariables(word ?? '', vars, unresolved);
    if (op === ':+' || op === '+') return set ? expandVariables(word ?? '', vars, unresolved) : '';
    if (value === undefined) {
      unresolved.push(name);
      return '';
    }
    return value;
  });
}

function argDeclaration(instruction: Instruction): Array<[string, string | undefined]> {
  // ARG A=1 B=2 / ARG A
  return instruction.getArguments().map((arg) => {
    const text = arg.getValue();
    const eq = text.indexOf('=');
    if (eq === -1) return [text, undefined];
    return [text.slice(0, eq), unquote(text.slice(eq + 1))];
  });
}

function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.at(-1) === value[0]) return value.slice(1, -1);
  return value;
}

function flagValues(instruction: Instruction, flag: string): string[] {
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

let parser: typeof import('dockerfile-ast').DockerfileParser | undefined;

/** Parses a Containerfile and resolves which stages and images it uses. */
export function parseContainerfile(content: string): ParsedContainerfile {
  // Loaded on first use: the project graph reads parsed results from its cache and rarely needs the parser.
  parser ??= (require('dockerfile-ast') as typeof import('dockerfile-ast')).DockerfileParser;
  const ast = parser.parse(content);
  const globalArgs = new Map<string, string | undefined>();
  const stages: Stage[] = [];
  const images: ImageUse[] = [];
  const stageNames = new Set<string>();
  let stageArgs = globalArgs;

  const isStageRef = (ref: string) => stageNames.has(ref.toLowerCase()) || (/^\d+$/.test(ref) && Number(ref) < stages.length);
  const use = (raw: string, line: number, kind: ImageUseKind, vars: ReadonlyMap<string, string | undefined>) => {
    const unresolved: string[] = [];
    const ref = expandVariables(raw, vars, unresolved).trim();
    if (ref === '' || ref.toLowerCase() === 'scratch' || isStageRef(ref)) return ref;
    images.push({ ref, raw, line, kind, unresolved });
    return ref;
  };

  for (const instruction of ast.getInstructions()) {
    const keyword = instruction.getKeyword();
    const line = instruction.getRange().start.line + 1;
    if (keyword === 'FROM') {
      const args = instruction.getArguments().map((a) => a.getValue());
      const asIndex = args.findIndex((a) => a.toLowerCase() === 'as');
      const raw = args[0] ?? '';
      const name = asIndex !== -1 ? args[asIndex + 1] : undefined;
      const before = images.length;
      const base = use(raw, line, 'from', globalArgs);
      stages.push({ index: stages.length, name, line, base, baseIsStage: images.length === before, instructions: [] });
      if (name) stageNames.add(name.toLowerCase());
      stageArgs = new Map();
      continue;
    }
    if (keyword === 'ARG') {
      for (const [name, value] of argDeclaration(instruction)) {
        const target = stages.length === 0 ? globalArgs : stageArgs;
        const vars = stages.length === 0 ? globalArgs : mergedArgs(globalArgs, stageArgs);
        target.set(name, value === undefined ? (stages.length === 0 ? undefined : globalArgs.get(name)) : expandVariables(value, vars));
      }
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) continue;
    stage.instructions.push(instruction);
    const vars = mergedArgs(globalArgs, stageArgs, true);
    if (keyword === 'COPY' || keyword === 'ADD') {
      for (const from of flagValues(instruction, 'from')) use(from, line, 'copy-from', vars);
    } else if (keyword === 'RUN') {
      for (const mount of flagValues(instruction, 'mount')) {
        const from = mountFrom(mount);
        if (from) use(from, line, 'mount-from', vars);
      }
    }
  }
  return { ast, stages, images, globalArgs };
}

// Inside a stage only the build args the stage declares are visible.
function mergedArgs(
  global: ReadonlyMap<string, string | undefined>,
  stage: ReadonlyMap<string, string | undefined>,
  stageOnly = false,
): Map<string, string | undefined> {
  if (stageOnly) return new Map(stage);
  return new Map([...global, ...stage]);
}
