/**
 * The composition root: configuration → adapters → use cases. Roles and commands take what
 * they need from the result; nothing else constructs an adapter.
 */
import { fileUrlPath, type Config } from "./config.js";
import { createCrawler } from "./core/catalog/crawler.js";
import { createIngestWorker, type IngestObserver } from "./core/catalog/ingest.js";
import type { IngestJob } from "./core/catalog/store.js";
import type { Bucket } from "./core/ports.js";
import { LiveIndex } from "./core/search/live-index.js";
import { createSearchService, type Ranking, type RankingTuning } from "./core/search/search-service.js";
import { createFolderBucket } from "./adapters/bucket/folder.js";
import { createMemoryCache } from "./adapters/cache/memory.js";
import { createUseLiteEmbedder } from "./adapters/embedder/use-lite.js";
import { createSqlQueue } from "./adapters/queue/sql-queue.js";
import { createSqlCatalogStore } from "./adapters/sql/catalog-store.js";
import { openDatabase } from "./adapters/sql/database.js";
import { createSqlSongStore } from "./adapters/sql/song-store.js";
import { createUsearchIndex } from "./adapters/vectors/usearch.js";
import { createMetrics, type Metrics } from "./observability/metrics.js";
import { createSocialModule } from "./social-module.js";

/** Deliveries of one ingest job before its object is marked failed. */
export const maxIngestAttempts = 3;

export interface ComposeOptions {
  log?: (message: string) => void;
  metrics?: Metrics;
  ingestObserver?: IngestObserver;
  ranking?: Ranking;
  tuning?: Partial<RankingTuning>;
}

export async function composeVerso(config: Config, options: ComposeOptions = {}) {
  const log = options.log ?? (() => {});
  const metrics = options.metrics ?? createMetrics();
  const database = await openDatabase(config.databaseUrl);
  const { db } = database;

  const cache = createMemoryCache();
  const embedder = createUseLiteEmbedder({
    threads: config.embedThreads,
    metrics,
    onEvent: (event) => {
      if (event.type === "worker-crashed") log(`embedding worker crashed: ${event.error.message}`);
      if (event.type === "failed") log(`the embedder is out of service: ${event.error.message}`);
    },
  });
  embedder.ready().catch((error: unknown) => log(`the embedding model could not start: ${String(error)}`));
  const catalogStore = createSqlCatalogStore(db);
  const songStore = createSqlSongStore(db);
  const vectorIndex = await createUsearchIndex({ directory: database.directory });
  const index = new LiveIndex(
    vectorIndex,
    embedder.model,
    {
      catalogVersion: () => catalogStore.catalogVersion(),
      streamPassageVectors: (model) => catalogStore.streamPassageVectors(model),
      streamPassageSongs: (model) => catalogStore.streamPassageSongs(model),
      passageVectors: (ids) => catalogStore.passageVectors(ids),
    },
    log,
  );
  const queue = createSqlQueue<IngestJob>(db, {
    queue: "ingest",
    maxAttempts: maxIngestAttempts,
    leaseSeconds: config.queueLeaseSeconds,
    onError: (error) => log(`ingest queue: ${error instanceof Error ? error.message : String(error)}`),
  });

  const buckets = new Map<string, Bucket>();
  const bucketFor = (source: string): Bucket => {
    let bucket = buckets.get(source);
    if (!bucket) {
      if (!source.startsWith("file://")) throw new Error(`no bucket adapter for ${source}`);
      bucket = createFolderBucket(fileUrlPath(source));
      buckets.set(source, bucket);
    }
    return bucket;
  };

  const observer: IngestObserver = {
    rows(counts) {
      metrics.ingestRows.labels("song").inc(counts.songs - counts.skipped);
      metrics.ingestRows.labels("skipped").inc(counts.skipped);
      metrics.ingestRows.labels("error").inc(counts.errors);
      metrics.ingestPassages.inc(counts.passages);
      options.ingestObserver?.rows?.(counts);
    },
    progress: (p) => options.ingestObserver?.progress?.(p),
    finished(object, outcome, ms) {
      metrics.ingestObjects.labels(outcome).inc();
      metrics.ingestDuration.observe(ms / 1000);
      log(
        `ingest ${outcome}: ${object.key} (${object.songs} songs, ${object.passages} passages, ` +
          `${object.skipped} skipped, ${object.errors} errors${object.error ? `: ${object.error}` : ""})`,
      );
      options.ingestObserver?.finished?.(object, outcome, ms);
    },
  };

  const crawler = createCrawler({ store: catalogStore, queue, model: embedder.model.name });
  const ingest = createIngestWorker({
    store: catalogStore,
    embedder,
    index,
    bucketFor,
    maxAttempts: maxIngestAttempts,
    observer,
  });
  const search = createSearchService({
    store: songStore,
    index,
    embedder,
    cache,
    cacheTtlSeconds: config.cacheTtlSeconds,
    catalogVersion: () => catalogStore.catalogVersion(),
    ...(options.ranking ? { ranking: options.ranking } : {}),
    ...(options.tuning ? { tuning: options.tuning } : {}),
    onTimings(t) {
      metrics.askDuration.labels("embed").observe(t.embedMs / 1000);
      metrics.askDuration.labels("index").observe(t.indexMs / 1000);
      metrics.askDuration.labels("lexical").observe(t.lexicalMs / 1000);
      metrics.askDuration.labels("total").observe(t.totalMs / 1000);
    },
    onCache: (result) => metrics.cacheRequests.labels(result).inc(),
  });
  const social = createSocialModule({ database, cache, config, search, metrics });

  metrics.sources.queueStats = () => queue.stats();
  metrics.sources.songCount = async () => (await catalogStore.totals()).songs;

  let closed = false;
  return {
    config,
    metrics,
    database,
    cache,
    embedder,
    catalogStore,
    songStore,
    index,
    queue,
    bucketFor,
    crawler,
    ingest,
    search,
    social,
    log,
    async close() {
      if (closed) return;
      closed = true;
      await social.close();
      await queue.close();
      await index.close();
      await embedder.close();
      await cache.close();
      await database.close();
    },
  };
}

export type Verso = Awaited<ReturnType<typeof composeVerso>>;
