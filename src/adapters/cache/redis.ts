/**
 * Cache port on Redis (ioredis), for several API processes sharing answers and rate limits.
 * URL: redis://[user:password@]host[:port][/db], or rediss:// for TLS. Every key is put under
 * `keyPrefix`, so installations (or test runs) can share one server.
 *
 * A request never waits for a reconnect beyond the command timeout: commands issued while the
 * connection is (re)opening wait in ioredis's queue, but each failed connection attempt fails
 * them at once (maxRetriesPerRequest 0), a command that was sent when the connection dropped is
 * failed rather than sent again, and every command gives up after `timeoutMs`.
 */
import { Redis, type RedisOptions } from "ioredis";
import { VersoError } from "../../core/errors.js";
import type { Cache } from "../../core/ports.js";
import { checkKey, checkValue, counterLifetimeMs, valueLifetimeMs } from "./cache-arguments.js";
import { cacheUnavailable } from "./cache-errors.js";
import { createValueCodec } from "./value-codec.js";

export interface RedisCacheOptions {
  /** redis://[user:password@]host[:port][/db], or rediss://… for TLS (port 6379 by default). */
  url: string;
  /** Put before every key, to share a server between installations or tests (default "verso:"). */
  keyPrefix?: string;
  /** How long a command may take, waiting for a connection included (default 1000 ms). */
  timeoutMs?: number;
  /** Largest stored value, after compression; larger ones are not cached (default 16 MiB). */
  maxValueBytes?: number;
  /** Values above this many bytes are compressed (default 16 KiB). */
  compressAboveBytes?: number;
}

export interface RedisConnection {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls: boolean;
}

/**
 * Counts and, on the count's creation only, sets its expiry: one round trip, atomic, so the
 * window starts at the first attempt and later attempts never stretch it.
 */
const INCREMENT_WITH_EXPIRY = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return count`;

interface CounterCommands {
  versoIncrement(key: string, lifetimeMs: number): Promise<number>;
}

const invalidUrl = (detail: string) =>
  new VersoError(
    "VALIDATION_FAILED",
    `redis URL: ${detail}; expected redis://[user:password@]host[:port][/db], or rediss://… for TLS`,
  );

/** Where a redis:// URL points. Errors never repeat the URL, which may hold a password. */
export function parseRedisUrl(url: string): RedisConnection {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalidUrl("not a URL");
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:")
    throw invalidUrl("not redis:// or rediss://");
  if (!parsed.hostname) throw invalidUrl("no host");
  if (parsed.search || parsed.hash) throw invalidUrl("options after ? or # are not read");
  const db = /^\/?(\d*)$/.exec(parsed.pathname);
  if (!db) throw invalidUrl("the path must be a database number");
  const connection: RedisConnection = {
    host: parsed.hostname.replace(/^\[|\]$/g, ""),
    port: parsed.port ? Number(parsed.port) : 6379,
    db: db[1] ? Number(db[1]) : 0,
    tls: parsed.protocol === "rediss:",
  };
  try {
    if (parsed.username) connection.username = decodeURIComponent(parsed.username);
    if (parsed.password) connection.password = decodeURIComponent(parsed.password);
  } catch {
    throw invalidUrl("badly percent-encoded user name or password");
  }
  return connection;
}

export function createRedisCache(options: RedisCacheOptions): Cache {
  const connection = parseRedisUrl(options.url);
  const prefix = options.keyPrefix ?? "verso:";
  const timeoutMs = options.timeoutMs ?? 1000;
  const maxValueBytes = options.maxValueBytes ?? 16 * 1024 * 1024;
  const codec = createValueCodec({ compressAboveBytes: options.compressAboveBytes });
  const secrets = connection.password ? [connection.password] : [];
  const label = `redis ${connection.host}:${connection.port}`;

  const connectionOptions: RedisOptions = {
    host: connection.host,
    port: connection.port,
    db: connection.db,
    username: connection.username,
    password: connection.password,
    enableOfflineQueue: true,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: timeoutMs,
    connectTimeout: Math.max(timeoutMs, 1000),
    // Quick to come back after a restart, and never more than one attempt a second.
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
  };
  if (connection.tls) connectionOptions.tls = { servername: connection.host };
  const client = new Redis(connectionOptions);
  // Connection errors reach callers through the operations that fail; the event only needs a
  // listener, or ioredis prints every reconnection failure to the console.
  client.on("error", () => {});
  client.defineCommand("versoIncrement", { numberOfKeys: 1, lua: INCREMENT_WITH_EXPIRY });
  const counting = client as Redis & CounterCommands;

  const perform = async <T>(operation: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      throw cacheUnavailable(label, operation, error, secrets);
    }
  };
  const remove = (storedKey: string) => perform("delete", () => client.del(storedKey));

  return {
    async get(key) {
      const storedKey = prefix + checkKey("get", key);
      const stored = await perform("get", () => client.getBuffer(storedKey));
      return stored === null ? undefined : codec.decode(stored);
    },

    async set(key, value, ttlSeconds) {
      const storedKey = prefix + checkKey("set", key);
      checkValue(value);
      const lifetimeMs = valueLifetimeMs(ttlSeconds);
      const stored = lifetimeMs === 0 ? undefined : await codec.encode(value);
      if (stored === undefined || stored.length > maxValueBytes) {
        await remove(storedKey);
        return;
      }
      await perform("set", () => client.set(storedKey, stored, "PX", lifetimeMs));
    },

    async delete(key) {
      await remove(prefix + checkKey("delete", key));
    },

    async increment(key, ttlSeconds) {
      const storedKey = prefix + checkKey("increment", key);
      const lifetimeMs = counterLifetimeMs(ttlSeconds);
      return perform("increment", () => counting.versoIncrement(storedKey, lifetimeMs));
    },

    async close() {
      try {
        await client.quit();
      } catch {
        // Not connected: nothing to say goodbye to.
      } finally {
        client.disconnect();
      }
    },
  };
}
