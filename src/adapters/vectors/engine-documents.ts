/**
 * What Elasticsearch and OpenSearch share: one document per passage (its vector and its song's
 * attributes as keyword and number fields), the song filter as a query of those fields, and the
 * stamp kept in the index mapping's `_meta`. Both engines read the same query DSL for these.
 */
import {
  filterableFeatures,
  type NumericRange,
  type SongAttributes,
  type SongFilter,
} from "../../core/catalog/song-filter.js";
import type { EmbeddingModel } from "../../core/ports.js";

export const VECTOR_FIELD = "vector";
export const SONG_ID_FIELD = "song_id";

/**
 * Mapping of everything but the vector. `double` for the features, so that a bound compares with
 * the value exactly as the embedded indexes compare (a float field would round both to float32).
 * Missing (null) values are not indexed, so they fail every term and range, as the filter says.
 */
export function attributeProperties(): Record<string, { type: string }> {
  const properties: Record<string, { type: string }> = {
    [SONG_ID_FIELD]: { type: "keyword" },
    language: { type: "keyword" },
    genre: { type: "keyword" },
    year: { type: "integer" },
  };
  for (const feature of filterableFeatures) properties[feature] = { type: "double" };
  return properties;
}

export function passageDocument(vector: readonly number[], song: SongAttributes): Record<string, unknown> {
  const document: Record<string, unknown> = {
    [VECTOR_FIELD]: vector,
    [SONG_ID_FIELD]: song.songId,
    language: song.language,
    genre: song.genre,
    year: song.year,
  };
  for (const feature of filterableFeatures) document[feature] = song[feature];
  return document;
}

/** The filter as the engines' query DSL, with the semantics of matchesSongFilter. */
export function filterQuery(filter: SongFilter): { bool: { filter: object[] } } {
  const clauses: object[] = [];
  if (filter.language !== undefined) clauses.push({ term: { language: filter.language.toLowerCase() } });
  if (filter.genre !== undefined) clauses.push({ term: { genre: filter.genre.toLowerCase() } });
  const range = (field: string, bounds: NumericRange | undefined) => {
    if (bounds === undefined) return;
    // A range without bounds still requires the value to be known.
    if (bounds.min === undefined && bounds.max === undefined) clauses.push({ exists: { field } });
    else {
      clauses.push({
        range: {
          [field]: {
            ...(bounds.min !== undefined ? { gte: bounds.min } : {}),
            ...(bounds.max !== undefined ? { lte: bounds.max } : {}),
          },
        },
      });
    }
  };
  range("year", filter.year);
  for (const feature of filterableFeatures) range(feature, filter[feature]);
  return { bool: { filter: clauses } };
}

/** Version of the index layout (fields, mapping); an index of another layout is rebuilt. */
export const INDEX_LAYOUT = 1;

/** What the mapping's `_meta.verso` holds: the model always, the catalog version once committed. */
export interface IndexMeta {
  layout: number;
  model: string;
  dimension: number;
  /** null from reset until the first commit, and again from the first write after a commit. */
  catalogVersion: number | null;
}

export function metaFor(model: EmbeddingModel, catalogVersion: number | null): { verso: IndexMeta } {
  return { verso: { layout: INDEX_LAYOUT, model: model.name, dimension: model.dimension, catalogVersion } };
}

/**
 * The `_meta.verso` of a mapping, or null when the index has none (not made by Verso) or one
 * of another layout; `undefined` values and wrong types count as none.
 */
export function readMeta(meta: unknown): IndexMeta | null {
  const verso = (meta as { verso?: Partial<IndexMeta> } | null | undefined)?.verso;
  if (typeof verso !== "object" || verso === null) return null;
  if (
    verso.layout !== INDEX_LAYOUT ||
    typeof verso.model !== "string" ||
    !Number.isInteger(verso.dimension) ||
    (verso.dimension as number) <= 0 ||
    (verso.catalogVersion !== null && !Number.isSafeInteger(verso.catalogVersion))
  ) {
    return null;
  }
  return verso as IndexMeta;
}

/** The song id an engine returned with a hit, from `fields` (an array) or `_source`. */
export function hitSongId(hit: {
  fields?: Record<string, unknown>;
  _source?: Record<string, unknown>;
}): string | null {
  const fromFields = hit.fields?.[SONG_ID_FIELD];
  const value = Array.isArray(fromFields) ? fromFields[0] : hit._source?.[SONG_ID_FIELD];
  return typeof value === "string" ? value : null;
}
