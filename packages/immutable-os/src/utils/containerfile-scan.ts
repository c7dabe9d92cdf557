import { resolveImageUses, type ImageUse, type InstructionView } from './containerfile';

// The instructions whose text decides which images a file uses; any other is skipped unread.
const RELEVANT = new Set(['FROM', 'ARG', 'ENV', 'COPY', 'RUN']);
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KEYWORD = /^[A-Za-z]+$/;
const QUOTE_OR_ESCAPE = /["'`\\]/;
// A parser directive that changes the escape character (`# escape=`` `).
const ESCAPE_DIRECTIVE = /^[ \t]*#[ \t]*escape[ \t]*=/im;
// A backslash followed by blanks at a line's end, or an escaped backslash there: read differently by different parsers.
const AMBIGUOUS_LINE_END = /(\\[ \t]+|\\\\)$/m;

/**
 * The images a Containerfile uses, exactly as parseContainerfile finds them, read line by line
 * without building a syntax tree (the project graph reads every Containerfile of the workspace on
 * a cold cache, and dockerfile-ast costs about 0.3 ms a file). Returns undefined for any form it
 * does not read exactly, for the caller to parse in full: heredocs, an escape directive, CR line
 * ends, quotes or backslashes in FROM, ARG, ENV or in the flags of COPY and RUN, a comment or blank
 * line inside a continued instruction, `ENV NAME value`, and a declaration without a value after `=`.
 */
export function scanImageUses(content: string): ImageUse[] | undefined {
  if (content.includes('\r') || content.includes('<<') || ESCAPE_DIRECTIVE.test(content) || AMBIGUOUS_LINE_END.test(content)) return undefined;
  const lines = content.split('\n');
  const views: InstructionView<undefined>[] = [];
  for (let i = 0; i < lines.length; i++) {
    const first = lines[i].trim();
    if (first === '' || first.startsWith('#')) continue;
    const line = i + 1;
    let text = lines[i];
    while (text.endsWith('\\')) {
      const next = lines[i + 1];
      // The last line continued, or a comment or blank line inside the instruction: parse in full.
      if (next === undefined || next.trim() === '' || next.trim().startsWith('#')) return undefined;
      text = text.slice(0, -1) + next;
      i++;
    }
    const [word, ...rest] = text.trim().split(/[ \t]+/);
    if (!KEYWORD.test(word)) return undefined;
    const keyword = word.toUpperCase();
    if (!RELEVANT.has(keyword)) continue;
    const view = instructionView(keyword, line, rest);
    if (!view) return undefined;
    views.push(view);
  }
  return resolveImageUses(views).images;
}

// The view of one relevant instruction, or undefined when its text is not of the plain form read here.
function instructionView(keyword: string, line: number, tokens: string[]): InstructionView<undefined> | undefined {
  const flagCount = tokens.findIndex((t) => !t.startsWith('--'));
  const flagTokens = flagCount === -1 ? tokens : tokens.slice(0, flagCount);
  if (flagTokens.some((t) => t === '--' || QUOTE_OR_ESCAPE.test(t))) return undefined;
  const flags = flagTokens.map((t) => {
    const eq = t.indexOf('=');
    return eq === -1 ? { name: t.slice(2), value: '' } : { name: t.slice(2, eq), value: t.slice(eq + 1) };
  });
  const view: InstructionView<undefined> = {
    keyword,
    line,
    source: undefined,
    args: () => tokens.slice(flagTokens.length),
    declarations: () => [],
    flags: (name) => flags.filter((f) => f.name === name).map((f) => f.value),
  };
  if (keyword === 'COPY' || keyword === 'RUN') return view;
  if (tokens.some((t) => QUOTE_OR_ESCAPE.test(t))) return undefined;
  if (keyword === 'FROM') return view;

  const declarations: Array<[string, string | undefined]> = [];
  for (const token of tokens) {
    const eq = token.indexOf('=');
    const name = eq === -1 ? token : token.slice(0, eq);
    // ENV takes only NAME=value here (`ENV NAME value` sets one variable to the rest of the line).
    if (!NAME.test(name) || eq === token.length - 1 || (keyword === 'ENV' && eq === -1)) return undefined;
    declarations.push([name, eq === -1 ? undefined : token.slice(eq + 1)]);
  }
  return { ...view, declarations: () => declarations };
}
