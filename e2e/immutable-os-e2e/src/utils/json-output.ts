/**
 * The JSON object a task printed, found in nx's output around it (the task header and the run
 * summary): the first line that starts with "{" and begins a whole JSON object.
 */
export function findJsonObject<T = any>(text: string): T {
  const lines = text.split('\n');
  for (let start = 0; start < lines.length; start++) {
    if (!lines[start].trimStart().startsWith('{')) continue;
    for (let end = start; end < lines.length; end++) {
      if (!lines[end].trimEnd().endsWith('}')) continue;
      try {
        return JSON.parse(lines.slice(start, end + 1).join('\n')) as T;
      } catch {
        // Not complete yet (or not JSON): read on.
      }
    }
  }
  throw new Error(`No JSON object in this output:\n${text}`);
}
