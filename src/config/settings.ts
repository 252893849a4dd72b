/**
 * The table of every VERSO_* setting: its variable, what it accepts, its default and its
 * schema. src/config.ts reads and validates them.
 */
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import {
  bool,
  int,
  isCronExpression,
  list,
  optionalText,
  portUrl,
  schemesInWords,
  seconds,
  trustedProxies,
} from "./values.js";

export const roleNames = ["api", "worker", "crawler", "embedder"] as const;
export type Role = (typeof roleNames)[number];

export interface SettingSpec {
  env: string;
  /** What the setting accepts, in words: shown in errors and in `verso serve --help`. */
  accepts: string;
  description: string;
  /** The default, given the data folder. */
  fallback: string | ((dataDir: string) => string);
  schema: z.ZodType;
  /** Never shown in logs or errors (passwords, keys). */
  secret?: boolean;
}

const spec = <S extends SettingSpec>(s: S) => s;

/** The table of settings; the README's configuration table mirrors it. */
export const settings = {
  dataDir: spec({
    env: "VERSO_DATA_DIR",
    accepts: "a folder path",
    description: "where every embedded adapter keeps its files (default ./data)",
    fallback: (dataDir) => dataDir,
    schema: z.string().min(1),
  }),
  databaseUrl: spec({
    env: "VERSO_DATABASE_URL",
    accepts: `one of ${schemesInWords("database")}`,
    description:
      "SQL database: sqlite:<file>, mysql://… or mariadb://… (MariaDB), postgres://… (default sqlite:<data dir>/verso.db)",
    fallback: (dataDir) => `sqlite:${path.join(dataDir, "verso.db")}`,
    schema: portUrl("database"),
    secret: true,
  }),
  databasePool: spec({
    env: "VERSO_DATABASE_POOL",
    accepts: "an integer from 1 to 200",
    description: "connections to a database server per process (default 10)",
    fallback: "10",
    schema: int(1, 200),
  }),
  vectorUrl: spec({
    env: "VERSO_VECTOR_URL",
    accepts: `one of ${schemesInWords("vectors")}`,
    description:
      "vector index: embedded (usearch HNSW in the data folder) or http(s)://host:9200[/index] (Elasticsearch 9 or OpenSearch 2.9+, told apart by the server; elasticsearch+https:// or opensearch+https:// to say which; ?shards=N&replicas=N&quantization=int8|none lay out the index Verso creates) (default embedded)",
    fallback: "embedded",
    schema: portUrl("vectors"),
    secret: true,
  }),
  vectorApiKey: spec({
    env: "VERSO_VECTOR_API_KEY",
    accepts: "an Elasticsearch API key",
    description: "API key for the Elasticsearch vector index (instead of a user and password in the URL)",
    fallback: "",
    schema: optionalText,
    secret: true,
  }),
  vectorCaFile: spec({
    env: "VERSO_VECTOR_CA_FILE",
    accepts: "a PEM file path",
    description: "certificate authority of the Elasticsearch/OpenSearch server's certificate",
    fallback: "",
    schema: optionalText,
  }),
  vectorQuantization: spec({
    env: "VERSO_VECTOR_QUANTIZATION",
    accepts: "f32, f16 or i8",
    description:
      "how the embedded vector index stores each vector: f32 (4 bytes a dimension), f16 (2) or i8 (1), less memory for a little recall; changing it rebuilds the index at the next start (default f32)",
    fallback: "f32",
    schema: z.enum(["f32", "f16", "i8"]),
  }),
  queueUrl: spec({
    env: "VERSO_QUEUE_URL",
    accepts: `one of ${schemesInWords("queue")}`,
    description: "ingest queue: db (a durable table in the database) or amqp://… (RabbitMQ) (default db)",
    fallback: "db",
    schema: portUrl("queue"),
    secret: true,
  }),
  queueName: spec({
    env: "VERSO_QUEUE_NAME",
    accepts: "letters, digits, dots, dashes and underscores",
    description:
      "name of the ingest queue (RabbitMQ: its dead-letter and delay queues derive from it) (default verso.ingest)",
    fallback: "verso.ingest",
    schema: z.string().regex(/^[A-Za-z0-9._-]{1,200}$/),
  }),
  bucketUrl: spec({
    env: "VERSO_BUCKET_URL",
    accepts: `one of ${schemesInWords("bucket")}`,
    description:
      "where catalog CSV objects are listed from: file://<folder> or s3://bucket/prefix (default file://<data dir>/bucket)",
    fallback: (dataDir) => `file://${path.resolve(dataDir, "bucket")}`,
    schema: portUrl("bucket"),
  }),
  libraryUrl: spec({
    env: "VERSO_LIBRARY_URL",
    accepts: `one of ${schemesInWords("library")}`,
    description:
      "your own music as a catalog, crawled beside the bucket: file://<music folder> (read-only; tags and lyrics of the audio files, .lrc/.txt lyrics beside them), subsonic://user@host:port[/path] (Navidrome or any Subsonic server; subsonics:// for HTTPS), or none (default none)",
    fallback: "none",
    schema: portUrl("library"),
  }),
  libraryPassword: spec({
    env: "VERSO_LIBRARY_PASSWORD",
    accepts: "a password",
    description: "the password of the Subsonic account in VERSO_LIBRARY_URL",
    fallback: "",
    schema: optionalText,
    secret: true,
  }),
  secretKey: spec({
    env: "VERSO_SECRET_KEY",
    accepts: "a secret of at least 32 characters",
    description:
      "the key that seals the music server passwords people save (the same on every process of an installation); unset: a key made once in the data folder (secret.key)",
    fallback: "",
    schema: optionalText.pipe(z.string().min(32).optional()),
    secret: true,
  }),
  s3Endpoint: spec({
    env: "VERSO_S3_ENDPOINT",
    accepts: "an http(s) URL",
    description: "endpoint of an S3-compatible store (MinIO, Ceph, …); unset for AWS",
    fallback: "",
    schema: optionalText.pipe(z.string().url().optional()),
  }),
  s3PathStyle: spec({
    env: "VERSO_S3_PATH_STYLE",
    accepts: "true or false",
    description: "path-style bucket addressing (default: true with an endpoint, false on AWS)",
    fallback: "",
    schema: optionalText.pipe(bool.optional()),
  }),
  s3Region: spec({
    env: "VERSO_S3_REGION",
    accepts: "an S3 region",
    description: "S3 region (default: the AWS SDK's chain; us-east-1 with an endpoint)",
    fallback: "",
    schema: optionalText,
  }),
  s3AccessKeyId: spec({
    env: "VERSO_S3_ACCESS_KEY_ID",
    accepts: "an access key id",
    description: "S3 credentials (default: the AWS SDK's standard provider chain)",
    fallback: "",
    schema: optionalText,
    secret: true,
  }),
  s3SecretAccessKey: spec({
    env: "VERSO_S3_SECRET_ACCESS_KEY",
    accepts: "a secret access key",
    description: "S3 credentials, with VERSO_S3_ACCESS_KEY_ID",
    fallback: "",
    schema: optionalText,
    secret: true,
  }),
  cacheUrl: spec({
    env: "VERSO_CACHE_URL",
    accepts: `one of ${schemesInWords("cache")}`,
    description:
      "cache for answers and rate limits: memory, memcached://host:port[,host…], redis://… (default memory)",
    fallback: "memory",
    schema: portUrl("cache"),
    secret: true,
  }),
  cacheTimeoutMs: spec({
    env: "VERSO_CACHE_TIMEOUT_MS",
    accepts: "milliseconds from 10 to 10000",
    description: "longest wait for a cache server before answering without it (default 200)",
    fallback: "200",
    schema: int(10, 10_000),
  }),
  cachePrefix: spec({
    env: "VERSO_CACHE_PREFIX",
    accepts: "a key prefix",
    description: "put before every key on a cache server shared by several installations (default verso:)",
    fallback: "verso:",
    schema: z.string().max(50),
  }),
  embedder: spec({
    env: "VERSO_EMBEDDER",
    accepts: `one of ${schemesInWords("embedder")}`,
    description:
      "embedding model: use-lite (Universal Sentence Encoder lite, in process), onnx:NAME (a known ONNX sentence model in the data folder, pulled on first start; see `verso model list`) or onnx:/path/to/folder, or http(s)://… (Verso's embedder role or any OpenAI-compatible /v1/embeddings server) (default use-lite)",
    fallback: "use-lite",
    schema: portUrl("embedder"),
  }),
  offline: spec({
    env: "VERSO_OFFLINE",
    accepts: "true or false",
    description: "never reach the network for a model: a missing one is an error at start (default false)",
    fallback: "false",
    schema: bool,
  }),
  modelHub: spec({
    env: "VERSO_MODEL_HUB",
    accepts: "an http(s) URL",
    description:
      "where `verso model pull` fetches models from, in the Hugging Face hub's layout (default https://huggingface.co)",
    fallback: "https://huggingface.co",
    schema: z.string().url(),
  }),
  translator: spec({
    env: "VERSO_TRANSLATOR",
    accepts: `one of ${schemesInWords("translator")}`,
    description:
      "machine translation of prompts into the embedding model's language: apertium (Debian's apertium with a pair such as apertium-eng-spa, run as a separate program), none, or auto: apertium when it is installed (default auto)",
    fallback: "auto",
    schema: portUrl("translator"),
  }),
  embedderModel: spec({
    env: "VERSO_EMBEDDER_MODEL",
    accepts: "a model name",
    description: "model to ask a remote OpenAI-compatible embedder for (default: the one it serves)",
    fallback: "",
    schema: optionalText,
  }),
  embedderApiKey: spec({
    env: "VERSO_EMBEDDER_API_KEY",
    accepts: "a bearer token",
    description: "API key sent to a remote embedder",
    fallback: "",
    schema: optionalText,
    secret: true,
  }),
  embedderTimeoutSeconds: spec({
    env: "VERSO_EMBEDDER_TIMEOUT",
    accepts: "seconds from 1 to 600",
    description: "longest wait for one request to a remote embedder (default 30)",
    fallback: "30",
    schema: seconds(1, 600),
  }),
  embedderBatch: spec({
    env: "VERSO_EMBEDDER_BATCH",
    accepts: "an integer from 1 to 2048",
    description: "texts per request to a remote embedder (default 64)",
    fallback: "64",
    schema: int(1, 2048),
  }),
  embedderConcurrency: spec({
    env: "VERSO_EMBEDDER_CONCURRENCY",
    accepts: "an integer from 1 to 64",
    description: "requests in flight to a remote embedder for ingest (default 2)",
    fallback: "2",
    schema: int(1, 64),
  }),
  port: spec({
    env: "VERSO_PORT",
    accepts: "an integer from 0 to 65535",
    description: "HTTP port (default 3000)",
    fallback: "3000",
    schema: int(0, 65535),
  }),
  host: spec({
    env: "VERSO_HOST",
    accepts: "an address to listen on",
    description: "HTTP address (default 0.0.0.0)",
    fallback: "0.0.0.0",
    schema: z.string().min(1),
  }),
  roles: spec({
    env: "VERSO_ROLES",
    accepts: `a comma-separated list of ${roleNames.join(", ")}, or all`,
    description: "what this process does (default api,worker,crawler)",
    fallback: "api,worker,crawler",
    schema: list.pipe(z.array(z.enum([...roleNames, "all"])).min(1)),
  }),
  embedThreads: spec({
    env: "VERSO_EMBED_THREADS",
    accepts: "an integer from 1 to 64",
    description: "embedding worker threads of the in-process model (default: the number of cores)",
    fallback: () => String(Math.min(64, os.availableParallelism())),
    schema: int(1, 64),
  }),
  workerConcurrency: spec({
    env: "VERSO_WORKER_CONCURRENCY",
    accepts: "an integer from 1 to 64",
    description: "catalog objects one worker processes at once (the queue's prefetch) (default 1)",
    fallback: "1",
    schema: int(1, 64),
  }),
  queueLeaseSeconds: spec({
    env: "VERSO_QUEUE_LEASE",
    accepts: "a number of seconds from 1 to 3600",
    description:
      "how long an object (and a job of the db queue) waits for a worker that stopped answering before another takes it (default 30)",
    fallback: "30",
    schema: seconds(1, 3600),
  }),
  ingestMaxDeliveries: spec({
    env: "VERSO_INGEST_MAX_DELIVERIES",
    accepts: "an integer from 1 to 100",
    description: "times a worker may stop while processing an object before it is marked failed (default 5)",
    fallback: "5",
    schema: int(1, 100),
  }),
  ingestRetrySeconds: spec({
    env: "VERSO_INGEST_RETRY_FOR",
    accepts: "a number of seconds from 0",
    description:
      "how long an object whose embedder, database or bucket is away is retried, with growing pauses, before it is marked failed (default 3600)",
    fallback: "3600",
    schema: seconds(0),
  }),
  failedRetrySeconds: spec({
    env: "VERSO_FAILED_RETRY_AFTER",
    accepts: "a number of seconds from 0",
    description:
      "a failed object is tried again by the first crawl this long after it failed (default 3600); POST /api/catalog/scan tries at once",
    fallback: "3600",
    schema: seconds(0),
  }),
  ingestSliceSeconds: spec({
    env: "VERSO_INGEST_SLICE",
    accepts: "a number of seconds from 1",
    description:
      "longest a worker keeps one delivery before it continues the object in a new job, well under the broker's consumer timeout (default 600)",
    fallback: "600",
    schema: seconds(1),
  }),
  csvMaxRecordChars: spec({
    env: "VERSO_CSV_MAX_RECORD",
    accepts: "a number of characters from 1000",
    description: "longest CSV record; a longer one (an unclosed quote?) fails its object (default 1000000)",
    fallback: "1000000",
    schema: int(1000, 100_000_000),
  }),
  lyricsMaxChars: spec({
    env: "VERSO_LYRICS_MAX",
    accepts: "a number of characters from 100",
    description: "longest lyrics of one song; a longer row is reported as bad (default 100000)",
    fallback: "100000",
    schema: int(100, 10_000_000),
  }),
  crawlSchedule: spec({
    env: "VERSO_CRAWL_SCHEDULE",
    accepts: "a cron expression (five fields, or six with seconds first), or off",
    description:
      "when the crawler lists the bucket, in cron syntax (default */5 * * * *: every five minutes); off crawls only at start and on POST /api/catalog/scan",
    fallback: "*/5 * * * *",
    schema: z.string().refine((value) => value === "off" || isCronExpression(value)),
  }),
  demo: spec({
    env: "VERSO_DEMO",
    accepts: "true or false",
    description: "ingest the demo catalog when the catalog is empty (default true)",
    fallback: "true",
    schema: bool,
  }),
  cacheTtlSeconds: spec({
    env: "VERSO_CACHE_TTL",
    accepts: "a number of seconds from 0",
    description: "how long search results stay cached (default 3600)",
    fallback: "3600",
    schema: seconds(0),
  }),
  rateLimitFactor: spec({
    env: "VERSO_RATE_LIMIT_FACTOR",
    accepts: "a number from 0 to 1000",
    description:
      "scales the per-minute limits on asking, similar songs, publishing, liking and following, per account and per address (default 1; 0 turns them off)",
    fallback: "1",
    schema: z.coerce.number().min(0).max(1000),
  }),
  sessionTtlDays: spec({
    env: "VERSO_SESSION_TTL_DAYS",
    accepts: "a number of days from 1 to 365",
    description: "how long a session lasts without use (default 30)",
    fallback: "30",
    schema: seconds(1, 365),
  }),
  sessionMaxAgeDays: spec({
    env: "VERSO_SESSION_MAX_AGE_DAYS",
    accepts: "a number of days from 1 to 3650",
    description: "how long a session lasts after sign-in, however much it is used (default 90)",
    fallback: "90",
    schema: seconds(1, 3650),
  }),
  hashConcurrency: spec({
    env: "VERSO_HASH_CONCURRENCY",
    accepts: "an integer from 1 to 16",
    description: "password hashes computed at once, 19 MiB each (default 2)",
    fallback: "2",
    schema: int(1, 16),
  }),
  trustProxy: spec({
    env: "VERSO_TRUST_PROXY",
    accepts:
      "false, a number of proxy hops from 1 to 10, or a comma-separated list of proxy addresses and CIDRs",
    description:
      "which reverse proxies' X-Forwarded-For and X-Forwarded-Proto to believe: the client's address (for rate limits) and HTTPS (for Secure cookies) come from them (default false: none)",
    fallback: "false",
    schema: trustedProxies,
  }),
  metricsToken: spec({
    env: "VERSO_METRICS_TOKEN",
    accepts: "empty, or a secret of 16 to 256 characters without spaces",
    description:
      "when set, GET /metrics answers only requests that send `Authorization: Bearer <token>` (default empty: open)",
    fallback: "",
    schema: z.union([z.literal(""), z.string().regex(/^\S{16,256}$/)]),
    secret: true,
  }),
  shutdownSeconds: spec({
    env: "VERSO_SHUTDOWN_TIMEOUT",
    accepts: "a number of seconds from 1 to 600",
    description:
      "on SIGTERM, how long requests in flight and objects in progress may take to finish before the process exits anyway (default 30)",
    fallback: "30",
    schema: seconds(1, 600),
  }),
  logLevel: spec({
    env: "VERSO_LOG_LEVEL",
    accepts: "fatal, error, warn, info, debug, trace or silent",
    description: "log level (default info)",
    fallback: "info",
    schema: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
  }),
} as const satisfies Record<string, SettingSpec>;
