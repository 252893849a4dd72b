/**
 * The settings of the embedded HNSW index: its graph, how filtered searches over-fetch, and
 * where and how often it is saved, with the measurements behind each default.
 */
import { availableParallelism } from "node:os";
import path from "node:path";
import { noForeground, type BackgroundTurns } from "../../core/foreground-work.js";

export type UsearchQuantization = "f32" | "f16" | "bf16" | "i8";

/** Graph parameters; see USEARCH_GRAPH_DEFAULTS for how the defaults were chosen. */
export interface UsearchGraphOptions {
  /** Neighbours per node (HNSW M): more raises recall and memory. */
  connectivity: number;
  /** Candidate list while inserting (efConstruction): more builds a better graph, slower. */
  expansionAdd: number;
  /** Candidate list while searching (ef): more raises recall, slower; k above it widens it. */
  expansionSearch: number;
  /**
   * How vectors are stored: f16 halves memory and file size, at ~1e-3 error on scores; i8 quarters
   * them (usearch scales unit vectors' components by 127).
   */
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
   * matches among the neighbours already fetched says are needed (× overfetch), up to the whole
   * graph searched (each language has its own, usearch-graphs.ts).
   */
  widening: number;
  /** A first request above this share of the graph searched asks for the whole graph at once. */
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
 * These were measured with one graph for every language; a language filter now searches its own
 * graph alone, and these settings serve the other conditions, within each graph searched.
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
  /**
   * Saves are also spaced by this many times what the last one took; default 1,000. Searches
   * wait while the graph is written, so a save may hold them 1 ÷ saveSpacing of the time.
   */
  saveSpacing?: number;
  /** Longest the event loop is held by one upsert or removal before it yields to other work; default 25 ms. */
  upsertBudgetMs?: number;
  /** Native threads for a batch upsert; default and maximum: the cores available. */
  threads?: number;
  /**
   * Where an upsert's or a removal's turn ends between its slices: at once while an answer is
   * being made, else when its time budget is spent; default: never waits for answers.
   */
  background?: BackgroundTurns;
  /** Where problems that do not fail a call are reported (a bad sidecar, a failed save). */
  warn?: (message: string) => void;
}

/** The options with every default filled in and every value checked. */
export interface UsearchSettings {
  graph: UsearchGraphOptions;
  filter: UsearchFilterOptions;
  directory: string | null;
  fileName: string;
  saveIntervalMs: number;
  saveSpacing: number;
  upsertBudgetMs: number;
  threads: number;
  background: BackgroundTurns;
  warn: (message: string) => void;
}

export function usearchSettings(options: UsearchIndexOptions): UsearchSettings {
  const graph: UsearchGraphOptions = {
    connectivity: options.connectivity ?? USEARCH_GRAPH_DEFAULTS.connectivity,
    expansionAdd: options.expansionAdd ?? USEARCH_GRAPH_DEFAULTS.expansionAdd,
    expansionSearch: options.expansionSearch ?? USEARCH_GRAPH_DEFAULTS.expansionSearch,
    quantization: options.quantization ?? USEARCH_GRAPH_DEFAULTS.quantization,
  };
  for (const key of ["connectivity", "expansionAdd", "expansionSearch"] as const) {
    if (!Number.isInteger(graph[key]) || graph[key] <= 0) {
      throw new RangeError(`usearch ${key} must be a positive integer, got ${graph[key]}`);
    }
  }
  const filter = { ...USEARCH_FILTER_DEFAULTS, ...options.filter };
  if (
    !(filter.overfetch >= 1) ||
    !(filter.widening > 1) ||
    !(filter.wholeIndexShare > 0 && filter.wholeIndexShare <= 1)
  ) {
    throw new RangeError("usearch filter options need overfetch ≥ 1, widening > 1, 0 < wholeIndexShare ≤ 1");
  }
  if (
    options.saveSpacing !== undefined &&
    !(options.saveSpacing >= 0 && Number.isFinite(options.saveSpacing))
  ) {
    throw new RangeError(`usearch saveSpacing must be a finite number ≥ 0, got ${options.saveSpacing}`);
  }
  const fileName = options.fileName ?? "vectors.usearch";
  if (path.basename(fileName) !== fileName || !fileName) {
    throw new RangeError(`usearch fileName must be a bare file name, got ${fileName}`);
  }
  const cores = Math.max(1, availableParallelism());
  return {
    graph,
    filter,
    directory: options.directory === null ? null : path.resolve(options.directory),
    fileName,
    saveIntervalMs: options.saveIntervalMs ?? 30_000,
    saveSpacing: options.saveSpacing ?? 1000,
    upsertBudgetMs: options.upsertBudgetMs ?? 25,
    threads: Math.min(cores, Math.max(1, Math.floor(options.threads ?? cores))),
    background: options.background ?? noForeground,
    warn: options.warn ?? ((message) => console.warn(`[vector index] ${message}`)),
  };
}
