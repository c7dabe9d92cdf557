import type { KeyLines } from './key-lines';

/**
 * Walks a JSON document as JSON.parse does, recording the line of each key path (object members at
 * their key, array items at their value) and the offset of the first syntax error, which V8's
 * messages do not always give ("Unexpected token 'c', "[[custom"... is not valid JSON").
 */
export function scanJson(text: string): { lines: KeyLines; errorAt?: number } {
  const lines = new Map<string, number>();
  let i = 0;
  let line = 1;
  const fail = (): never => {
    throw new JsonScanError(i);
  };
  const space = () => {
    for (; i < text.length && ' \t\n\r'.includes(text[i]); i++) if (text[i] === '\n') line++;
  };
  const expect = (char: string) => {
    space();
    if (text[i] !== char) fail();
    i++;
  };
  const string = (): string => {
    const start = i;
    for (i++; text[i] !== '"'; i++) {
      if (i >= text.length || text[i] < ' ') fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u' ? !/^u[0-9a-fA-F]{4}$/.test(text.slice(i, i + 5)) : !'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
        if (text[i] === 'u') i += 4;
      }
    }
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const scalar = () => {
    const match = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (!match) fail();
    i += match![0].length;
  };
  const value = (path: string): void => {
    space();
    const open = text[i];
    if (open === '"') return void string();
    if (open !== '{' && open !== '[') return scalar();
    const close = open === '{' ? '}' : ']';
    i++;
    space();
    if (text[i] === close) return void i++;
    for (let index = 0; ; index++) {
      space();
      let child = `${path}[${index}]`;
      if (open === '{') {
        if (text[i] !== '"') fail();
        const key = string();
        child = path ? `${path}.${key}` : key;
      }
      if (!lines.has(child)) lines.set(child, line);
      if (open === '{') expect(':');
      value(child);
      space();
      if (text[i] === close) return void i++;
      expect(',');
    }
  };
  try {
    value('');
    space();
    if (i < text.length) fail();
    return { lines };
  } catch (error) {
    if (error instanceof JsonScanError) return { lines, errorAt: error.offset };
    throw error;
  }
}

class JsonScanError extends Error {
  constructor(readonly offset: number) {
    super(`JSON syntax error at offset ${offset}`);
  }
}
