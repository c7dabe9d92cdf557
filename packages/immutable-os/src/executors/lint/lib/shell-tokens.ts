/**
 * A small POSIX shell tokenizer, enough to see which paths a RUN command writes and removes:
 * quotes, escapes, line continuations, comments, `$(...)`/`${...}`/backticks kept inside words,
 * control operators, redirections (with an fd prefix) and here-documents (their bodies are data,
 * not commands, and are skipped).
 */
export type ShellToken =
  | { type: 'word'; value: string }
  | { type: 'op'; value: string }
  | { type: 'redirect'; value: string };

// Longest first, so that `&&` is not read as `&` and `>>` not as `>`.
const REDIRECTS = ['&>>', '<<<', '<<-', '&>', '>>', '>|', '>&', '<&', '<>', '<<', '>', '<'];
const OPERATORS = ['&&', '||', ';;', '|&', ';', '|', '&', '(', ')', '\n'];

export function tokenizeShell(script: string): ShellToken[] {
  const tokens: ShellToken[] = [];
  const heredocs: Array<{ delimiter: string; stripTabs: boolean }> = [];
  let heredocRedirect: string | undefined;
  let word = '';
  let inWord = false;
  let i = 0;

  const flush = () => {
    if (!inWord) return;
    tokens.push({ type: 'word', value: word });
    if (heredocRedirect) heredocs.push({ delimiter: word, stripTabs: heredocRedirect === '<<-' });
    heredocRedirect = undefined;
    word = '';
    inWord = false;
  };

  while (i < script.length) {
    const c = script[i];
    if (c === '\\') {
      if (script[i + 1] !== '\n') word += script[i + 1] ?? '';
      inWord ||= script[i + 1] !== '\n';
      i += 2;
    } else if (c === "'") {
      const end = script.indexOf("'", i + 1);
      const stop = end === -1 ? script.length : end;
      word += script.slice(i + 1, stop);
      inWord = true;
      i = stop + 1;
    } else if (c === '"') {
      const [text, next] = readDoubleQuoted(script, i + 1);
      word += text;
      inWord = true;
      i = next;
    } else if ((c === '$' && (script[i + 1] === '(' || script[i + 1] === '{')) || c === '`') {
      const end = c === '`' ? closingBacktick(script, i + 1) : closingBracket(script, i + 1);
      word += script.slice(i, end);
      inWord = true;
      i = end;
    } else if (c === '#' && !inWord) {
      const newline = script.indexOf('\n', i);
      i = newline === -1 ? script.length : newline;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      flush();
      i++;
    } else {
      const redirect = REDIRECTS.find((r) => script.startsWith(r, i));
      const op = redirect ? undefined : OPERATORS.find((o) => script.startsWith(o, i));
      if (redirect) {
        // `2>` / `2>&1`: digits right before a redirection name a file descriptor, not a word.
        if (inWord && /^\d+$/.test(word)) {
          word = '';
          inWord = false;
        } else {
          flush();
        }
        tokens.push({ type: 'redirect', value: redirect });
        if (redirect === '<<' || redirect === '<<-') heredocRedirect = redirect;
        i += redirect.length;
      } else if (op) {
        flush();
        tokens.push({ type: 'op', value: op });
        i += op.length;
        if (op === '\n' && heredocs.length > 0) i = skipHeredocBodies(script, i, heredocs.splice(0));
      } else {
        word += c;
        inWord = true;
        i++;
      }
    }
  }
  flush();
  return tokens;
}

function readDoubleQuoted(script: string, start: number): [text: string, next: number] {
  let text = '';
  let i = start;
  while (i < script.length && script[i] !== '"') {
    const c = script[i];
    if (c === '\\' && '"\\$`\n'.includes(script[i + 1] ?? '')) {
      if (script[i + 1] !== '\n') text += script[i + 1];
      i += 2;
    } else if ((c === '$' && script[i + 1] === '(') || c === '`') {
      const end = c === '`' ? closingBacktick(script, i + 1) : closingBracket(script, i + 1);
      text += script.slice(i, end);
      i = end;
    } else {
      text += c;
      i++;
    }
  }
  return [text, i + 1];
}

// Index just past the bracket that closes the one at `open` (`(` or `{`), skipping quoted text.
function closingBracket(script: string, open: number): number {
  const [opening, closing] = script[open] === '(' ? ['(', ')'] : ['{', '}'];
  let depth = 0;
  for (let i = open; i < script.length; i++) {
    const c = script[i];
    if (c === '\\') i++;
    else if (c === "'" || c === '"') {
      const end = script.indexOf(c, i + 1);
      if (end === -1) return script.length;
      i = end;
    } else if (c === opening) depth++;
    else if (c === closing && --depth === 0) return i + 1;
  }
  return script.length;
}

function closingBacktick(script: string, start: number): number {
  for (let i = start; i < script.length; i++) {
    if (script[i] === '\\') i++;
    else if (script[i] === '`') return i + 1;
  }
  return script.length;
}

function skipHeredocBodies(script: string, start: number, heredocs: Array<{ delimiter: string; stripTabs: boolean }>): number {
  let i = start;
  for (const { delimiter, stripTabs } of heredocs) {
    while (i < script.length) {
      const newline = script.indexOf('\n', i);
      const end = newline === -1 ? script.length : newline;
      const line = script.slice(i, end);
      i = end + 1;
      if ((stripTabs ? line.replace(/^\t+/, '') : line) === delimiter) break;
    }
  }
  return Math.min(i, script.length);
}
