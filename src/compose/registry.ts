/**
 * The adapter registry: for each port, one factory per URL scheme of its setting
 * (src/compose/schemes.ts). This is the only place that constructs an adapter; the
 * composition root asks it for what a role needs, when the role needs it.
 */
import type { BackgroundTurns } from "../core/foreground-work.js";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { createFolderBucket } from "../adapters/bucket/folder.js";
import { createS3Bucket } from "../adapters/bucket/s3.js";
import { createMusicFolder, musicFolderSource } from "../adapters/library/music-folder.js";
import { createSubsonicSource, subsonicSource } from "../adapters/library/subsonic-source.js";
import { describeCacheUrl, openCache } from "../adapters/cache/open-cache.js";
import { createRemoteEmbedder } from "../adapters/embedder/remote.js";
import { createOnnxEmbedder } from "../adapters/embedder/onnx.js";
import { readModelFolder } from "../adapters/embedder/onnx-folder.js";
import { modelsDirOf, pullModel } from "../adapters/embedder/onnx-pull.js";
import type { PoolEmbedder, PoolEvent } from "../adapters/embedder/pool.js";
import { createUseLiteEmbedder, useLiteModel } from "../adapters/embedder/use-lite.js";
import { createArgon2Hasher } from "../adapters/password/argon2-hasher.js";
import { m3u8Format } from "../adapters/playlists/m3u8.js";
import { xspfFormat } from "../adapters/playlists/xspf.js";
import { createSubsonicPlaylistServer } from "../adapters/subsonic/playlist-server.js";
import { createWordnetThesaurus } from "../adapters/thesaurus/wordnet.js";
import { createApertiumTranslator, installedApertiumPairs } from "../adapters/translator/apertium.js";
import { createAmqpQueue } from "../adapters/queue/amqp-queue.js";
import { createSqlQueue } from "../adapters/queue/sql-queue.js";
import { createDatabase, type SqlDatabase } from "../adapters/sql/database.js";
import { createSearchEngineIndex } from "../adapters/vectors/search-engine.js";
import { createUsearchThreadIndex } from "../adapters/vectors/usearch-thread.js";
import { fileUrlPath, type Config } from "../config.js";
import type { IngestJob } from "../core/catalog/store.js";
import { knownModel as knownEmbeddingModel, knownModels } from "../core/embedding-models.js";
import type { PasswordHasher } from "../core/accounts/password-hasher.js";
import type { PlaylistServer } from "../core/playlists/music-server.js";
import type { PlaylistFormats } from "../core/playlists/playlist-format.js";
import type {
  Bucket,
  SongSource,
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
import { createSealedBox, sealingKey, type SealedBox } from "../adapters/secrets/sealed-box.js";

export interface AdapterContext {
  config: Config;
  metrics: Metrics;
  log: (message: string) => void;
  /** Aborted when the process shuts down: adapters that wait at start stop waiting. */
  signal: AbortSignal;
  /** Where background work (the live index's inserts and removals) lets the answers being made go first. */
  background: BackgroundTurns;
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
  // keeps its own copy, rebuilt or caught up from the database, in a thread of its own.
  embedded: ({ config, log, background }, { database }) =>
    createUsearchThreadIndex({
      background,
      directory:
        database.dialect === "sqlite" ? database.directory : path.resolve(config.dataDir, "vector-index"),
      quantization: config.vectorQuantization,
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

/**
 * A music library: the configured one (VERSO_LIBRARY_URL) or, by the catalog source id its
 * objects carry, the same library again in a worker (music+file://…, subsonic://…).
 */
const libraries: Factories<"library", SongSource | undefined, { url: string }> = {
  none: () => undefined,
  file: (_context, { url }) => createMusicFolder(fileUrlPath(url)),
  subsonic: ({ config }, { url }) => createSubsonicSource(url, config.libraryPassword),
  subsonics: ({ config }, { url }) => createSubsonicSource(url, config.libraryPassword),
};

/** The catalog source a library's objects are recorded under: what `bucketFor` is later asked for. */
export const librarySourceOf = (url: string): string => {
  const scheme = schemeOf(url);
  if (scheme === "file") return musicFolderSource(fileUrlPath(url));
  return scheme === "subsonic" || scheme === "subsonics" ? subsonicSource(url) : url;
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
  "use-lite": async ({ config, metrics, log }) =>
    started(
      createUseLiteEmbedder({ threads: config.embedThreads, metrics, onEvent: logPoolEvent(log) }),
      log,
    ),
  onnx: async ({ config, metrics, log, signal }) => {
    const { folder, spec } = await onnxModel(config, { log, signal });
    log(`embedding with ${spec.name} (${spec.dimension} dimensions) from ${folder}`);
    return started(
      createOnnxEmbedder({ folder, spec, threads: config.embedThreads, metrics, onEvent: logPoolEvent(log) }),
      log,
    );
  },
  http: remote,
  https: remote,
};

/**
 * The model a `onnx:` setting names: a known model's folder in the data folder, pulled from the
 * hub on first start unless VERSO_OFFLINE; or a folder given by path.
 */
async function onnxModel(config: Config, { log, signal }: Pick<AdapterContext, "log" | "signal">) {
  const target = config.embedder.slice("onnx:".length);
  const known = knownEmbeddingModel(target);
  if (!known) {
    if (!/[\\/.]/.test(target)) {
      const names = knownModels.map((model) => model.name).join(", ");
      throw new Error(
        `VERSO_EMBEDDER=onnx:${target}: no known model of that name (${names}), nor a folder path`,
      );
    }
    const folder = path.resolve(target);
    return { folder, spec: await readModelFolder(folder) };
  }
  let reported = 0;
  const folder = await pullModel(known, {
    hubUrl: config.modelHub,
    modelsDir: modelsDirOf(config.dataDir),
    offline: config.offline,
    signal,
    onProgress: ({ file, done, total }) => {
      // A line every 10 MB: start-up logs, not a progress bar.
      if (done - reported < 10_000_000 && done !== total) return;
      reported = done === total ? 0 : done;
      log(
        `pulling ${known.name}: ${file} ${Math.round(done / 1e6)}${total ? ` of ${Math.round(total / 1e6)}` : ""} MB`,
      );
    },
  });
  return { folder, spec: known };
}

/** Workers load in the background: the embedder is handed out at once, its failure logged. */
function started(pool: PoolEmbedder, log: (message: string) => void): ComposedEmbedder {
  pool.ready().catch((error: unknown) => log(`the embedding model could not start: ${String(error)}`));
  return pool;
}

const logPoolEvent = (log: (message: string) => void) => (event: PoolEvent) => {
  if (event.type === "worker-crashed") log(`embedding worker crashed: ${event.error.message}`);
  if (event.type === "worker-hung")
    log(`embedding worker hung: no answer to ${event.textsInFlight} texts in ${event.timeoutMs} ms`);
  if (event.type === "failed")
    log(`the embedder is out of service, retrying in ${event.retryInMs} ms: ${event.error.message}`);
  if (event.type === "recovered") log("the embedder is serving again");
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
  bucket: (context: AdapterContext, url: string): Bucket => {
    // A library's objects name its source: music+file://<folder>, subsonic(s)://user@host.
    if (schemeOf(url) === "music+file") return createMusicFolder(url.slice("music+file://".length));
    if (schemeOf(url) === "subsonic" || schemeOf(url) === "subsonics") {
      return choose("library", libraries, url)(context, { url }) as SongSource;
    }
    return choose("bucket", buckets, url)(context, { url });
  },
  /** The configured music library, or undefined without one. */
  library: (context: AdapterContext) =>
    choose("library", libraries, context.config.libraryUrl)(context, { url: context.config.libraryUrl }),
  cache: (context: AdapterContext) => choose("cache", caches, context.config.cacheUrl)(context),
  embedder: (context: AdapterContext) => choose("embedder", embedders, context.config.embedder)(context),
  /** The playlist file formats answers download as: every one, nothing to configure. */
  playlistFormats: (): PlaylistFormats => ({ m3u8: m3u8Format, xspf: xspfFormat }),
  /**
   * Where answers are saved as playlists with each person's own account: the catalog's
   * Subsonic server (VERSO_LIBRARY_URL=subsonic://… or subsonics://…); null for other catalogs.
   */
  playlistServer: ({ config }: Pick<AdapterContext, "config">): PlaylistServer | null =>
    ["subsonic", "subsonics"].includes(schemeOf(config.libraryUrl))
      ? createSubsonicPlaylistServer(config.libraryUrl)
      : null,
  /** Seals the secrets Verso must give back as they were (music server passwords). */
  sealedBox: ({ config }: Pick<AdapterContext, "config">): SealedBox =>
    createSealedBox(sealingKey({ secret: config.secretKey, dataDir: config.dataDir })),
  /** WordNet, from the files of a dependency: nothing to configure. */
  thesaurus: (): Thesaurus => createWordnetThesaurus(),
  translator: (context: AdapterContext) =>
    choose("translator", translators, context.config.translator)(context),
  /**
   * The embedding model, when it is known without starting the embedder (the built-in one, a
   * known ONNX one); null for a remote one, which says what it serves, or a folder given by path.
   */
  knownModel: (context: AdapterContext): EmbeddingModel | null => {
    const setting = context.config.embedder;
    if (schemeOf(setting) === "use-lite") return useLiteModel;
    const known =
      schemeOf(setting) === "onnx" ? knownEmbeddingModel(setting.slice("onnx:".length)) : undefined;
    return known ? { name: known.name, dimension: known.dimension } : null;
  },
};

/** Every scheme each port's factories cover: what a test compares with the configuration's table. */
export const registeredSchemes: Record<Port, string[]> = {
  database: Object.keys(databases),
  vectors: Object.keys(vectorIndexes),
  queue: Object.keys(queues),
  bucket: Object.keys(buckets),
  library: Object.keys(libraries),
  cache: Object.keys(caches),
  embedder: Object.keys(embedders),
  translator: Object.keys(translators),
};
