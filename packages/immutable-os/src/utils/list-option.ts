/**
 * A list option's values: Nx passes `--tags=a,b` from the command line as one string, project.json
 * gives an array; both are split on commas, trimmed, emptied of blanks and duplicates.
 */
export function splitListOption(list: readonly string[] | string | undefined): string[] {
  const items = typeof list === 'string' ? [list] : (list ?? []);
  return [...new Set(items.flatMap((item) => String(item).split(',')).map((v) => v.trim()).filter(Boolean))];
}
