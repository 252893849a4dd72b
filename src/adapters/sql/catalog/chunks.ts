/** Rows per multi-row INSERT (and values per IN list), well under every dialect's bound-parameter limit. */
export const ROWS_PER_STATEMENT = 200;

export function chunks<T>(items: readonly T[], size: number = ROWS_PER_STATEMENT): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
