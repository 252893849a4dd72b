/**
 * Vector index port, exact: brute force over a flat Float32Array, memory only. It is the
 * yardstick the HNSW index is measured against (recall), a baseline for speed, and a handy
 * index for tests. Rows are stored L2-normalized, so a dot product is the cosine similarity
 * even when a caller passes a vector that is not quite unit length.
 *
 * A filtered search is the same scan over the rows of matching songs only, so it returns exactly
 * the filtered top k: the reference the approximate index's filtered search is measured against.
 */
import { isRestrictive } from "../../core/catalog/song-filter.js";
import type {
  EmbeddingModel,
  IndexStamp,
  VectorEntry,
  VectorHit,
  VectorIndex,
  VectorSearchOptions,
} from "../../core/ports.js";
import {
  assertId,
  assertSongFilter,
  assertVector,
  clampScore,
  prepareEntries,
  wantedHits,
} from "./common.js";
import { SongAttributeTable } from "./song-attribute-table.js";

export function createExactIndex(): VectorIndex {
  return new ExactVectorIndex();
}

class ExactVectorIndex implements VectorIndex {
  #model: EmbeddingModel | null = null;
  #catalogVersion: number | null = null;
  #dimension = 0;
  /** Row-major, `capacity × dimension`; rows [0, count) are live and packed (removal moves the last row in). */
  #rows = new Float32Array(0);
  #ids: number[] = [];
  /** The song attributes record of each row, parallel to #ids. */
  #rowSong = new Int32Array(0);
  #songs = new SongAttributeTable();
  #rowOf = new Map<number, number>();
  #closed = false;

  async stamp(): Promise<IndexStamp | null> {
    this.#assertOpen();
    if (this.#model === null || this.#catalogVersion === null) return null;
    return {
      model: this.#model.name,
      dimension: this.#model.dimension,
      catalogVersion: this.#catalogVersion,
    };
  }

  async reset(model: EmbeddingModel): Promise<void> {
    this.#assertOpen();
    if (!Number.isInteger(model.dimension) || model.dimension <= 0) {
      throw new RangeError(`model ${model.name} has an invalid dimension ${model.dimension}`);
    }
    this.#model = { name: model.name, dimension: model.dimension };
    this.#dimension = model.dimension;
    this.#catalogVersion = null;
    this.#rows = new Float32Array(0);
    this.#ids = [];
    this.#rowSong = new Int32Array(0);
    this.#songs.clear();
    this.#rowOf.clear();
  }

  async upsert(entries: readonly VectorEntry[]): Promise<void> {
    this.#assertOpen();
    if (entries.length === 0) return;
    const batch = prepareEntries(entries, this.#requireDimension());
    this.#reserve(this.#ids.length + batch.length);
    for (const { id, vector, song } of batch) {
      // Acquired before the old record is released, so a passage that keeps its song keeps its record.
      const slot = this.#songs.acquire(song);
      let row = this.#rowOf.get(id);
      if (row === undefined) {
        row = this.#ids.length;
        this.#ids.push(id);
        this.#rowOf.set(id, row);
      } else {
        this.#songs.release(this.#rowSong[row]!);
      }
      this.#rowSong[row] = slot;
      writeNormalized(vector, this.#rows, row * this.#dimension);
    }
  }

  async remove(ids: readonly number[]): Promise<void> {
    this.#assertOpen();
    for (const id of ids) assertId(id);
    const dimension = this.#dimension;
    for (const id of ids) {
      const row = this.#rowOf.get(id);
      if (row === undefined) continue;
      this.#songs.release(this.#rowSong[row]!);
      const last = this.#ids.length - 1;
      if (row !== last) {
        const movedId = this.#ids[last]!;
        this.#rows.copyWithin(row * dimension, last * dimension, (last + 1) * dimension);
        this.#ids[row] = movedId;
        this.#rowSong[row] = this.#rowSong[last]!;
        this.#rowOf.set(movedId, row);
      }
      this.#ids.pop();
      this.#rowOf.delete(id);
    }
  }

  async search(vector: Float32Array, k: number, options: VectorSearchOptions = {}): Promise<VectorHit[]> {
    this.#assertOpen();
    const count = this.#ids.length;
    let wanted = wantedHits(k, count);
    const filter = options.filter;
    assertSongFilter(filter);
    if (this.#model === null) return [];
    assertVector(vector, this.#dimension, "query");
    const accepted = isRestrictive(filter) ? this.#songs.match(filter) : null;
    if (accepted !== null) wanted = Math.min(wanted, accepted.passages);
    if (wanted === 0) return [];

    const dimension = this.#dimension;
    const query = new Float32Array(dimension);
    writeNormalized(vector, query, 0);
    const top = new TopK(wanted);
    const rows = this.#rows;
    if (accepted === null) {
      for (let row = 0; row < count; row++) {
        const score = dot(query, rows, row * dimension, dimension);
        if (top.accepts(score)) top.push(score, row);
      }
    } else {
      const rowSong = this.#rowSong;
      const songs = accepted.accepted;
      for (let row = 0; row < count; row++) {
        if (songs[rowSong[row]!] !== 1) continue;
        const score = dot(query, rows, row * dimension, dimension);
        if (top.accepts(score)) top.push(score, row);
      }
    }
    return top
      .entries()
      .map(({ score, row }) => ({
        id: this.#ids[row]!,
        songId: this.#songs.attributes(this.#rowSong[row]!).songId,
        score: clampScore(score),
      }))
      .sort((a, b) => b.score - a.score || a.id - b.id);
  }

  async size(): Promise<number> {
    this.#assertOpen();
    return this.#ids.length;
  }

  async commit(catalogVersion: number): Promise<void> {
    this.#assertOpen();
    if (this.#model === null) throw new Error("commit before reset: the index does not know its model");
    this.#catalogVersion = catalogVersion;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#rows = new Float32Array(0);
    this.#ids = [];
    this.#rowSong = new Int32Array(0);
    this.#songs.clear();
    this.#rowOf.clear();
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error("vector index is closed");
  }

  #requireDimension(): number {
    if (this.#model === null) throw new Error("upsert before reset: the index does not know its model");
    return this.#dimension;
  }

  /** Doubling keeps a streamed rebuild at amortized O(1) copies per row. */
  #reserve(rows: number): void {
    const needed = rows * this.#dimension;
    if (needed <= this.#rows.length) return;
    const grown = new Float32Array(Math.max(needed, this.#rows.length * 2, 1024 * this.#dimension));
    grown.set(this.#rows.subarray(0, this.#ids.length * this.#dimension));
    this.#rows = grown;
    const rowSong = new Int32Array(grown.length / this.#dimension);
    rowSong.set(this.#rowSong.subarray(0, this.#ids.length));
    this.#rowSong = rowSong;
  }
}

function writeNormalized(source: Float32Array, target: Float32Array, offset: number): void {
  let norm = 0;
  for (let i = 0; i < source.length; i++) norm += source[i]! * source[i]!;
  // A zero vector has no direction; storing it as is gives it similarity 0 to everything.
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < source.length; i++) target[offset + i] = source[i]! * scale;
}

/** Four independent accumulators let V8 overlap the multiply-adds instead of chaining on one sum. */
function dot(query: Float32Array, rows: Float32Array, offset: number, dimension: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < dimension; i += 4) {
    s0 += query[i]! * rows[offset + i]!;
    s1 += query[i + 1]! * rows[offset + i + 1]!;
    s2 += query[i + 2]! * rows[offset + i + 2]!;
    s3 += query[i + 3]! * rows[offset + i + 3]!;
  }
  for (; i < dimension; i++) s0 += query[i]! * rows[offset + i]!;
  return s0 + s1 + s2 + s3;
}

/**
 * Partial selection: a min-heap of the best k seen so far, so a scan costs O(n log k) and the
 * common case (a score below the current k-th best) is one comparison.
 */
class TopK {
  readonly #scores: Float64Array;
  readonly #rows: Int32Array;
  #size = 0;

  constructor(readonly capacity: number) {
    this.#scores = new Float64Array(capacity);
    this.#rows = new Int32Array(capacity);
  }

  accepts(score: number): boolean {
    return this.#size < this.capacity || score > this.#scores[0]!;
  }

  push(score: number, row: number): void {
    if (this.#size < this.capacity) {
      let i = this.#size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (this.#scores[parent]! <= score) break;
        this.#scores[i] = this.#scores[parent]!;
        this.#rows[i] = this.#rows[parent]!;
        i = parent;
      }
      this.#scores[i] = score;
      this.#rows[i] = row;
      return;
    }
    let i = 0;
    const size = this.#size;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= size) break;
      const right = left + 1;
      const child = right < size && this.#scores[right]! < this.#scores[left]! ? right : left;
      if (this.#scores[child]! >= score) break;
      this.#scores[i] = this.#scores[child]!;
      this.#rows[i] = this.#rows[child]!;
      i = child;
    }
    this.#scores[i] = score;
    this.#rows[i] = row;
  }

  /** In heap order; the caller sorts, breaking ties by id so results do not depend on row layout. */
  entries(): { score: number; row: number }[] {
    const out: { score: number; row: number }[] = [];
    for (let i = 0; i < this.#size; i++) out.push({ score: this.#scores[i]!, row: this.#rows[i]! });
    return out;
  }
}
