/**
 * Every VERSO_* setting, read and validated once at start into a typed object. A bad value
 * stops the process with a message naming the setting and what it accepts. Command-line flags
 * of `verso serve` / `verso ingest` override the environment (flag `--database-url` for
 * VERSO_DATABASE_URL, and so on).
 */
import os from "node:os";
import path from "node:path";
import { z } from "zod";

export const roleNames = ["api", "worker", "crawler", "embedder"] as const;
export type Role = (typeof roleNames)[number];

interface SettingSpec {
  env: string;
  /** What the setting accepts, in words: shown in errors and in `verso serve --help`. */
  accepts: string;
  description: string;
}

/** The table of settings; the README's configuration table mirrors it. */
export const settings = {
  dataDir: {
    env: "VERSO_DATA_DIR",
    accepts: "a folder path",
    description: "where every embedded adapter keeps its files (default ./data)",
  },
  databaseUrl: {
    env: "VERSO_DATABASE_URL",
    accepts: "sqlite:<path> (or sqlite::memory:)",
    description: "SQL database (default sqlite:<data dir>/verso.db)",
  },
  vectorUrl: {
    env: "VERSO_VECTOR_URL",
    accepts: "embedded",
    description: "vector index (default embedded: usearch HNSW next to the database)",
  },
  queueUrl: {
    env: "VERSO_QUEUE_URL",
    accepts: "db",
    description: "job queue (default db: a durable table in the SQL database)",
  },
  bucketUrl: {
    env: "VERSO_BUCKET_URL",
    accepts: "file://<folder>",
    description: "where catalog CSV objects are listed from (default file://<data dir>/bucket)",
  },
  cacheUrl: {
    env: "VERSO_CACHE_URL",
    accepts: "memory",
    description: "cache for search results and rate limits (default memory: in-process LRU)",
  },
  embedder: {
    env: "VERSO_EMBEDDER",
    accepts: "use-lite",
    description: "embedding model (default use-lite: Universal Sentence Encoder lite, in process)",
  },
  port: { env: "VERSO_PORT", accepts: "an integer from 0 to 65535", description: "HTTP port (default 3000)" },
  host: {
    env: "VERSO_HOST",
    accepts: "an address to listen on",
    description: "HTTP address (default 0.0.0.0)",
  },
  roles: {
    env: "VERSO_ROLES",
    accepts: `a comma-separated list of ${roleNames.join(", ")}, or all`,
    description: "what this process does (default api,worker,crawler)",
  },
  embedThreads: {
    env: "VERSO_EMBED_THREADS",
    accepts: "an integer from 1 to 64",
    description: "embedding worker threads (default: the number of cores)",
  },
  workerConcurrency: {
    env: "VERSO_WORKER_CONCURRENCY",
    accepts: "an integer from 1 to 64",
    description: "catalog objects one worker processes at once (default 1)",
  },
  queueLeaseSeconds: {
    env: "VERSO_QUEUE_LEASE",
    accepts: "a number of seconds from 1 to 3600",
    description:
      "how long a job waits for a worker that stopped answering before another takes it (default 30)",
  },
  crawlIntervalSeconds: {
    env: "VERSO_CRAWL_INTERVAL",
    accepts: "a number of seconds, 0 to crawl only on demand",
    description: "how often the crawler lists the bucket (default 300)",
  },
  demo: {
    env: "VERSO_DEMO",
    accepts: "true or false",
    description: "ingest the demo catalog when the catalog is empty (default true)",
  },
  cacheTtlSeconds: {
    env: "VERSO_CACHE_TTL",
    accepts: "a number of seconds from 0",
    description: "how long search results stay cached (default 3600)",
  },
  sessionTtlDays: {
    env: "VERSO_SESSION_TTL_DAYS",
    accepts: "a number of days from 1 to 365",
    description: "how long a session lasts without use (default 30)",
  },
  hashConcurrency: {
    env: "VERSO_HASH_CONCURRENCY",
    accepts: "an integer from 1 to 16",
    description: "password hashes computed at once, 19 MiB each (default 2)",
  },
  admins: {
    env: "VERSO_ADMINS",
    accepts: "a comma-separated list of usernames",
    description: "users allowed to trigger a crawl through the API (default none)",
  },
  trustProxy: {
    env: "VERSO_TRUST_PROXY",
    accepts: "true or false",
    description: "trust X-Forwarded-* headers from a reverse proxy (default false)",
  },
  logLevel: {
    env: "VERSO_LOG_LEVEL",
    accepts: "fatal, error, warn, info, debug, trace or silent",
    description: "log level (default info)",
  },
} as const satisfies Record<string, SettingSpec>;

export type SettingName = keyof typeof settings;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => ["true", "1", "yes"].includes(v));
const list = z.string().transform((v) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
);

const schema = {
  dataDir: z.string().min(1),
  databaseUrl: z.string().regex(/^sqlite:.+/),
  vectorUrl: z.literal("embedded"),
  queueUrl: z.literal("db"),
  bucketUrl: z.string().regex(/^file:\/\/.+/),
  cacheUrl: z.literal("memory"),
  embedder: z.literal("use-lite"),
  port: int(0, 65535),
  host: z.string().min(1),
  roles: list.pipe(z.array(z.enum([...roleNames, "all"])).min(1)),
  embedThreads: int(1, 64),
  workerConcurrency: int(1, 64),
  queueLeaseSeconds: z.coerce.number().min(1).max(3600),
  crawlIntervalSeconds: z.coerce.number().min(0),
  demo: bool,
  cacheTtlSeconds: z.coerce.number().min(0),
  sessionTtlDays: z.coerce.number().min(1).max(365),
  hashConcurrency: int(1, 16),
  admins: list.pipe(z.array(z.string())),
  trustProxy: bool,
  logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]),
} satisfies Record<SettingName, z.ZodType>;

export interface Config {
  dataDir: string;
  databaseUrl: string;
  vectorUrl: "embedded";
  queueUrl: "db";
  bucketUrl: string;
  cacheUrl: "memory";
  embedder: "use-lite";
  port: number;
  host: string;
  roles: ReadonlySet<Role>;
  embedThreads: number;
  workerConcurrency: number;
  queueLeaseSeconds: number;
  crawlIntervalSeconds: number;
  demo: boolean;
  cacheTtlSeconds: number;
  sessionTtlDays: number;
  hashConcurrency: number;
  admins: readonly string[];
  trustProxy: boolean;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
}

const defaults = (dataDir: string): Record<SettingName, string> => ({
  dataDir,
  databaseUrl: `sqlite:${path.join(dataDir, "verso.db")}`,
  vectorUrl: "embedded",
  queueUrl: "db",
  bucketUrl: `file://${path.resolve(dataDir, "bucket")}`,
  cacheUrl: "memory",
  embedder: "use-lite",
  port: "3000",
  host: "0.0.0.0",
  roles: "api,worker,crawler",
  embedThreads: String(Math.min(64, os.availableParallelism())),
  workerConcurrency: "1",
  queueLeaseSeconds: "30",
  crawlIntervalSeconds: "300",
  demo: "true",
  cacheTtlSeconds: "3600",
  sessionTtlDays: "30",
  hashConcurrency: "2",
  admins: "",
  trustProxy: "false",
  logLevel: "info",
});

/**
 * Reads the settings from the environment and from flags (flags win). Throws ConfigError
 * listing every bad setting at once.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  flags: Partial<Record<SettingName, string | number | boolean>> = {},
): Config {
  const raw = (name: SettingName): string | undefined => {
    const flag = flags[name];
    if (flag !== undefined) return String(flag);
    const value = env[settings[name].env];
    return value === undefined || value === "" ? undefined : value;
  };
  const dataDir = raw("dataDir") ?? "./data";
  const fallback = defaults(dataDir);
  const problems: string[] = [];
  const parsed: Record<string, unknown> = {};
  for (const name of Object.keys(settings) as SettingName[]) {
    const value = raw(name) ?? fallback[name];
    const result = (schema[name] as z.ZodType).safeParse(value);
    if (result.success) parsed[name] = result.data;
    else problems.push(`${settings[name].env}=${JSON.stringify(value)}: expected ${settings[name].accepts}`);
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const roles = parsed.roles as string[];
  return {
    ...(parsed as Omit<Config, "roles">),
    roles: new Set(roles.includes("all") ? roleNames : (roles as Role[])),
  };
}

/** The path behind a sqlite: URL, or ":memory:". */
export const sqlitePath = (databaseUrl: string): string => databaseUrl.replace(/^sqlite:/, "");

/** The folder behind a file:// URL. */
export const fileUrlPath = (url: string): string =>
  path.resolve(decodeURIComponent(url.replace(/^file:\/\//, "")));
