/**
 * Restrictions on song metadata, and the song attributes they are checked against. One shape
 * for every place a filter applies: the vector index (embedded adapters check it in memory,
 * Elasticsearch/OpenSearch translate it into their query), the full-text signal (SQL WHERE),
 * and the HTTP API. Semantics, the same everywhere:
 *  - every given condition must hold (AND); an absent condition holds for every song;
 *  - language and genre compare case-insensitively (both are stored lower-case);
 *  - a range holds when min ≤ value ≤ max (either bound may be absent);
 *  - a song whose attribute is unknown (null) fails every condition on that attribute.
 */
import type { Song } from "./song.js";

/** Audio features a filter may take a range of. */
export const filterableFeatures = [
  "danceability",
  "energy",
  "valence",
  "tempo",
  "acousticness",
  "instrumentalness",
  "speechiness",
  "liveness",
] as const;

export type FilterableFeature = (typeof filterableFeatures)[number];

export interface NumericRange {
  min?: number;
  max?: number;
}

export type SongFilter = {
  /** ISO 639-1 code, e.g. "en", "es". */
  language?: string;
  genre?: string;
  /** Release year. */
  year?: NumericRange;
} & { [F in FilterableFeature]?: NumericRange };

/** What a filter is checked against: stored with every indexed passage. */
export type SongAttributes = {
  songId: string;
  language: string | null;
  genre: string | null;
  year: number | null;
} & { [F in FilterableFeature]: number | null };

const lower = (value: string | null): string | null => (value === null ? null : value.trim().toLowerCase());

/** The year of a release date such as "2019", "2019-05" or "2019-05-17". */
export function releaseYear(releaseDate: string | null): number | null {
  const match = releaseDate === null ? null : /^(\d{4})/.exec(releaseDate.trim());
  return match ? Number(match[1]) : null;
}

export function songAttributes(song: Song): SongAttributes {
  const attributes = {
    songId: song.id,
    language: lower(song.language),
    genre: lower(song.genre),
    year: releaseYear(song.releaseDate),
  } as SongAttributes;
  for (const feature of filterableFeatures) attributes[feature] = song.features[feature];
  return attributes;
}

/** Attributes of a song known by id only (every condition on them fails). */
export function unknownAttributes(songId: string): SongAttributes {
  const attributes = { songId, language: null, genre: null, year: null } as SongAttributes;
  for (const feature of filterableFeatures) attributes[feature] = null;
  return attributes;
}

const inRange = (value: number | null, range: NumericRange | undefined): boolean =>
  range === undefined ||
  (value !== null &&
    (range.min === undefined || value >= range.min) &&
    (range.max === undefined || value <= range.max));

export function matchesSongFilter(attributes: SongAttributes, filter: SongFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.language !== undefined && attributes.language !== filter.language.toLowerCase()) return false;
  if (filter.genre !== undefined && attributes.genre !== filter.genre.toLowerCase()) return false;
  if (!inRange(attributes.year, filter.year)) return false;
  return filterableFeatures.every((feature) => inRange(attributes[feature], filter[feature]));
}

/** Whether the filter restricts anything at all (an empty object does not). */
export function isRestrictive(filter: SongFilter | undefined): filter is SongFilter {
  if (!filter) return false;
  return (
    filter.language !== undefined ||
    filter.genre !== undefined ||
    filter.year !== undefined ||
    filterableFeatures.some((feature) => filter[feature] !== undefined)
  );
}

/** The same filter in a canonical form: lower-case text, no empty ranges; part of cache keys. */
export function normalizeSongFilter(filter: SongFilter | undefined): SongFilter | undefined {
  if (!isRestrictive(filter)) return undefined;
  const out: SongFilter = {};
  if (filter.language !== undefined) out.language = filter.language.trim().toLowerCase();
  if (filter.genre !== undefined) out.genre = filter.genre.trim().toLowerCase();
  const range = (r: NumericRange | undefined): NumericRange | undefined =>
    r === undefined || (r.min === undefined && r.max === undefined)
      ? undefined
      : { ...(r.min !== undefined ? { min: r.min } : {}), ...(r.max !== undefined ? { max: r.max } : {}) };
  const year = range(filter.year);
  if (year) out.year = year;
  for (const feature of filterableFeatures) {
    const r = range(filter[feature]);
    if (r) out[feature] = r;
  }
  return isRestrictive(out) ? out : undefined;
}
