/**
 * Vector index port, embedded: an HNSW graph (usearch) in memory, persisted beside the database
 * as an index file plus a JSON sidecar holding its IndexStamp.
 *
 * Persistence and why it stays honest. The SQL database is the source of truth; this file only
 * saves a rebuild at start. The one rule: a stamp on disk never claims a catalog version whose
 * data the index file it names does not hold. So:
 *  - A snapshot is taken only at a clean point: a commit has happened and nothing was upserted,
 *    removed or reset since, so the graph is exactly what that commit described.
 *  - Every snapshot goes to a new file (`<stem>.<generation><ext>`); the sidecar, written to a
 *    temporary name, fsynced and renamed, is the single commit point and names that file. A
 *    crash at any moment leaves either the old sidecar with its untouched old file or the new
 *    sidecar with its complete new file. Old generations are deleted only after the switch.
 *  - Saving costs a full write (~35 MB for 16k passages) on the event loop, so a running ingest
 *    that commits every few hundred rows must not save each time: a commit saves at once only
 *    when the last save is `saveIntervalMs` old; otherwise a trailing timer saves later, if the
 *    index is still at a clean point (else the next commit does). close() saves a clean,
 *    unsaved commit. What can be lost in a crash is the last interval's commits: the sidecar
 *    then holds an older version, which is stale but true, and start-up rebuilds.
 *  - reset() does not touch the disk: the previous snapshot still describes its own file
 *    truthfully (its model or version just won't match, so start-up rebuilds).
 *  - A sidecar recording other graph parameters (connectivity, expansion at build, quantization)
 *    than the configured ones is not loaded, so a tuning change rebuilds the graph.
 *  - The sidecar records the snapshot's length and SHA-256, checked before loading: usearch
 *    2.25.3 crashes the whole process (SIGSEGV / abort) on a truncated or corrupted file,
 *    which would otherwise turn one bad disk write into a crash loop at every start.
 *  - The song attributes of the passages (what filters are checked against) are a second file of
 *    the same generation (`<stem>.<generation>.songs.json`), captured in the same synchronous
 *    step as the graph and named by the same sidecar with its own length and SHA-256; it must
 *    hold exactly the graph's keys, or neither is loaded. A sidecar of the format before
 *    attributes existed is ignored, so start-up rebuilds with attributes.
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
 * Filtered search. usearch 2.25's JavaScript binding has no predicate search, so a filtered
 * search asks the graph for more neighbours than it needs and keeps those of matching songs.
 * How many more comes from the filter's selectivity, known exactly from the attributes held
 * here; when too few match (a filter correlated with the query's region, such as a language
 * the prompt is not in) it asks again for more, up to the whole index, so a filter never
 * empties an answer the index could fill. The constants were chosen by measurement, see
 * USEARCH_FILTER_DEFAULTS.
 */
import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, readFile, readdir, rename, rm, stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import path from "node:path";
import { Index, MetricKind, ScalarKind } from "usearch";
import { isRestrictive, type SongAttributes, type SongFilter } from "../../core/catalog/song-filter.js";
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
  assertSongAttributes,
  assertSongFilter,
  assertVector,
  clampScore,
  prepareEntries,
  wantedHits,
} from "./common.js";
import { SongAttributeTable } from "./song-attribute-table.js";

export type UsearchQuantization = "f32" | "f16" | "bf16";

/** Graph parameters; see USEARCH_GRAPH_DEFAULTS for how the defaults were chosen. */
export interface UsearchGraphOptions {
  /** Neighbours per node (HNSW M): more raises recall and memory. */
  connectivity: number;
  /** Candidate list while inserting (efConstruction): more builds a better graph, slower. */
  expansionAdd: number;
  /** Candidate list while searching (ef): more raises recall, slower; k above it widens it. */
  expansionSearch: number;
  /** How vectors are stored: f16 halves memory and file size, at ~1e-3 error on scores. */
  quantization: UsearchQuantization;
}

/**
 * Chosen on real USE-lite embeddings of the 2k catalog's passages (20,855 × 512, 300 prompts and
 * held-out passages; `npx tsx bench/vectors.ts --vectors-file … --sweep …`). The lever that
 * matters there is the search expansion: recall@10 is 0.91 at ef = 64, 0.98 at 200, 0.99 at
 * 320, whatever the connectivity (M = 16, 24 and 32 were within 0.005 of each other at equal ef).
 * Graphs built with several threads differ from build to build, and on the 150 prompts of
 * `npm run bench` ef = 320 gave 0.976–0.982 across builds while ef = 512 gave 0.990; a search
 * at 512 takes about 3 ms, still far below the prompt's embedding time.
 * expansionAdd 200 reaches the same recall at ef = 256 but doubles the CPU of a rebuild, which
 * start-up pays whenever the snapshot is stale. Searches for k above ef (the search service
 * asks for 200 passages) widen the expansion to k by themselves.
 */
export const USEARCH_GRAPH_DEFAULTS: Readonly<UsearchGraphOptions> = {
  connectivity: 16,
  expansionAdd: 128,
  expansionSearch: 512,
  quantization: "f32",
};

/** How a filtered search over-fetches from the graph; see USEARCH_FILTER_DEFAULTS. */
export interface UsearchFilterOptions {
  /** First request: k ÷ selectivity × this, so that k matching hits are likely at the first try. */
  overfetch: number;
  /**
   * Each further request asks for at least this many times more, and for as many as the share of
   * matches among the neighbours already fetched says are needed (× overfetch), up to the whole index.
   */
  widening: number;
  /** A first request above this share of the index asks for the whole index at once. */
  wholeIndexShare: number;
}

/**
 * Measured with `bench/vectors.ts --filtered` on the 21,128 real USE-lite passage vectors of the
 * 2k catalog with their songs' attributes, the 150 bench prompts as queries (recall against the
 * exact filtered top k, p50 latency; a shared 2-core machine):
 *  - a single over-fetch of k ÷ selectivity empties answers: language=es (11 %) filled 0.8 % of
 *    k = 200 and language=de (0.6 %) nothing, because a prompt's neighbourhood is English;
 *    uncorrelated filters (energy, year) lost 5–30 % of their hits;
 *  - over-fetch 2 then widening filled every answer (1.000) at recall 0.95–1.000: 4–8 ms at
 *    50–87 % selectivity, 4–22 ms at 10 % uncorrelated, ≈ 50 ms at 1 % with k = 200 (k ÷ s
 *    exceeds the index, so the whole of it is searched) and 55–100 ms for a language filter,
 *    where widening takes several requests; a request for the whole index costs 40–55 ms;
 *  - over-fetch 4 raised recall at 50 % from 0.97 to 0.99 for +4 ms; over-fetch 1 needed a
 *    second request more often; going to the whole index once a request would exceed a quarter
 *    of it cut the language=es case at k = 10 from ≈ 100 to 70 ms and cost nothing elsewhere.
 * The exact index answers the same filters in 0.2–3 ms at ≤ 11 % selectivity, since it scans
 * the matching rows only; doing the same here would need a copy of every vector beside the
 * graph (the binding cannot read vectors back), which doubles vector memory: not done.
 */
export const USEARCH_FILTER_DEFAULTS: Readonly<UsearchFilterOptions> = {
  overfetch: 2,
  widening: 4,
  wholeIndexShare: 0.25,
};

export interface UsearchIndexOptions extends Partial<UsearchGraphOptions> {
  /** How filtered searches over-fetch; defaults USEARCH_FILTER_DEFAULTS. */
  filter?: Partial<UsearchFilterOptions>;
  /** Where the index lives (the data directory); null keeps it in memory only. */
  directory: string | null;
  /** Base name of the files; default "vectors.usearch" (sidecar "vectors.usearch.json"). */
  fileName?: string;
  /** Least time between two saves while commits keep coming; default 30 s. */
  saveIntervalMs?: number;
  /** Longest the event loop is held by one upsert before it yields to other work; default 25 ms. */
  upsertBudgetMs?: number;
  /** Native threads for a batch upsert; default and maximum: the cores available. */
  threads?: number;
  /** Where problems that do not fail a call are reported (a bad sidecar, a failed save). */
  warn?: (message: string) => void;
}

export interface UsearchVectorIndex extends VectorIndex {
  /** Saves now if the last commit is not on disk yet and the index is still at that commit. */
  flush(): Promise<void>;
}

/** 2: the snapshot carries the passages' song attributes (format 1 did not; it is rebuilt). */
const SIDECAR_FORMAT = 2;
const SONGS_SUFFIX = ".songs.json";
const GENERATION = /^[0-9a-z]+-[0-9a-f]{8}$/;
/** Entries per native add call: enough to keep every thread busy, few enough to stay responsive. */
const UPSERT_SLICE = 32;

interface Sidecar {
  format: typeof SIDECAR_FORMAT;
  stamp: IndexStamp;
  /** The snapshot file in the same directory; null for an empty index (nothing to load). */
  file: string | null;
  bytes: number;
  sha256: string | null;
  /** The song attributes of the same generation; null exactly when file is null. */
  songs: { file: string; bytes: number; sha256: string } | null;
  count: number;
  graph: { metric: "cos"; connectivity: number; expansionAdd: number; quantization: UsearchQuantization };
  savedAt: string;
}

export async function createUsearchIndex(options: UsearchIndexOptions): Promise<UsearchVectorIndex> {
  const index = new UsearchIndex(options);
  await index.open();
  return index;
}

class UsearchIndex implements UsearchVectorIndex {
  readonly #graph: UsearchGraphOptions;
  readonly #directory: string | null;
  readonly #fileName: string;
  readonly #saveIntervalMs: number;
  readonly #upsertBudgetMs: number;
  readonly #threads: number;
  readonly #warn: (message: string) => void;

  readonly #filter: UsearchFilterOptions;

  #native: Index | null = null;
  /** The song attributes of every passage in #native: a record per song, a slot per passage. */
  #songs = new SongAttributeTable();
  #songOf = new Map<number, number>();
  #model: EmbeddingModel | null = null;
  #committed: IndexStamp | null = null;
  /** Bumped by every upsert, remove and reset; equal to #mutationsAtCommit at a clean point. */
  #mutations = 0;
  #mutationsAtCommit = -1;
  /** Bumped by every commit; equal to #savedCommits when the last commit is on disk. */
  #commits = 0;
  #savedCommits = 0;
  /** The files (graph and song attributes) of the snapshot the sidecar on disk names. */
  #currentFiles: string[] = [];
  #lastSaveAt = Number.NEGATIVE_INFINITY;
  #timer: NodeJS.Timeout | null = null;
  #saving: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(options: UsearchIndexOptions) {
    this.#graph = {
      connectivity: options.connectivity ?? USEARCH_GRAPH_DEFAULTS.connectivity,
      expansionAdd: options.expansionAdd ?? USEARCH_GRAPH_DEFAULTS.expansionAdd,
      expansionSearch: options.expansionSearch ?? USEARCH_GRAPH_DEFAULTS.expansionSearch,
      quantization: options.quantization ?? USEARCH_GRAPH_DEFAULTS.quantization,
    };
    for (const key of ["connectivity", "expansionAdd", "expansionSearch"] as const) {
      if (!Number.isInteger(this.#graph[key]) || this.#graph[key] <= 0) {
        throw new RangeError(`usearch ${key} must be a positive integer, got ${this.#graph[key]}`);
      }
    }
    this.#filter = { ...USEARCH_FILTER_DEFAULTS, ...options.filter };
    if (
      !(this.#filter.overfetch >= 1) ||
      !(this.#filter.widening > 1) ||
      !(this.#filter.wholeIndexShare > 0 && this.#filter.wholeIndexShare <= 1)
    ) {
      throw new RangeError(
        "usearch filter options need overfetch ≥ 1, widening > 1, 0 < wholeIndexShare ≤ 1",
      );
    }
    this.#directory = options.directory === null ? null : path.resolve(options.directory);
    this.#fileName = options.fileName ?? "vectors.usearch";
    if (path.basename(this.#fileName) !== this.#fileName || !this.#fileName) {
      throw new RangeError(`usearch fileName must be a bare file name, got ${this.#fileName}`);
    }
    this.#saveIntervalMs = options.saveIntervalMs ?? 30_000;
    this.#upsertBudgetMs = options.upsertBudgetMs ?? 25;
    const cores = Math.max(1, availableParallelism());
    this.#threads = Math.min(cores, Math.max(1, Math.floor(options.threads ?? cores)));
    this.#warn = options.warn ?? ((message) => console.warn(`[vector index] ${message}`));
  }

  async open(): Promise<void> {
    if (this.#directory === null) return;
    await mkdir(this.#directory, { recursive: true });
    await this.#load();
    await this.#removeStaleFiles();
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
    this.#model = { name: model.name, dimension: model.dimension };
    this.#committed = null;
    this.#native = this.#newNative(model.dimension);
    this.#songs = new SongAttributeTable();
    this.#songOf = new Map();
  }

  async upsert(entries: readonly VectorEntry[]): Promise<void> {
    this.#assertOpen();
    if (entries.length === 0) return;
    const native = this.#requireNative("upsert");
    const batch = prepareEntries(entries, native.dimensions());
    // An HNSW insert costs ~0.5–4 ms of CPU (graph search at expansionAdd), all of it on the
    // event loop; a rebuild batch of 1,000 would stall every request for seconds. So insert in
    // small slices and let the loop breathe whenever a time budget is spent.
    let budgetStart = performance.now();
    for (let start = 0; start < batch.length; start += UPSERT_SLICE) {
      if (performance.now() - budgetStart > this.#upsertBudgetMs) {
        await yieldToEventLoop();
        if (this.#native !== native || this.#closed) {
          throw new Error("the index was reset or closed while an upsert was running");
        }
        budgetStart = performance.now();
      }
      this.#insert(native, batch.slice(start, start + UPSERT_SLICE));
    }
  }

  #insert(native: Index, slice: readonly VectorEntry[]): void {
    const dimension = native.dimensions();
    const keys = BigUint64Array.from(slice, (entry) => BigInt(entry.id));
    const matrix = new Float32Array(slice.length * dimension);
    slice.forEach((entry, i) => matrix.set(entry.vector, i * dimension));
    this.#mutations++;
    // usearch refuses a key it already holds, so a replacement is a removal then an insertion;
    // the removed node's slot is reused by the insertion.
    if (native.size() > 0) native.remove(keys);
    native.add(keys, matrix, this.#threads);
    for (const { id, song } of slice) this.#assignSong(id, song);
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
    const native = this.#native;
    if (ids.length === 0 || native === null || native.size() === 0) return;
    this.#mutations++;
    native.remove(BigUint64Array.from(ids, (id) => BigInt(id)));
    for (const id of ids) {
      const slot = this.#songOf.get(id);
      if (slot === undefined) continue;
      this.#songs.release(slot);
      this.#songOf.delete(id);
    }
  }

  async search(vector: Float32Array, k: number, options: VectorSearchOptions = {}): Promise<VectorHit[]> {
    this.#assertOpen();
    const native = this.#native;
    const wanted = wantedHits(k, native?.size() ?? 0);
    const filter = options.filter;
    assertSongFilter(filter);
    if (native === null) return [];
    assertVector(vector, native.dimensions(), "query");
    if (wanted === 0) return [];
    if (isRestrictive(filter)) return this.#searchFiltered(native, vector, wanted, filter);
    return this.#nearest(native, vector, wanted, null, wanted);
  }

  /**
   * Asks the graph for `fetch` neighbours and keeps up to `wanted` of those whose song record is
   * accepted (all when `accepted` is null), nearest first.
   */
  #nearest(
    native: Index,
    vector: Float32Array,
    fetch: number,
    accepted: Uint8Array | null,
    wanted: number,
  ): VectorHit[] {
    // One query is one task, which usearch runs on the calling thread: no thread is spawned.
    const matches = native.search(vector, fetch, 1);
    const hits: VectorHit[] = [];
    for (let i = 0; i < matches.keys.length && hits.length < wanted; i++) {
      const id = Number(matches.keys[i]!);
      const slot = this.#songOf.get(id);
      if (slot === undefined || (accepted !== null && accepted[slot] !== 1)) continue;
      // cos distance = 1 − cosine similarity.
      const score = clampScore(1 - matches.distances[i]!);
      hits.push({ id, songId: this.#songs.attributes(slot).songId, score });
    }
    return hits;
  }

  #searchFiltered(native: Index, vector: Float32Array, wanted: number, filter: SongFilter): VectorHit[] {
    const { accepted, passages } = this.#songs.match(filter);
    const target = Math.min(wanted, passages);
    if (target === 0) return [];
    const total = native.size();
    const firstFetch = Math.ceil(((target * total) / passages) * this.#filter.overfetch);
    const capped = (wanted: number) => (wanted >= total * this.#filter.wholeIndexShare ? total : wanted);
    let fetch = capped(Math.max(target, firstFetch));
    for (;;) {
      const hits = this.#nearest(native, vector, fetch, accepted, target);
      if (hits.length >= target || fetch >= total) return hits;
      // The share of matches among the neighbours just fetched says how far this query's region
      // is from the global selectivity (a language the prompt is not in has almost none nearby).
      const local = hits.length / fetch;
      const estimate = local > 0 ? Math.ceil((target / local) * this.#filter.overfetch) : 0;
      fetch = capped(Math.min(total, Math.max(Math.ceil(fetch * this.#filter.widening), estimate)));
    }
  }

  async size(): Promise<number> {
    this.#assertOpen();
    return this.#native?.size() ?? 0;
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
    if (this.#directory === null) return;
    if (performance.now() - this.#lastSaveAt >= this.#saveIntervalMs) await this.#enqueueSave();
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
    if (this.#directory !== null && this.#mutations !== this.#mutationsAtCommit) {
      this.#warn(
        "closed with changes made after the last commit: they are not saved, and the snapshot on disk " +
          "keeps its older stamp (start-up rebuilds if the catalog has moved on)",
      );
    }
    this.#closed = true;
    this.#native = null;
    this.#songs = new SongAttributeTable();
    this.#songOf = new Map();
  }

  // ── persistence ───────────────────────────────────────────────────────────────────────────

  get #sidecarPath(): string {
    return path.join(this.#directory!, `${this.#fileName}.json`);
  }

  /** `vectors.usearch` → stem `vectors`, extension `.usearch`. */
  get #nameParts(): { stem: string; ext: string } {
    const ext = path.extname(this.#fileName);
    return { stem: this.#fileName.slice(0, this.#fileName.length - ext.length), ext };
  }

  /** A file of some snapshot generation: `<stem>.<generation><ext>` or `<stem>.<generation>.songs.json`. */
  #isSnapshotName(name: string): boolean {
    const { stem, ext } = this.#nameParts;
    if (!name.startsWith(`${stem}.`)) return false;
    const rest = name.slice(stem.length + 1);
    const generation = rest.endsWith(SONGS_SUFFIX)
      ? rest.slice(0, -SONGS_SUFFIX.length)
      : rest.endsWith(ext)
        ? rest.slice(0, rest.length - ext.length)
        : null;
    return generation !== null && GENERATION.test(generation);
  }

  #newGeneration(): { graph: string; songs: string } {
    const { stem, ext } = this.#nameParts;
    const generation = `${Date.now().toString(36)}-${randomBytes(4).toString("hex")}`;
    return { graph: `${stem}.${generation}${ext}`, songs: `${stem}.${generation}${SONGS_SUFFIX}` };
  }

  /** The songs file that belongs with a graph file, or null when the name is not a graph file's. */
  #songsFileOf(graphFile: string): string | null {
    const { stem, ext } = this.#nameParts;
    if (!graphFile.startsWith(`${stem}.`) || !graphFile.endsWith(ext)) return null;
    const generation = graphFile.slice(stem.length + 1, graphFile.length - ext.length);
    return GENERATION.test(generation) ? `${stem}.${generation}${SONGS_SUFFIX}` : null;
  }

  async #load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.#sidecarPath, "utf8");
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    const problem = (why: string) =>
      this.#warn(`ignoring ${this.#sidecarPath}: ${why}; the index starts empty`);
    let sidecar: Sidecar;
    try {
      sidecar = parseSidecar(JSON.parse(text));
    } catch (error) {
      problem(error instanceof Error ? error.message : String(error));
      return;
    }
    const graph = sidecar.graph;
    if (
      graph.connectivity !== this.#graph.connectivity ||
      graph.expansionAdd !== this.#graph.expansionAdd ||
      graph.quantization !== this.#graph.quantization
    ) {
      problem("it was built with other graph parameters");
      return;
    }
    if (sidecar.file !== null && this.#songsFileOf(sidecar.file) !== sidecar.songs?.file) {
      problem(`it names unexpected files ${sidecar.file}, ${sidecar.songs?.file ?? "no songs file"}`);
      return;
    }

    let native: Index | null = null;
    let songs: LoadedSongs = { table: new SongAttributeTable(), songOf: new Map() };
    if (sidecar.file !== null && sidecar.songs !== null) {
      const file = path.join(this.#directory!, sidecar.file);
      const songsFile = path.join(this.#directory!, sidecar.songs.file);
      try {
        await verifyFile(file, sidecar.bytes, sidecar.sha256!);
        const songsBytes = await readFile(songsFile);
        verifyBytes(path.basename(songsFile), songsBytes, sidecar.songs.bytes, sidecar.songs.sha256);
        songs = parseSongs(songsBytes.toString("utf8"));
        native = this.#newNative(sidecar.stamp.dimension);
        native.load(file);
      } catch (error) {
        problem(
          `its snapshot ${sidecar.file} cannot be loaded (${error instanceof Error ? error.message : String(error)})`,
        );
        return;
      }
      if (
        native.dimensions() !== sidecar.stamp.dimension ||
        native.size() !== sidecar.count ||
        songs.songOf.size !== sidecar.count ||
        !holdsEveryKey(native, songs.songOf)
      ) {
        problem(`its snapshot ${sidecar.file} does not match it`);
        return;
      }
    } else if (sidecar.count !== 0) {
      problem("it names no snapshot for a non-empty index");
      return;
    }

    this.#native = native ?? this.#newNative(sidecar.stamp.dimension);
    this.#songs = songs.table;
    this.#songOf = songs.songOf;
    this.#model = { name: sidecar.stamp.model, dimension: sidecar.stamp.dimension };
    this.#committed = { ...sidecar.stamp };
    this.#mutationsAtCommit = this.#mutations;
    this.#currentFiles = sidecar.songs === null ? [] : [sidecar.file!, sidecar.songs.file];
  }

  /** Leftovers of saves that crashed, or of generations replaced while another process read them. */
  async #removeStaleFiles(): Promise<void> {
    const sidecarTemp = `${this.#fileName}.json.tmp-`;
    for (const name of await readdir(this.#directory!)) {
      const stale =
        (this.#isSnapshotName(name) && !this.#currentFiles.includes(name)) || name.startsWith(sidecarTemp);
      if (stale) await rm(path.join(this.#directory!, name), { force: true });
    }
  }

  #scheduleSave(): void {
    if (this.#timer !== null) return;
    const wait = Math.max(0, this.#lastSaveAt + this.#saveIntervalMs - performance.now());
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#enqueueSave();
    }, wait);
    // A pending save must not keep a finished process alive; close() saves anyway.
    this.#timer.unref();
  }

  /** Saves run one at a time, so generations are switched and deleted in order. */
  #enqueueSave(): Promise<void> {
    this.#saving = this.#saving.then(() => this.#save());
    return this.#saving;
  }

  async #save(): Promise<void> {
    const directory = this.#directory;
    if (directory === null || this.#closed || this.#commits === this.#savedCommits) return;
    const stamp = this.#committed;
    // Not at a clean point: keep the older snapshot, which is still true; a later commit saves.
    if (stamp === null || this.#mutations !== this.#mutationsAtCommit) return;

    const commits = this.#commits;
    const native = this.#native;
    const count = native?.size() ?? 0;
    const files = count > 0 ? this.#newGeneration() : null;
    this.#lastSaveAt = performance.now();
    try {
      let bytes = 0;
      let checksum: string | null = null;
      let songs: Sidecar["songs"] = null;
      if (files !== null) {
        const target = path.join(directory, files.graph);
        const songsTarget = path.join(directory, files.songs);
        // Both synchronous, one after the other: the graph and its songs cannot change in between.
        native!.save(target);
        const songsText = serializeSongs(this.#songs, this.#songOf);
        await writeDurably(songsTarget, songsText);
        await fsyncPath(target);
        bytes = (await stat(target)).size;
        checksum = await sha256(target);
        songs = {
          file: files.songs,
          bytes: Buffer.byteLength(songsText, "utf8"),
          sha256: createHash("sha256").update(songsText, "utf8").digest("hex"),
        };
      }
      const sidecar: Sidecar = {
        format: SIDECAR_FORMAT,
        stamp: { ...stamp },
        file: files?.graph ?? null,
        bytes,
        sha256: checksum,
        songs,
        count,
        graph: {
          metric: "cos",
          connectivity: this.#graph.connectivity,
          expansionAdd: this.#graph.expansionAdd,
          quantization: this.#graph.quantization,
        },
        savedAt: new Date().toISOString(),
      };
      await writeFileAtomically(this.#sidecarPath, `${JSON.stringify(sidecar, null, 2)}\n`);
    } catch (error) {
      this.#warn(
        `saving the index failed, it will be retried: ${error instanceof Error ? error.message : String(error)}`,
      );
      if (files !== null) {
        for (const name of [files.graph, files.songs]) {
          await rm(path.join(directory, name), { force: true }).catch(() => undefined);
        }
      }
      return;
    }
    const previous = this.#currentFiles;
    this.#currentFiles = files === null ? [] : [files.graph, files.songs];
    this.#savedCommits = commits;
    for (const name of previous) {
      if (!this.#currentFiles.includes(name)) {
        await rm(path.join(directory, name), { force: true }).catch(() => undefined);
      }
    }
  }

  // ── helpers ───────────────────────────────────────────────────────────────────────────────

  #newNative(dimension: number): Index {
    return new Index({
      dimensions: dimension,
      metric: MetricKind.Cos,
      quantization: quantizationKind(this.#graph.quantization),
      connectivity: this.#graph.connectivity,
      expansion_add: this.#graph.expansionAdd,
      expansion_search: this.#graph.expansionSearch,
      multi: false,
    });
  }

  #requireNative(operation: string): Index {
    if (this.#native === null)
      throw new Error(`${operation} before reset: the index does not know its model`);
    return this.#native;
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
  }
}

function parseSidecar(value: unknown): Sidecar {
  const fail = (why: string): never => {
    throw new Error(why);
  };
  if (typeof value !== "object" || value === null) fail("not an object");
  const record = value as Record<string, unknown>;
  if (record.format !== SIDECAR_FORMAT) fail(`unknown format ${String(record.format)}`);
  const stamp = record.stamp as Record<string, unknown> | null | undefined;
  if (
    typeof stamp !== "object" ||
    stamp === null ||
    typeof stamp.model !== "string" ||
    !Number.isInteger(stamp.dimension) ||
    (stamp.dimension as number) <= 0 ||
    !Number.isSafeInteger(stamp.catalogVersion)
  ) {
    fail("malformed stamp");
  }
  if (record.file !== null && typeof record.file !== "string") fail("malformed file");
  if (!Number.isInteger(record.bytes) || (record.file !== null && typeof record.sha256 !== "string")) {
    fail("malformed checksum");
  }
  const songs = record.songs as Record<string, unknown> | null | undefined;
  if (
    (record.file === null) !== (songs === null) ||
    (songs !== null &&
      (typeof songs !== "object" ||
        typeof songs.file !== "string" ||
        !Number.isInteger(songs.bytes) ||
        typeof songs.sha256 !== "string"))
  ) {
    fail("malformed songs");
  }
  if (!Number.isInteger(record.count) || (record.count as number) < 0) fail("malformed count");
  const graph = record.graph as Record<string, unknown> | null | undefined;
  if (typeof graph !== "object" || graph === null || graph.metric !== "cos") fail("malformed graph");
  return value as Sidecar;
}

interface LoadedSongs {
  table: SongAttributeTable;
  songOf: Map<number, number>;
}

/**
 * `{songs: [attributes…], passages: [id, song index, id, song index, …]}`: each record once,
 * each passage two numbers.
 */
function serializeSongs(table: SongAttributeTable, songOf: ReadonlyMap<number, number>): string {
  const indexOfSlot = new Map<number, number>();
  const songs: SongAttributes[] = [];
  const passages: number[] = [];
  for (const [id, slot] of songOf) {
    let index = indexOfSlot.get(slot);
    if (index === undefined) {
      index = songs.length;
      indexOfSlot.set(slot, index);
      songs.push(table.attributes(slot));
    }
    passages.push(id, index);
  }
  return JSON.stringify({ songs, passages });
}

function parseSongs(text: string): LoadedSongs {
  const value = JSON.parse(text) as { songs?: unknown; passages?: unknown };
  const songs = value.songs;
  const passages = value.passages;
  if (!Array.isArray(songs) || !Array.isArray(passages) || passages.length % 2 !== 0) {
    throw new Error("malformed songs file");
  }
  songs.forEach((song, i) => assertSongAttributes(song as SongAttributes, `song record ${i}`));
  const table = new SongAttributeTable();
  const songOf = new Map<number, number>();
  for (let i = 0; i < passages.length; i += 2) {
    const id = passages[i] as number;
    const song = songs[passages[i + 1] as number] as SongAttributes | undefined;
    assertId(id);
    if (song === undefined || songOf.has(id)) throw new Error(`malformed passage ${id} in the songs file`);
    songOf.set(id, table.acquire(song));
  }
  return { table, songOf };
}

function holdsEveryKey(native: Index, songOf: ReadonlyMap<number, number>): boolean {
  if (songOf.size === 0) return true;
  const found = native.contains(BigUint64Array.from(songOf.keys(), (id) => BigInt(id)));
  return (Array.isArray(found) ? found : [found]).every(Boolean);
}

/** Throws unless the file has the length and SHA-256 recorded for it. */
async function verifyFile(file: string, bytes: number, checksum: string): Promise<void> {
  const { size } = await stat(file);
  if (size !== bytes) throw new Error(`${path.basename(file)}: ${size} bytes instead of ${bytes}`);
  if ((await sha256(file)) !== checksum) throw new Error(`${path.basename(file)}: checksum mismatch`);
}

function verifyBytes(name: string, content: Buffer, bytes: number, checksum: string): void {
  if (content.length !== bytes) throw new Error(`${name}: ${content.length} bytes instead of ${bytes}`);
  if (createHash("sha256").update(content).digest("hex") !== checksum) {
    throw new Error(`${name}: checksum mismatch`);
  }
}

async function writeDurably(file: string, content: string): Promise<void> {
  const handle = await open(file, "w");
  try {
    await handle.writeFile(content, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function sha256(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function fsyncPath(file: string): Promise<void> {
  const handle = await open(file, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function writeFileAtomically(file: string, content: string): Promise<void> {
  const temp = `${file}.tmp-${randomBytes(4).toString("hex")}`;
  const handle = await open(temp, "w");
  try {
    await handle.writeFile(content, "utf8");
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  // The rename itself is durable only once the directory entry is flushed.
  try {
    const dir = await open(path.dirname(file), "r");
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  } catch {
    // Some platforms (Windows) cannot fsync a directory; the rename is still atomic there.
  }
}

function isNotFound(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "ENOENT";
}
