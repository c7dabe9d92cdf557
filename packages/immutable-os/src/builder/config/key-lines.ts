/**
 * Where each key of a (syntactically valid) config file is written: key path, e.g.
 * `customizations.filesystem[1].mountpoint`, to its 1-based line (JSON: see json-scan.ts). The TOML scan understands
 * table headers, arrays of tables, dotted keys, one-line inline tables, arrays of inline tables
 * with one element per line and multi-line strings; what it cannot place is simply missing, and
 * `lineOf` falls back to the nearest enclosing key.
 */
export type KeyLines = ReadonlyMap<string, number>;

/** The line of `keyPath`, else of its nearest ancestor that has one. */
export function lineOf(lines: KeyLines, keyPath: string): number | undefined {
  for (let path = keyPath; path !== ''; path = parentPath(path)) {
    const line = lines.get(path);
    if (line !== undefined) return line;
  }
  return undefined;
}

function parentPath(path: string): string {
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
  return cut <= 0 ? '' : path.slice(0, cut);
}

const KEY_PART = String.raw`(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')`;
const DOTTED_KEY = String.raw`${KEY_PART}(?:\s*\.\s*${KEY_PART})*`;
const HEADER = new RegExp(String.raw`^\s*(\[\[?)\s*(${DOTTED_KEY})\s*\]\]?\s*(?:#.*)?$`);
const KEY_VALUE = new RegExp(String.raw`^\s*(${DOTTED_KEY})\s*=\s*(.*)$`);
const INLINE_KEY = new RegExp(String.raw`(?:^|[{,])\s*(${DOTTED_KEY})\s*=`, 'g');

function keySegments(dotted: string): string[] {
  return [...dotted.matchAll(new RegExp(KEY_PART, 'g'))].map(([part]) => (/^["']/.test(part) ? part.slice(1, -1) : part));
}

export function tomlKeyLines(content: string): KeyLines {
  const lines = new Map<string, number>();
  const record = (path: string, line: number) => {
    if (!lines.has(path)) lines.set(path, line);
  };
  const arrayCounts = new Map<string, number>();
  let table = '';
  let closeString: string | undefined;
  let inlineArray: { path: string; count: number } | undefined;

  content.split(/\r?\n/).forEach((text, index) => {
    const line = index + 1;
    if (closeString) {
      if (text.includes(closeString)) closeString = undefined;
      return;
    }
    if (inlineArray) {
      const trimmed = text.trim();
      if (trimmed.startsWith(']')) inlineArray = undefined;
      else if (trimmed.startsWith('{')) recordInline(`${inlineArray.path}[${inlineArray.count++}]`, trimmed, line, record);
      return;
    }
    const header = HEADER.exec(text);
    if (header) {
      const segments = keySegments(header[2]);
      let path = '';
      segments.forEach((segment, i) => {
        path = path ? `${path}.${segment}` : segment;
        record(path, line);
        const count = arrayCounts.get(path);
        const last = i === segments.length - 1;
        if (last && header[1] === '[[') {
          arrayCounts.set(path, (count ?? 0) + 1);
          path = `${path}[${count ?? 0}]`;
        } else if (count !== undefined) {
          path = `${path}[${count - 1}]`;
        }
      });
      table = path;
      record(path, line);
      return;
    }
    const keyValue = KEY_VALUE.exec(text);
    if (!keyValue) return;
    let path = table;
    for (const segment of keySegments(keyValue[1])) record((path = path ? `${path}.${segment}` : segment), line);
    const value = keyValue[2].trim();
    const quote = value.startsWith('"""') ? '"""' : value.startsWith("'''") ? "'''" : undefined;
    if (quote && !value.slice(3).includes(quote)) closeString = quote;
    else if (value.startsWith('{')) recordInline(path, value, line, record);
    // Elements that open on the key's own line count too, though they are not placed.
    else if (value.startsWith('[') && !value.includes(']')) inlineArray = { path, count: (value.match(/\{/g) ?? []).length };
  });
  return lines;
}

// Records the keys of a one-line inline table `{ a = 1, b = "x" }` at `path`.
function recordInline(path: string, text: string, line: number, record: (path: string, line: number) => void) {
  record(path, line);
  for (const [, key] of text.matchAll(INLINE_KEY)) record([path, ...keySegments(key)].join('.'), line);
}
