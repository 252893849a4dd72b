/**
 * Input checks shared by the vector index adapters, so that every adapter rejects the same bad
 * input the same way (the contract suite holds them to it).
 */
import { filterableFeatures, type SongAttributes, type SongFilter } from "../../core/catalog/song-filter.js";
import type { VectorEntry } from "../../core/ports.js";

/**
 * Ids become unsigned 64-bit keys in usearch; a negative or fractional number would wrap or be
 * truncated into another passage's key, so it is refused rather than converted.
 */
export function assertId(id: number): void {
  if (!Number.isSafeInteger(id) || id < 0) {
    throw new RangeError(`vector id must be a non-negative safe integer, got ${String(id)}`);
  }
}

/** One NaN in an HNSW graph poisons every distance computed through that node, so check up front. */
export function assertVector(vector: Float32Array, dimension: number, what: string): void {
  if (vector.length !== dimension) {
    throw new RangeError(`${what} has ${vector.length} dimensions, the index holds ${dimension}`);
  }
  for (let i = 0; i < vector.length; i++) {
    if (!Number.isFinite(vector[i])) throw new RangeError(`${what} has a non-finite component at ${i}`);
  }
}

/**
 * Validates a whole batch before anything is changed, so a bad entry leaves the index as it
 * was; when an id repeats, the last entry wins, as if the upserts had been applied in order.
 */
export function prepareBatch(entries: readonly VectorEntry[], dimension: number): VectorEntry[] {
  const byId = new Map<number, VectorEntry>();
  for (const entry of entries) {
    assertId(entry.id);
    assertVector(entry.vector, dimension, `vector ${entry.id}`);
    byId.delete(entry.id);
    byId.set(entry.id, entry);
  }
  return [...byId.values()];
}

/** How many hits a search may return; 0 means none, anything else non-integral is a caller bug. */
export function wantedHits(k: number, size: number): number {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a non-negative integer, got ${k}`);
  return Math.min(k, size);
}

/** Cosine similarity computed in float32 can stray a hair outside [-1, 1]; callers rely on the range. */
export function clampScore(score: number): number {
  return score > 1 ? 1 : score < -1 ? -1 : score;
}

/**
 * A filter is checked against stored attributes, and the remote adapters send the song id and
 * attributes to a server, so a malformed record is refused before it is stored anywhere: a
 * NaN year would silently fail every range, a non-string genre would never match again.
 */
export function assertSongAttributes(song: SongAttributes, what: string): void {
  if (typeof song !== "object" || song === null) throw new RangeError(`${what} has no song attributes`);
  if (typeof song.songId !== "string" || song.songId.length === 0) {
    throw new RangeError(`${what} has no song id`);
  }
  for (const key of ["language", "genre"] as const) {
    const value = song[key];
    if (value !== null && typeof value !== "string") throw new RangeError(`${what} has a non-text ${key}`);
  }
  for (const key of ["year", ...filterableFeatures] as const) {
    const value = song[key];
    if (value !== null && !(typeof value === "number" && Number.isFinite(value))) {
      throw new RangeError(`${what} has a ${key} that is neither a finite number nor null`);
    }
  }
}

/** A bound that is not a finite number would match nothing in memory and be refused by a server. */
export function assertSongFilter(filter: SongFilter | undefined): void {
  if (filter === undefined) return;
  if (typeof filter !== "object" || filter === null) throw new RangeError("a song filter must be an object");
  for (const key of ["language", "genre"] as const) {
    const value = filter[key];
    if (value !== undefined && typeof value !== "string") throw new RangeError(`filter ${key} must be text`);
  }
  for (const key of ["year", ...filterableFeatures] as const) {
    const range = filter[key];
    if (range === undefined) continue;
    if (typeof range !== "object" || range === null) throw new RangeError(`filter ${key} must be a range`);
    for (const bound of ["min", "max"] as const) {
      const value = range[bound];
      if (value !== undefined && !(typeof value === "number" && Number.isFinite(value))) {
        throw new RangeError(`filter ${key}.${bound} must be a finite number`);
      }
    }
  }
}

/** Entries with their song attributes checked too: what every adapter of the new port stores. */
export function prepareEntries(entries: readonly VectorEntry[], dimension: number): VectorEntry[] {
  for (const entry of entries) assertSongAttributes(entry.song, `vector ${String(entry.id)}`);
  return prepareBatch(entries, dimension);
}
