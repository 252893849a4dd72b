/**
 * A song filter (src/core/catalog/song-filter.ts) as a SQL condition on the songs table, with
 * the same semantics as matchesSongFilter: every condition must hold, text compares
 * case-insensitively, ranges are inclusive, and an unknown (null) value fails its condition
 * (SQL's comparisons with NULL are never true, which is exactly that).
 */
import { sql, type RawBuilder } from "kysely";
import {
  filterableFeatures,
  normalizeSongFilter,
  type NumericRange,
  type SongFilter,
} from "../../core/catalog/song-filter.js";

const column = (alias: string, name: string) => sql.ref(`${alias}.${name}`);

function range(ref: RawBuilder<unknown>, r: NumericRange): RawBuilder<unknown>[] {
  return [
    ...(r.min !== undefined ? [sql`${ref} >= ${r.min}`] : []),
    ...(r.max !== undefined ? [sql`${ref} <= ${r.max}`] : []),
  ];
}

/** `TRUE`-equivalent when there is nothing to filter on. */
export function songFilterCondition(filter: SongFilter | undefined, alias = "songs"): RawBuilder<boolean> {
  const normalized = normalizeSongFilter(filter);
  if (!normalized) return sql<boolean>`1 = 1`;
  const conditions: RawBuilder<unknown>[] = [];
  if (normalized.language !== undefined)
    conditions.push(sql`lower(${column(alias, "language")}) = ${normalized.language}`);
  if (normalized.genre !== undefined)
    conditions.push(sql`lower(${column(alias, "genre")}) = ${normalized.genre}`);
  if (normalized.year) conditions.push(...range(column(alias, "release_year") as never, normalized.year));
  for (const feature of filterableFeatures) {
    const r = normalized[feature];
    if (r) conditions.push(...range(column(alias, feature) as never, r));
  }
  return sql<boolean>`(${sql.join(conditions, sql` AND `)})`;
}
