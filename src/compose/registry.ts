/**
 * The adapter registry: for each port, one factory per URL scheme of its setting
 * (src/compose/schemes.ts). This is the only place that constructs an adapter; the
 * composition root asks it for what a role needs, when the role needs it.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { createFolderBucket } from "../adapters/bucket/folder.js";
import { createS3Bucket } from "../adapters/bucket/s3.js";
import { describeCacheUrl, openCache } from "../adapters/cache/open-cache.js";
import { createRemoteEmbedder } from "../adapters/embedder/remote.js";
import { createUseLiteEmbedder, useLiteModel } from "../adapters/embedder/use-lite.js";
import { createArgon2Hasher } from "../adapters/password/argon2-hasher.js";
import { createWordnetThesaurus } from "../adapters/thesaurus/wordnet.js";
import { createApertiumTranslator, installedApertiumPairs } from "../adapters/translator/apertium.js";
import { createAmqpQueue } from "../adapters/queue/amqp-queue.js";
import { createSqlQueue } from "../adapters/queue/sql-queue.js";
import { createDatabase, type SqlDatabase } from "../adapters/sql/database.js";
import { createSearchEngineIndex } from "../adapters/vectors/search-engine.js";
import { createUsearchIndex } from "../adapters/vectors/usearch.js";
import { fileUrlPath, type Config } from "../config.js";
import type { IngestJob } from "../core/catalog/store.js";
import type { PasswordHasher } from "../core/accounts/password-hasher.js";
import type {
  Bucket,
  Cache,
  Embedder,
  EmbeddingModel,
  JobQueue,
  Thesaurus,
  Translator,
  VectorIndex,
} from "../core/ports.js";
import type { EmbedderLoad } from "../http/embedder/routes.js";
import type { Metrics } from "../observability/metrics.js";
import { schemeOf, type Port, type portSchemes } from "./schemes.js";

export interface AdapterContext {
  config: Config;
  metrics: Metrics;
  log: (message: string) => void;
  /** Aborted when the process shuts down: adapters that wait at start stop waiting. */
  signal: AbortSignal;
}

/** An embedder with the load it can report, when it can (the worker pool's stats fit). */
export type ComposedEmbedder = Embedder & { stats?: () => EmbedderLoad };

type Scheme<P extends Port> = (typeof portSchemes)[P][number];
type Factories<P extends Port, A, Deps = void> = Record<
  Scheme<P>,
  (context: AdapterContext, deps: Deps) => A
>;

/** Deliveries of one ingest job before the queue dead-letters it; the ingest itself decides sooner. */
const QUEUE_MAX_ATTEMPTS = 100;

const databases: Factories<"database", SqlDatabase> = {
  sqlite: open,
  mysql: open,
  mariadb: open,
  postgres: open,
  postgresql: open,
};

function open({ config, log }: AdapterContext): SqlDatabase {
  return createDatabase(config.databaseUrl, { poolSize: config.databasePool, warn: log });
}

const vectorIndexes: Factories<"vectors", Promise<VectorIndex>, { database: SqlDatabase }> = {
  // Beside a SQLite file, or in the data folder when the database is a server: each process
  // keeps its own copy, rebuilt or caught up from the database.
  embedded: ({ config, log }, { database }) =>
    createUsearchIndex({
      directory:
        database.dialect === "sqlite" ? database.directory : path.resolve(config.dataDir, "vector-index"),
      warn: log,
    }),
  http: searchEngine,
  https: searchEngine,
  "elasticsearch+http": searchEngine,
  "elasticsearch+https": searchEngine,
  "opensearch+http": searchEngine,
  "opensearch+https": searchEngine,
};

/** Elasticsearch or OpenSearch: one index every process shares. */
async function searchEngine({ config }: AdapterContext): Promise<VectorIndex> {
  return createSearchEngineIndex({
    url: config.vectorUrl,
    ...(config.vectorApiKey ? { apiKey: config.vectorApiKey } : {}),
    ...(config.vectorCaFile ? { caCertificate: await readFile(config.vectorCaFile, "utf8") } : {}),
  });
}

const queues: Factories<"queue", Promise<JobQueue<IngestJob>>, { database: SqlDatabase }> = {
  db: async ({ config, log }, { database }) =>
    createSqlQueue<IngestJob>(database, {
      queue: config.queueName,
      maxAttempts: QUEUE_MAX_ATTEMPTS,
      leaseSeconds: config.queueLeaseSeconds,
      onError: (error) => log(`ingest queue: ${error instanceof Error ? error.message : String(error)}`),
    }),
  amqp: amqp,
  amqps: amqp,
};

function amqp({ config, log }: AdapterContext): Promise<JobQueue<IngestJob>> {
  return createAmqpQueue<IngestJob>({
    url: config.queueUrl,
    queue: config.queueName,
    maxAttempts: QUEUE_MAX_ATTEMPTS,
    deliveryLimit: config.ingestMaxDeliveries,
    onError: (error) => log(`ingest queue: ${error.message}`),
    log,
  });
}

const buckets: Factories<"bucket", Bucket, { url: string }> = {
  file: (_context, { url }) => createFolderBucket(fileUrlPath(url)),
  s3: ({ config }, { url }) =>
    createS3Bucket({
      url,
      ...(config.s3Endpoint ? { endpoint: config.s3Endpoint } : {}),
      ...(config.s3PathStyle !== undefined ? { forcePathStyle: config.s3PathStyle } : {}),
      ...(config.s3Region ? { region: config.s3Region } : config.s3Endpoint ? { region: "us-east-1" } : {}),
      ...(config.s3AccessKeyId && config.s3SecretAccessKey
        ? { credentials: { accessKeyId: config.s3AccessKeyId, secretAccessKey: config.s3SecretAccessKey } }
        : {}),
    }),
};

const caches: Factories<"cache", Cache> = {
  memory: cache,
  memcached: cache,
  redis: cache,
  rediss: cache,
};

function cache({ config, metrics, log }: AdapterContext): Cache {
  return openCache({
    url: config.cacheUrl,
    keyPrefix: config.cachePrefix,
    timeoutMs: config.cacheTimeoutMs,
    onUnavailable: (operation) => metrics.cacheFallbacks.labels(operation).inc(),
    onStateChange: ({ state, reason }) =>
      log(
        state === "open"
          ? `cache ${describeCacheUrl(config.cacheUrl)} unavailable, answering without it: ${reason}`
          : `cache ${describeCacheUrl(config.cacheUrl)} is back`,
      ),
  });
}

const embedders: Factories<"embedder", Promise<ComposedEmbedder>> = {
  "use-lite": async ({ config, metrics, log }) => {
    const pool = createUseLiteEmbedder({
      threads: config.embedThreads,
      metrics,
      onEvent: (event) => {
        if (event.type === "worker-crashed") log(`embedding worker crashed: ${event.error.message}`);
        if (event.type === "worker-hung")
          log(`embedding worker hung: no answer to ${event.textsInFlight} texts in ${event.timeoutMs} ms`);
        if (event.type === "failed")
          log(`the embedder is out of service, retrying in ${event.retryInMs} ms: ${event.error.message}`);
        if (event.type === "recovered") log("the embedder is serving again");
      },
    });
    pool.ready().catch((error: unknown) => log(`the embedding model could not start: ${String(error)}`));
    return pool;
  },
  http: remote,
  https: remote,
};

function remote({ config, metrics, log, signal }: AdapterContext): Promise<ComposedEmbedder> {
  return createRemoteEmbedder({
    url: config.embedder,
    ...(config.embedderModel ? { model: config.embedderModel } : {}),
    ...(config.embedderApiKey ? { apiKey: config.embedderApiKey } : {}),
    timeoutMs: config.embedderTimeoutSeconds * 1000,
    maxBatch: config.embedderBatch,
    concurrency: config.embedderConcurrency,
    metrics,
    signal,
    onEvent: (event) => {
      if (event.type === "waiting")
        log(`embedder ${event.url} not answering (${event.reason}); retrying in ${event.retryInMs} ms`);
      if (event.type === "connected")
        log(`embedder ${event.url} serves ${event.model.name} (${event.model.dimension} dimensions)`);
    },
  });
}

const translators: Factories<"translator", Promise<Translator | undefined>> = {
  auto: async ({ log }) => {
    const pairs = await installedApertiumPairs();
    if (pairs.length === 0) return undefined;
    log(`translating prompts with apertium (${pairs.join(", ")})`);
    return createApertiumTranslator({ pairs });
  },
  apertium: async () => {
    const pairs = await installedApertiumPairs();
    if (pairs.length === 0) {
      throw new Error(
        "VERSO_TRANSLATOR=apertium, but apertium has no language pair here (install apertium-eng-spa)",
      );
    }
    return createApertiumTranslator({ pairs });
  },
  none: async () => undefined,
};

/** Argon2id with the OWASP parameters. */
export const createPasswordHasher = (): PasswordHasher => createArgon2Hasher();

const choose = <P extends Port, A, D>(port: P, factories: Factories<P, A, D>, url: string) => {
  const factory = factories[schemeOf(url) as Scheme<P>];
  // Configuration refuses unknown schemes at start; reaching this is a bug in the two tables.
  if (!factory) throw new Error(`no ${port} adapter for the scheme of ${schemeOf(url)}`);
  return factory;
};

export const registry = {
  database: (context: AdapterContext) => choose("database", databases, context.config.databaseUrl)(context),
  vectorIndex: (context: AdapterContext, database: SqlDatabase) =>
    choose("vectors", vectorIndexes, context.config.vectorUrl)(context, { database }),
  queue: (context: AdapterContext, database: SqlDatabase) =>
    choose("queue", queues, context.config.queueUrl)(context, { database }),
  bucket: (context: AdapterContext, url: string) => choose("bucket", buckets, url)(context, { url }),
  cache: (context: AdapterContext) => choose("cache", caches, context.config.cacheUrl)(context),
  embedder: (context: AdapterContext) => choose("embedder", embedders, context.config.embedder)(context),
  /** WordNet, from the files of a dependency: nothing to configure. */
  thesaurus: (): Thesaurus => createWordnetThesaurus(),
  translator: (context: AdapterContext) =>
    choose("translator", translators, context.config.translator)(context),
  /**
   * The embedding model, when it is known without starting the embedder (the built-in one);
   * null for a remote one, which says what it serves.
   */
  knownModel: (context: AdapterContext): EmbeddingModel | null =>
    schemeOf(context.config.embedder) === "use-lite" ? useLiteModel : null,
};

/** Every scheme each port's factories cover: what a test compares with the configuration's table. */
export const registeredSchemes: Record<Port, string[]> = {
  database: Object.keys(databases),
  vectors: Object.keys(vectorIndexes),
  queue: Object.keys(queues),
  bucket: Object.keys(buckets),
  cache: Object.keys(caches),
  embedder: Object.keys(embedders),
  translator: Object.keys(translators),
};
