/**
 * The composition root: configuration → adapters (through the registry) → use cases. Nothing
 * is built until a role or command asks for it, so each process gets only what it needs: an
 * `ask` never starts the password hasher, a worker never builds HTTP routes, an api process
 * on a scale-out queue never opens a job table. Whatever was built is closed in reverse order.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { prepareDatabase, type SqlDatabase } from "../adapters/sql/database.js";
import { createSqlCatalogStores } from "../adapters/sql/catalog/index.js";
import { createSqlSongStore } from "../adapters/sql/song-store.js";
import { createSqlMusicServerAccountStore } from "../adapters/sql/music-server-accounts.js";
import type { Config } from "../config.js";
import type { PasswordHasher } from "../core/accounts/password-hasher.js";
import type { AccountRateRules } from "../core/accounts/account-service.js";
import { systemClock, type Clock } from "../core/accounts/user.js";
import { RequestLimits, scaledRequestRules, type RequestRules } from "../core/limits/request-limits.js";
import { CatalogService } from "../core/catalog/catalog-service.js";
import { Crawler } from "../core/catalog/crawler.js";
import { databaseOnly, type IndexWriter } from "../core/catalog/index-writer.js";
import type { IngestObserver } from "../core/catalog/ingest/observer.js";
import { ForegroundWork } from "../core/foreground-work.js";
import { IngestRunner } from "../core/catalog/ingest/runner.js";
import { PassageTexts } from "../core/catalog/ingest/passage-texts.js";
import { IngestWorker } from "../core/catalog/ingest/worker.js";
import { SongPages } from "../core/catalog/song-pages.js";
import type { CatalogStores, IngestJob, SongPageStore, SongStore } from "../core/catalog/store.js";
import { PlaylistService } from "../core/playlists/playlist-service.js";
import { ServerPlaylists } from "../core/playlists/server-playlists.js";
import type { Bucket, Cache, JobQueue, SongSource } from "../core/ports.js";
import { LiveIndex } from "../core/search/live-index.js";
import { SearchService, type Ranking, type RankingTuning } from "../core/search/search-service.js";
import { createMetrics, type Metrics } from "../observability/metrics.js";
import { createPasswordHasher, registry, type AdapterContext, type ComposedEmbedder } from "./registry.js";
import { createAccountAdministration, createSocialServices, type SocialServices } from "./social.js";

export interface ComposeOptions {
  log?: (message: string) => void;
  metrics?: Metrics;
  ingestObserver?: IngestObserver;
  ranking?: Ranking;
  tuning?: Partial<RankingTuning>;
  /**
   * A database that does not answer is retried with growing pauses until it does (a server
   * process waits out a database that starts after it); otherwise the first failure is final
   * (a command run by hand should say at once that it cannot connect).
   */
  waitForDatabase?: boolean;
  /**
   * Whether this process answers searches (runs the api role). A process that does not, with
   * a vector index of its own (embedded), keeps none: its commits go to the database only, and
   * the processes that search catch up from the change log.
   */
  searches?: boolean;
  /** Tests pass a cheaper password hasher, a clock and rate rules of their own. */
  hasher?: PasswordHasher;
  clock?: Clock;
  rateRules?: AccountRateRules;
  /** Limits on the costly routes; null for none. Default: the configured factor's. */
  requestRules?: RequestRules | null;
}

interface Built<T> {
  (): Promise<T>;
  /** Whether it was built and is ready. */
  readonly ready: boolean;
}

export function composeVerso(config: Config, options: ComposeOptions = {}) {
  const log = options.log ?? (() => {});
  const metrics = options.metrics ?? createMetrics();
  const shutdown = new AbortController();
  // One per process: its asks go before its ingest's steps and its index's inserts.
  const foreground = new ForegroundWork();
  const context: AdapterContext = { config, metrics, log, signal: shutdown.signal, background: foreground };
  const closers: (() => Promise<void>)[] = [];
  const onClose = (close: () => Promise<void>) => closers.push(close);

  /** Built once, on first use; a failed build is tried again on the next use. */
  function lazy<T>(build: () => Promise<T>): Built<T> {
    let promise: Promise<T> | undefined;
    let ready = false;
    const get = () => {
      promise ??= build().then(
        (value) => {
          ready = true;
          return value;
        },
        (error: unknown) => {
          promise = undefined;
          throw error;
        },
      );
      return promise;
    };
    return Object.defineProperty(get, "ready", { get: () => ready }) as Built<T>;
  }

  const database = lazy(async (): Promise<SqlDatabase> => {
    const handle = registry.database(context);
    onClose(() => handle.close());
    for (let attempt = 1, pause = 500; ; attempt += 1, pause = Math.min(pause * 2, 30_000)) {
      try {
        await prepareDatabase(handle);
        if (attempt > 1) log(`database ${handle.safeUrl} is answering`);
        return handle;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        if (!options.waitForDatabase || shutdown.signal.aborted) {
          throw new Error(`database ${handle.safeUrl} unavailable: ${reason}`, { cause: error });
        }
        log(`database ${handle.safeUrl} unavailable (${reason}); retrying in ${pause} ms`);
        await sleep(pause, undefined, { signal: shutdown.signal }).catch(() => {});
      }
    }
  });

  const cache = lazy(async (): Promise<Cache> => {
    const built = registry.cache(context);
    onClose(() => built.close());
    return built;
  });

  const embedder = lazy(async (): Promise<ComposedEmbedder> => {
    const built = await registry.embedder(context);
    onClose(() => built.close());
    metrics.sources.embedderQueued = () => built.stats?.().queued ?? {};
    return built;
  });

  /** The embedding model, without starting the built-in embedder just to learn its name. */
  const model = lazy(async () => registry.knownModel(context) ?? (await embedder()).model);

  const catalogStores = lazy(async (): Promise<CatalogStores> => {
    const stores = createSqlCatalogStores(await database());
    metrics.sources.songCount = async () => (await stores.status.totals()).songs;
    metrics.sources.objectCounts = async () => (await stores.status.totals()).objects;
    return stores;
  });

  const songStore = lazy(async (): Promise<SongStore & SongPageStore> =>
    createSqlSongStore(await database()),
  );
  const songPages = lazy(async () => new SongPages(await songStore()));

  const index = lazy(async (): Promise<LiveIndex> => {
    const [db, stores, indexModel] = [await database(), await catalogStores(), await model()];
    const vectors = await registry.vectorIndex(context, db);
    const live = new LiveIndex(vectors, indexModel, stores.changeLog, log);
    onClose(() => live.close());
    return live;
  });

  /** Where catalog commits go (see `searches`). */
  const indexWriter = lazy(async (): Promise<IndexWriter> =>
    options.searches === false && config.vectorUrl === "embedded" ? databaseOnly : index(),
  );

  const queue = lazy(async (): Promise<JobQueue<IngestJob>> => {
    const built = await registry.queue(context, await database());
    onClose(() => built.close());
    metrics.sources.queueStats = () => built.stats();
    return built;
  });

  const buckets = new Map<string, Bucket>();
  const bucketFor = (source: string): Bucket => {
    let bucket = buckets.get(source);
    if (!bucket) {
      bucket = registry.bucket(context, source);
      const closable = bucket as Bucket & { close?: () => Promise<void> | void };
      if (closable.close) onClose(async () => closable.close?.());
      buckets.set(source, bucket);
    }
    return bucket;
  };

  const crawler = lazy(async () => {
    const stores = await catalogStores();
    return new Crawler({
      objects: stores.objects,
      changeLog: stores.changeLog,
      queue: await queue(),
      indexWriter: await indexWriter(),
      model: (await model()).name,
      failedCooldownMs: config.failedRetrySeconds * 1000,
      requeueAfterMs: config.queueLeaseSeconds * 2000,
      maxDeliveries: config.ingestMaxDeliveries,
    });
  });

  const observer = (): IngestObserver => ({
    rows(counts) {
      metrics.ingestRows.labels("song").inc(counts.songs - counts.skipped);
      metrics.ingestRows.labels("skipped").inc(counts.skipped);
      metrics.ingestRows.labels("error").inc(counts.errors);
      metrics.ingestPassages.inc(counts.passages);
      options.ingestObserver?.rows?.(counts);
    },
    embedded(counts) {
      metrics.ingestVectors.labels("reused").inc(counts.reused);
      metrics.ingestVectors.labels("computed").inc(counts.computed);
      options.ingestObserver?.embedded?.(counts);
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
    delivery(outcome, error) {
      metrics.ingestDeliveries.labels(outcome).inc();
      if (outcome === "retrying") log(`ingest will retry: ${error ?? ""}`);
      options.ingestObserver?.delivery?.(outcome, error);
    },
  });

  const ingest = lazy(async () => {
    const [jobs, { runs }, ingestEmbedder, writer] = [
      await queue(),
      await catalogStores(),
      await embedder(),
      await indexWriter(),
    ];
    const watcher = observer();
    const runner = new IngestRunner({
      store: runs,
      embedder: ingestEmbedder,
      passageTexts: new PassageTexts({ model: ingestEmbedder.model, translator: await translator() }),
      indexWriter: writer,
      background: foreground,
      bucketFor,
      csvLimits: { maxRecordChars: config.csvMaxRecordChars, maxLyricsChars: config.lyricsMaxChars },
      observer: watcher,
    });
    return new IngestWorker({
      store: runs,
      runner,
      indexWriter: writer,
      model: ingestEmbedder.model.name,
      enqueue: (job) => jobs.enqueue(job),
      maxAttempts: 3,
      retryTransientForMs: config.ingestRetrySeconds * 1000,
      leaseMs: config.queueLeaseSeconds * 1000,
      sliceMs: config.ingestSliceSeconds * 1000,
      observer: watcher,
    });
  });

  const translator = lazy(async () => {
    const built = await registry.translator(context);
    if (built) onClose(() => built.close());
    return built;
  });

  const thesaurus = lazy(async () => registry.thesaurus());

  const search = lazy(async () => {
    const { changeLog } = await catalogStores();
    return new SearchService({
      translator: await translator(),
      thesaurus: await thesaurus(),
      store: await songStore(),
      index: await index(),
      embedder: await embedder(),
      cache: await cache(),
      cacheTtlSeconds: config.cacheTtlSeconds,
      catalogVersion: () => changeLog.catalogVersion(),
      foreground,
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
  });

  const social = lazy(async (): Promise<SocialServices> => {
    const services = createSocialServices({
      database: await database(),
      cache: await cache(),
      config,
      search: await search(),
      embedder: await embedder(),
      metrics,
      hasher: options.hasher ?? createPasswordHasher(),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.rateRules ? { rateRules: options.rateRules } : {}),
    });
    onClose(() => services.close());
    return services;
  });

  const playlists = lazy(async () => {
    const answers = new PlaylistService({ search: await search(), prompts: (await social()).prompts });
    return {
      playlists: answers,
      formats: registry.playlistFormats(),
      onServer: new ServerPlaylists({
        server: registry.playlistServer(context),
        accounts: createSqlMusicServerAccountStore(await database(), registry.sealedBox(context)),
        playlists: answers,
        clock: options.clock ?? systemClock,
      }),
    };
  });

  const administration = lazy(async () => createAccountAdministration(await database()));

  const requestLimits = lazy(async (): Promise<RequestLimits | null> => {
    const rules = options.requestRules ?? scaledRequestRules(config.rateLimitFactor);
    return rules ? new RequestLimits(await cache(), options.clock ?? (() => new Date()), rules) : null;
  });

  const configuredBucket = () => bucketFor(config.bucketUrl);

  /** The music library (VERSO_LIBRARY_URL), crawled beside the bucket; undefined without one. */
  let library: SongSource | undefined | null = null;
  const configuredLibrary = (): SongSource | undefined => {
    if (library !== null) return library;
    library = registry.library(context);
    if (library) buckets.set(library.url, library);
    return library;
  };

  /** The configured catalog sources: the bucket, then the library when there is one. */
  const configuredSources = (): Bucket[] => {
    const own = configuredLibrary();
    return own ? [configuredBucket(), own] : [configuredBucket()];
  };

  const catalog = lazy(async () => {
    const [{ status }, jobs, crawl] = [await catalogStores(), await queue(), await crawler()];
    return new CatalogService({
      status,
      queueStats: () => jobs.stats(),
      async scan({ force }) {
        const totals = { listed: 0, queued: 0, requeued: 0, removed: 0 };
        for (const source of configuredSources()) {
          const report = await crawl.crawl(source, { force });
          totals.listed += report.listed;
          totals.queued += report.queued.length;
          totals.requeued += report.requeued.length;
          totals.removed += report.removed;
        }
        return totals;
      },
    });
  });

  let closed = false;
  return {
    config,
    metrics,
    log,
    /** Aborted by close(): start-up waits (for the database, a remote embedder) give up. */
    signal: shutdown.signal,
    /** The answers being made, which this process's ingest waits for (core/foreground-work.ts). */
    foreground,
    database,
    cache,
    embedder,
    model,
    catalogStores,
    songStore,
    songPages,
    index,
    queue,
    administration,
    translator,
    thesaurus,
    bucketFor,
    configuredBucket,
    configuredLibrary,
    configuredSources,
    crawler,
    ingest,
    search,
    social,
    playlists,
    requestLimits,
    catalog,
    async close() {
      if (closed) return;
      closed = true;
      shutdown.abort();
      for (const close of closers.reverse()) {
        await close().catch((error: unknown) => log(`closing failed: ${String(error)}`));
      }
    },
  };
}

export type Verso = ReturnType<typeof composeVerso>;
