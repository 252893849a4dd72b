/**
 * Every Prometheus metric Verso exports, on a registry of its own (one per process, or per
 * test), so components record into one place and /metrics shows all of them.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

const latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Where gauges read their values at scrape time; the composition root fills them in. */
export interface MetricSources {
  queueStats?: () => Promise<{ ready: number; inFlight: number; dead: number }>;
  songCount?: () => Promise<number>;
  objectCounts?: () => Promise<Record<string, number>>;
  embedderQueued?: () => Record<string, number>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  const sources: MetricSources = {};
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: "verso_" });
  const registers = [registry];
  return {
    registry,
    sources,
    ...requestMetrics(registers),
    ...ingestMetrics(registers),
    ...scrapedGauges(registers, sources),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** What people ask of the server: requests, prompts, the cache, rate limits and sign-ins. */
function requestMetrics(registers: Registry[]) {
  const cacheFallbacks = new Counter({
    name: "verso_cache_fallbacks_total",
    help: "Cache operations answered without the cache server (down or slow), by operation",
    labelNames: ["operation"] as const,
    registers,
  });
  // Present at 0 from the start, so that rates and alerts have a series before the first outage.
  for (const operation of ["get", "set", "delete", "increment"]) cacheFallbacks.labels(operation).inc(0);
  return {
    cacheFallbacks,
    httpRequests: new Histogram({
      name: "verso_http_request_duration_seconds",
      help: "HTTP requests by route and status, with their duration",
      labelNames: ["method", "route", "status"] as const,
      buckets: latencyBuckets,
      registers,
    }),
    askDuration: new Histogram({
      name: "verso_ask_duration_seconds",
      help: "Time to answer a prompt, by phase: embed, index, lexical, total (uncached asks only)",
      labelNames: ["phase"] as const,
      buckets: latencyBuckets,
      registers,
    }),
    cacheRequests: new Counter({
      name: "verso_cache_requests_total",
      help: "Search cache lookups by result (hit or miss)",
      labelNames: ["result"] as const,
      registers,
    }),
    rateLimited: new Counter({
      name: "verso_rate_limited_total",
      help: "Requests refused with 429 by a rate limit, by route",
      labelNames: ["route"] as const,
      registers,
    }),
    authAttempts: new Counter({
      name: "verso_auth_attempts_total",
      help: "Sign-ins and registrations by outcome (success, refused, rate_limited, busy)",
      labelNames: ["action", "outcome"] as const,
      registers,
    }),
  };
}

/** The catalog pipeline: objects, rows, passages, deliveries and embedding batches. */
function ingestMetrics(registers: Registry[]) {
  return {
    ingestObjects: new Counter({
      name: "verso_ingest_objects_total",
      help: "Catalog objects processed, by outcome (done or failed)",
      labelNames: ["outcome"] as const,
      registers,
    }),
    ingestRows: new Counter({
      name: "verso_ingest_rows_total",
      help: "CSV rows read by the worker, by outcome (song, skipped, error)",
      labelNames: ["outcome"] as const,
      registers,
    }),
    ingestPassages: new Counter({
      name: "verso_ingest_passages_total",
      help: "Passages embedded and indexed",
      registers,
    }),
    ingestVectors: new Counter({
      name: "verso_ingest_passage_vectors_total",
      help: "Passage vectors of ingest, by origin: reused (a vector stored for the same text and model) or computed (embedded)",
      labelNames: ["origin"] as const,
      registers,
    }),
    ingestDuration: new Histogram({
      name: "verso_ingest_object_duration_seconds",
      help: "Time to process one catalog object",
      buckets: [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800],
      registers,
    }),
    ingestDeliveries: new Counter({
      name: "verso_ingest_deliveries_total",
      help: "Ingest job deliveries by how they ended (done, failed, retrying, sliced, superseded)",
      labelNames: ["outcome"] as const,
      registers,
    }),
    embedBatches: new Histogram({
      name: "verso_embed_batch_duration_seconds",
      help: "Time to embed one batch of texts, by priority",
      labelNames: ["priority"] as const,
      buckets: latencyBuckets,
      registers,
    }),
  };
}

/** Gauges read from their sources at scrape time, and the process's own description. */
function scrapedGauges(registers: Registry[], sources: MetricSources) {
  return {
    queueDepth: new Gauge({
      name: "verso_queue_jobs",
      help: "Jobs in the ingest queue, by state (ready, in_flight, dead)",
      labelNames: ["state"] as const,
      registers,
      async collect() {
        // The broker or database away must not fail the whole scrape: the gauge keeps its last value.
        const stats = await sources.queueStats?.().catch(() => undefined);
        if (!stats) return;
        this.labels("ready").set(stats.ready);
        this.labels("in_flight").set(stats.inFlight);
        this.labels("dead").set(stats.dead);
      },
    }),
    catalogSongs: new Gauge({
      name: "verso_catalog_songs",
      help: "Songs in the catalog",
      registers,
      async collect() {
        const count = await sources.songCount?.().catch(() => undefined);
        if (count !== undefined) this.set(count);
      },
    }),
    catalogObjects: new Gauge({
      name: "verso_catalog_objects",
      help: "Catalog objects by status (queued, processing, done, failed)",
      labelNames: ["status"] as const,
      registers,
      async collect() {
        const counts = await sources.objectCounts?.().catch(() => undefined);
        if (!counts) return;
        for (const [status, count] of Object.entries(counts)) this.labels(status).set(count);
      },
    }),
    embedderQueued: new Gauge({
      name: "verso_embedder_queued_texts",
      help: "Texts waiting for the in-process embedding model, by lane",
      labelNames: ["lane"] as const,
      registers,
      collect() {
        const queued = sources.embedderQueued?.();
        if (!queued) return;
        for (const [lane, count] of Object.entries(queued)) this.labels(lane).set(count);
      },
    }),
    info: new Gauge({
      name: "verso_info",
      help: "1 for each role this process runs, with Verso's version",
      labelNames: ["role", "version"] as const,
      registers,
    }),
  };
}
