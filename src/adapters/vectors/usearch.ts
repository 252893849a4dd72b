/**
 * Vector index port, embedded: HNSW graphs (usearch), one per song language, in memory,
 * persisted beside the database as a snapshot (usearch-snapshot.ts: the graphs, their passages'
 * song attributes, and a sidecar holding its IndexStamp).
 *
 * When it saves. The SQL database is the source of truth; the snapshot only saves a rebuild at
 * start, and must never claim a catalog version whose data it does not hold. So:
 *  - A snapshot is taken only at a clean point: a commit has happened and nothing was upserted,
 *    removed or reset since, so the graph is exactly what that commit described.
 *  - Saving costs a full write (~35 MB for 16k passages, gigabytes at a million) on the calling
 *    thread (served, that is the index's own: usearch-thread.ts), and searches wait for it, so
 *    a running ingest that commits every few hundred rows must not save each time: a
 *    commit saves at once only when the last save is old enough; otherwise a trailing timer
 *    saves later, if the index is still at a clean point (else the next commit does). Old
 *    enough is `saveIntervalMs`, or `saveSpacing` (1,000) times what the last save took if that
 *    is longer: saves hold searches 0.1 % of the time at most, however large the graph, below
 *    what an ask's p99 sees (at 1 %, an ask in a hundred waited for a whole save). A snapshot
 *    loaded at start counts as a save as long as its load took. close()
 *    saves a clean, unsaved commit. What a crash loses is the commits since the last save: the
 *    sidecar then holds an older version, stale but true, and start-up catches up from the
 *    catalog's change log.
 *  - reset() does not touch the disk: the previous snapshot still describes its own file
 *    truthfully (its model or version just won't match, so start-up rebuilds).
 *
 * Threads. usearch add/search are synchronous native calls, so from one JavaScript thread they
 * never overlap: a search issued "during" an ingest runs between two batches. Inside one call,
 * usearch fans out to `threads` native threads, each borrowing one of a fixed set of per-thread
 * contexts; that set is sized when capacity grows (to the `threads` of the growing add) or to the
 * hardware concurrency on load. A call that needs more contexts than exist fails ("Reserve
 * capacity ahead…") rather than racing, so one thread count, never above the machine's, is used
 * for every call. Capacity growth itself is handled by the binding: an add that would overflow
 * reserves the next power of two first.
 *
 * Search. Each song language has a graph of its own (usearch-graphs.ts); how a search, with a
 * filter or without, goes through them is usearch-search.ts.
 */
import { Index, MetricKind, ScalarKind } from "usearch";
import type { SongAttributes } from "../../core/catalog/song-filter.js";
import type {
  EmbeddingModel,
  IndexStamp,
  VectorEntry,
  VectorHit,
  VectorIndex,
  VectorSearchOptions,
} from "../../core/ports.js";
import { assertId, assertSongFilter, assertVector, prepareEntries, wantedHits } from "./common.js";
import { SongAttributeTable } from "./song-attribute-table.js";
import { LanguageGraphs, type GraphLanguage } from "./usearch-graphs.js";
import { searchGraphs } from "./usearch-search.js";
import {
  usearchSettings,
  type UsearchIndexOptions,
  type UsearchQuantization,
  type UsearchSettings,
} from "./usearch-options.js";
import { UsearchSnapshots } from "./usearch-snapshot.js";

export {
  USEARCH_FILTER_DEFAULTS,
  USEARCH_GRAPH_DEFAULTS,
  type UsearchFilterOptions,
  type UsearchGraphOptions,
  type UsearchIndexOptions,
  type UsearchQuantization,
} from "./usearch-options.js";

export interface UsearchVectorIndex extends VectorIndex {
  /** Saves now if the last commit is not on disk yet and the index is still at that commit. */
  flush(): Promise<void>;
}

/**
 * Entries per native add call: enough to keep every thread busy, few enough to stay responsive.
 * The time budget is checked between calls only, so a call is the longest the loop is held: 20,000
 * random 512-d vectors added 32 at a time took 36 ms per call (p50; max 106 ms), 8 at a time
 * 7.9 ms (max 18 ms) and no more in all (18.9 s against 20.7 s), on 2 cores.
 */
const UPSERT_SLICE = 8;
/** Ids per native remove call: 16 took 5–6 ms (1,000 took 350 ms) at 50,000 nodes of 512 dimensions. */
const REMOVE_SLICE = 16;
/**
 * Below this many nodes inserts go one at a time. Nodes inserted side by side
 * into a graph of a few dozen can miss each other and stay reachable from too few neighbours:
 * on 60 random vectors, 2 threads lost an exact top-5 neighbour in 6 of 300 graphs, 1 thread in
 * none. From a thousand nodes on the graph has the links to absorb it (0 of 40 at 1,000).
 */
const SEQUENTIAL_BELOW = 1024;

export async function createUsearchIndex(options: UsearchIndexOptions): Promise<UsearchVectorIndex> {
  const index = new UsearchIndex(options);
  await index.open();
  return index;
}

class UsearchIndex implements UsearchVectorIndex {
  readonly #settings: UsearchSettings;
  /** Null while the index lives in memory only. */
  readonly #snapshots: UsearchSnapshots | null;

  #graphs: LanguageGraphs | null = null;
  /** The song attributes of every passage in #graphs: a record per song, a slot per passage. */
  #songs = new SongAttributeTable();
  #songOf = new Map<number, number>();
  #model: EmbeddingModel | null = null;
  #committed: IndexStamp | null = null;
  /** Bumped by every upsert, remove and reset; equal to #mutationsAtCommit at a clean point. */
  #mutations = 0;
  /** Bumped by every reset: a slice of a long upsert must not land in the graphs of another model. */
  #resets = 0;
  #mutationsAtCommit = -1;
  /** Bumped by every commit; equal to #savedCommits when the last commit is on disk. */
  #commits = 0;
  #savedCommits = 0;
  #lastSaveAt = Number.NEGATIVE_INFINITY;
  /** How long the last save took, in ms. */
  #lastSaveMs = 0;
  #timer: NodeJS.Timeout | null = null;
  #saving: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(options: UsearchIndexOptions) {
    const settings = usearchSettings(options);
    this.#settings = settings;
    this.#snapshots =
      settings.directory === null
        ? null
        : new UsearchSnapshots({
            directory: settings.directory,
            fileName: settings.fileName,
            graph: settings.graph,
            newNative: (dimension) => this.#newNative(dimension),
            warn: settings.warn,
          });
  }

  async open(): Promise<void> {
    if (this.#snapshots === null) return;
    const loadStart = performance.now();
    const snapshot = await this.#snapshots.load();
    if (snapshot !== null) {
      // What is on disk is as new as a save just made, and a save costs about what the load did:
      // the first commit after a start (often of a long re-ingest) must not stall to save it again.
      this.#lastSaveAt = performance.now();
      this.#lastSaveMs = this.#lastSaveAt - loadStart;
      this.#graphs = new LanguageGraphs(() => this.#newNative(snapshot.stamp.dimension), snapshot.graphs);
      this.#songs = snapshot.table;
      this.#songOf = snapshot.songOf;
      this.#model = { name: snapshot.stamp.model, dimension: snapshot.stamp.dimension };
      this.#committed = { ...snapshot.stamp };
      this.#mutationsAtCommit = this.#mutations;
    }
    await this.#snapshots.removeStaleFiles();
  }

  async stamp(): Promise<IndexStamp | null> {
    this.#assertOpen();
    return this.#committed === null ? null : { ...this.#committed };
  }

  async reset(model: EmbeddingModel): Promise<void> {
    this.#assertOpen();
    if (!Number.isInteger(model.dimension) || model.dimension <= 0) {
      throw new RangeError(`model ${model.name} has an invalid dimension ${model.dimension}`);
    }
    this.#mutations++;
    this.#resets++;
    this.#model = { name: model.name, dimension: model.dimension };
    this.#committed = null;
    this.#graphs = new LanguageGraphs(() => this.#newNative(model.dimension));
    this.#songs = new SongAttributeTable();
    this.#songOf = new Map();
  }

  async upsert(entries: readonly VectorEntry[]): Promise<void> {
    this.#assertOpen();
    if (entries.length === 0) return;
    const graphs = this.#requireGraphs("upsert");
    const batch = prepareEntries(entries, this.#model!.dimension);
    // An HNSW insert costs ~0.5–4 ms of CPU (graph search at expansionAdd), all of it on the
    // calling thread; a rebuild batch of 1,000 in one call would hold every search for seconds.
    await this.#inSlices("an upsert", batch, UPSERT_SLICE, (slice) => this.#insert(graphs, slice));
  }

  /**
   * Runs `step` over `items` a slice at a time, ending its turn between slices whenever the
   * time budget is spent, or at once while an answer is being made.
   */
  async #inSlices<T>(
    what: string,
    items: readonly T[],
    size: number,
    step: (slice: readonly T[]) => void,
  ): Promise<void> {
    const { background, upsertBudgetMs } = this.#settings;
    const resets = this.#resets;
    let budgetStart = performance.now();
    for (let start = 0; start < items.length; start += size) {
      if (start > 0 && (background.busy || performance.now() - budgetStart > upsertBudgetMs)) {
        await background.turn();
        if (this.#resets !== resets || this.#closed) {
          throw new Error(`the index was reset or closed while ${what} was running`);
        }
        budgetStart = performance.now();
      }
      step(items.slice(start, start + size));
    }
  }

  #insert(graphs: LanguageGraphs, slice: readonly VectorEntry[]): void {
    this.#mutations++;
    // usearch refuses a key it already holds, so a replacement is a removal then an insertion
    // (into the graph of the passage's language now, which may be another one).
    this.#removeFromGraphs(slice.map((entry) => entry.id));
    const byLanguage = new Map<GraphLanguage, VectorEntry[]>();
    for (const entry of slice) {
      const group = byLanguage.get(entry.song.language);
      if (group === undefined) byLanguage.set(entry.song.language, [entry]);
      else group.push(entry);
    }
    for (const [language, group] of byLanguage) this.#add(graphs.graphOf(language), group);
    for (const { id, song } of slice) this.#assignSong(id, song);
  }

  #add(native: Index, entries: readonly VectorEntry[]): void {
    const dimension = native.dimensions();
    const keys = BigUint64Array.from(entries, (entry) => BigInt(entry.id));
    const matrix = new Float32Array(entries.length * dimension);
    entries.forEach((entry, i) => matrix.set(entry.vector, i * dimension));
    if (native.size() >= SEQUENTIAL_BELOW) native.add(keys, matrix, this.#settings.threads);
    else {
      // One key per call rather than one thread: a call that grows the capacity sizes the
      // per-thread contexts to its thread count, which later calls then need.
      for (let i = 0; i < keys.length; i++) {
        native.add(
          keys.subarray(i, i + 1),
          matrix.subarray(i * dimension, (i + 1) * dimension),
          this.#settings.threads,
        );
      }
    }
  }

  /** Takes passages out of the graphs that hold them; their song records stay. */
  #removeFromGraphs(ids: readonly number[]): void {
    const byGraph = new Map<Index, bigint[]>();
    for (const id of ids) {
      const slot = this.#songOf.get(id);
      if (slot === undefined) continue;
      const graph = this.#graphs?.get(this.#songs.attributes(slot).language);
      if (graph === undefined) continue;
      const keys = byGraph.get(graph);
      if (keys === undefined) byGraph.set(graph, [BigInt(id)]);
      else keys.push(BigInt(id));
    }
    for (const [graph, keys] of byGraph) graph.remove(BigUint64Array.from(keys));
  }

  /** Acquired before the old record is released, so a passage that keeps its song keeps its record. */
  #assignSong(id: number, song: SongAttributes): void {
    const slot = this.#songs.acquire(song);
    const previous = this.#songOf.get(id);
    if (previous !== undefined) this.#songs.release(previous);
    this.#songOf.set(id, slot);
  }

  async remove(ids: readonly number[]): Promise<void> {
    this.#assertOpen();
    for (const id of ids) assertId(id);
    if (ids.length === 0 || this.#songOf.size === 0) return;
    // Removing a node relinks its neighbours: ~0.35 ms each at 50,000 nodes of 512 dimensions.
    await this.#inSlices("a removal", ids, REMOVE_SLICE, (slice) => {
      this.#mutations++;
      this.#removeFromGraphs(slice);
      for (const id of slice) {
        const slot = this.#songOf.get(id);
        if (slot === undefined) continue;
        this.#songs.release(slot);
        this.#songOf.delete(id);
      }
    });
  }

  async search(vector: Float32Array, k: number, options: VectorSearchOptions = {}): Promise<VectorHit[]> {
    this.#assertOpen();
    const wanted = wantedHits(k, this.#songOf.size);
    assertSongFilter(options.filter);
    if (this.#graphs === null) return [];
    assertVector(vector, this.#model!.dimension, "query");
    if (wanted === 0) return [];
    return searchGraphs(
      { graphs: this.#graphs, songs: this.#songs, songOf: this.#songOf, filter: this.#settings.filter },
      vector,
      wanted,
      options.filter,
    );
  }

  async size(): Promise<number> {
    this.#assertOpen();
    return this.#songOf.size;
  }

  async commit(catalogVersion: number): Promise<void> {
    this.#assertOpen();
    if (!Number.isSafeInteger(catalogVersion)) {
      throw new RangeError(`catalog version must be a safe integer, got ${catalogVersion}`);
    }
    const model = this.#model;
    if (model === null) throw new Error("commit before reset: the index does not know its model");
    this.#committed = { model: model.name, dimension: model.dimension, catalogVersion };
    this.#mutationsAtCommit = this.#mutations;
    this.#commits++;
    if (this.#snapshots === null) return;
    if (performance.now() - this.#lastSaveAt >= this.#saveInterval()) await this.#enqueueSave();
    else this.#scheduleSave();
  }

  async flush(): Promise<void> {
    this.#assertOpen();
    await this.#enqueueSave();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#enqueueSave();
    if (this.#snapshots !== null && this.#mutations !== this.#mutationsAtCommit) {
      this.#settings.warn(
        "closed with changes made after the last commit: they are not saved, and the snapshot on disk " +
          "keeps its older stamp (start-up rebuilds if the catalog has moved on)",
      );
    }
    this.#closed = true;
    this.#graphs = null;
    this.#songs = new SongAttributeTable();
    this.#songOf = new Map();
  }

  // ── saving ──────────────────────────────────────────────────────────────────────────────

  #scheduleSave(): void {
    if (this.#timer !== null) return;
    const wait = Math.max(0, this.#lastSaveAt + this.#saveInterval() - performance.now());
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#enqueueSave();
    }, wait);
    // A pending save must not keep a finished process alive; close() saves anyway.
    this.#timer.unref();
  }

  #saveInterval(): number {
    return Math.max(this.#settings.saveIntervalMs, this.#lastSaveMs * this.#settings.saveSpacing);
  }

  /** Saves run one at a time, so generations are switched and deleted in order. */
  #enqueueSave(): Promise<void> {
    this.#saving = this.#saving.then(() => this.#save());
    return this.#saving;
  }

  async #save(): Promise<void> {
    if (this.#snapshots === null || this.#closed || this.#commits === this.#savedCommits) return;
    const stamp = this.#committed;
    // Not at a clean point: keep the older snapshot, which is still true; a later commit saves.
    if (stamp === null || this.#mutations !== this.#mutationsAtCommit) return;
    const commits = this.#commits;
    this.#lastSaveAt = performance.now();
    const saved = await this.#snapshots.save(stamp, this.#graphs, {
      table: this.#songs,
      songOf: this.#songOf,
    });
    this.#lastSaveMs = performance.now() - this.#lastSaveAt;
    if (saved) this.#savedCommits = commits;
  }

  // ── helpers ───────────────────────────────────────────────────────────────────────────────

  #newNative(dimension: number): Index {
    return new Index({
      dimensions: dimension,
      metric: MetricKind.Cos,
      quantization: quantizationKind(this.#settings.graph.quantization),
      connectivity: this.#settings.graph.connectivity,
      expansion_add: this.#settings.graph.expansionAdd,
      expansion_search: this.#settings.graph.expansionSearch,
      multi: false,
    });
  }

  #requireGraphs(operation: string): LanguageGraphs {
    if (this.#graphs === null)
      throw new Error(`${operation} before reset: the index does not know its model`);
    return this.#graphs;
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error("vector index is closed");
  }
}

function quantizationKind(quantization: UsearchQuantization): ScalarKind {
  switch (quantization) {
    case "f32":
      return ScalarKind.F32;
    case "f16":
      return ScalarKind.F16;
    case "bf16":
      return ScalarKind.BF16;
    case "i8":
      return ScalarKind.I8;
  }
}
