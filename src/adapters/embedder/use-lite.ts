/**
 * Embedder port, embedded adapter: Universal Sentence Encoder lite (512 dimensions) in
 * process, offline, on a pool of worker threads (see pool.ts for lanes and batching).
 *
 * Workers start at once and load their models in the background (1–2 s from spawn to a
 * warmed-up model on a busy 2-core machine; ~125 MB each), so creating the embedder never
 * blocks start-up; embed() calls made meanwhile wait for the first free worker, the
 * interactive one being first up. `ready()` tells when all are loaded, or why one could not.
 */
import type { Metrics } from "../../observability/metrics.js";
import { createWorkerPoolEmbedder, type PoolEmbedder, type PoolEvent } from "./pool.js";

/** Recorded with every stored vector: change it whenever the vectors would change. */
export const useLiteModel = { name: "use-lite-v1", dimension: 512 } as const;

export interface UseLiteOptions {
  /** Bulk workers (config embedThreads; default there: one per core). */
  threads: number;
  metrics?: Pick<Metrics, "embedBatches">;
  /** Also start a worker reserved for prompts (default true). */
  interactiveWorker?: boolean;
  /** Most texts sent to a worker at once (default 64). */
  maxBatch?: number;
  /** Texts per model call, after sorting by length (default 16). */
  subBatch?: number;
  /** Nice value of bulk worker threads on Linux (default 10). */
  bulkNice?: number;
  onEvent?: (event: PoolEvent) => void;
}

export function createUseLiteEmbedder(options: UseLiteOptions): PoolEmbedder {
  return createWorkerPoolEmbedder({
    ...options,
    model: useLiteModel,
    worker: { baseUrl: import.meta.url, name: "use-lite.worker" },
  });
}
