/**
 * Input checks shared by the vector index adapters, so that every adapter rejects the same bad
 * input the same way (the contract suite holds them to it).
 */
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
