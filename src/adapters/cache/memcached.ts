/**
 * Cache port on Memcached (binary protocol, through memjs), for several API processes sharing
 * answers and rate limits. URL: memcached://[user:password@]host[:port][,host2[:port2]…]; keys
 * are spread over the servers by memjs, and a server that stops answering is skipped for a few
 * seconds when there are several.
 *
 * What Memcached does not do by itself, this adapter does:
 * - keys: at most 250 bytes, and no spaces or control characters. A short key of printable
 *   ASCII is used as it is (readable in `memcached-tool`); any other key becomes "#" and the
 *   SHA-256 of its UTF-16 code units, so distinct keys stay distinct. A readable key never
 *   starts with "#", so it cannot meet a hashed one.
 * - expiry: Memcached reads an expiry above 30 days as a Unix time, so longer TTLs are sent
 *   as one; and an expiry of 0 means "never", so a TTL of 0 deletes instead.
 * - size: large values are compressed (value-codec.ts); one still above the item size limit
 *   is not cached (and the key's older value is deleted), never an error to the caller.
 */
import { createHash } from "node:crypto";
import memjs from "memjs";
import { VersoError } from "../../core/errors.js";
import type { Cache } from "../../core/ports.js";
import { checkKey, checkValue, counterLifetimeMs, valueLifetimeMs } from "./cache-arguments.js";
import { cacheUnavailable } from "./cache-errors.js";
import { createValueCodec } from "./value-codec.js";

export interface MemcachedCacheOptions {
  /** memcached://[user:password@]host[:port][,host2[:port2]…] (port 11211 by default). */
  url: string;
  /** Put before every key, to share servers between installations or tests (default "verso:"). */
  keyPrefix?: string;
  /** How long memjs waits for a server before failing an operation (default 1000 ms). */
  timeoutMs?: number;
  /** Largest stored value, after compression (default 1 MiB less room for the key and header). */
  maxValueBytes?: number;
  /** Values above this many bytes are compressed (default 16 KiB). */
  compressAboveBytes?: number;
}

export interface MemcachedServerAddress {
  host: string;
  port: number;
  username?: string;
  password?: string;
}

const MAX_KEY_BYTES = 250;
const MAX_PREFIX_LENGTH = 100;
const THIRTY_DAYS_SECONDS = 30 * 24 * 60 * 60;
/** Memcached's default item size limit (-I 1m) holds the item header and key as well. */
const DEFAULT_MAX_VALUE_BYTES = 1024 * 1024 - 1024;
/** Printable ASCII without space, not starting with "#" (which marks hashed keys). */
const READABLE_KEY = /^[\x21\x22\x24-\x7e][\x21-\x7e]*$/;
const PREFIX = /^[\x21-\x7e]*$/;

const invalidUrl = (detail: string) =>
  new VersoError(
    "VALIDATION_FAILED",
    `memcached URL: ${detail}; expected memcached://[user:password@]host[:port][,host2[:port2]…]`,
  );

/** The servers of a memcached:// URL. Errors never repeat the URL, which may hold a password. */
export function parseMemcachedUrl(url: string): MemcachedServerAddress[] {
  const match = /^memcached:\/\/([^/?#]+)\/?$/i.exec(url);
  if (!match) throw invalidUrl("not a memcached:// URL with one or more servers");
  return match[1]!.split(",").map((part, index) => parseServer(part, index + 1));
}

function parseServer(part: string, position: number): MemcachedServerAddress {
  const at = part.lastIndexOf("@");
  const address = part.slice(at + 1);
  const hostPort = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9._-]+))(?::(\d{1,5}))?$/.exec(address);
  if (!hostPort) throw invalidUrl(`server ${position} needs a host name and an optional port`);
  const port = hostPort[3] === undefined ? 11211 : Number(hostPort[3]);
  if (port < 1 || port > 65535) throw invalidUrl(`server ${position} has a port outside 1–65535`);
  const server: MemcachedServerAddress = { host: (hostPort[1] ?? hostPort[2])!, port };
  if (at >= 0) {
    const userInfo = part.slice(0, at);
    const colon = userInfo.indexOf(":");
    try {
      server.username = decodeURIComponent(colon < 0 ? userInfo : userInfo.slice(0, colon));
      if (colon >= 0) server.password = decodeURIComponent(userInfo.slice(colon + 1));
    } catch {
      throw invalidUrl(`server ${position} has a badly percent-encoded user name or password`);
    }
  }
  return server;
}

/** The Memcached key for a cache key under a prefix: readable when it can be, else hashed. */
export function memcachedKey(prefix: string, key: string): string {
  if (READABLE_KEY.test(key) && prefix.length + key.length <= MAX_KEY_BYTES) return prefix + key;
  return `${prefix}#${createHash("sha256").update(key, "utf16le").digest("base64url")}`;
}

/** Memcached's expiry field for a lifetime: seconds when within 30 days, else a Unix time. */
export function memcachedExpiry(lifetimeMs: number, nowMs = Date.now()): number {
  const seconds = Math.max(1, Math.ceil(lifetimeMs / 1000));
  return seconds > THIRTY_DAYS_SECONDS ? Math.floor(nowMs / 1000) + seconds : seconds;
}

/** Answers meaning "this value cannot be stored", which is not the server being unavailable. */
const notStorable = (error: unknown) =>
  error instanceof Error && /Value too large|Out of memory/.test(error.message);

export function createMemcachedCache(options: MemcachedCacheOptions): Cache {
  const addresses = parseMemcachedUrl(options.url);
  const prefix = options.keyPrefix ?? "verso:";
  if (!PREFIX.test(prefix) || prefix.length > MAX_PREFIX_LENGTH) {
    throw new VersoError(
      "VALIDATION_FAILED",
      `memcached keyPrefix: up to ${MAX_PREFIX_LENGTH} printable ASCII characters without spaces`,
    );
  }
  const maxValueBytes = options.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES;
  const codec = createValueCodec({ compressAboveBytes: options.compressAboveBytes });
  const timeoutSeconds = (options.timeoutMs ?? 1000) / 1000;
  const secrets = addresses.flatMap((server) => (server.password ? [server.password] : []));
  const label = `memcached ${addresses.map((server) => `${server.host}:${server.port}`).join(",")}`;
  const silent = { log: () => {} };

  const client = new memjs.Client(
    addresses.map(
      (server) =>
        new memjs.Server(server.host, server.port, server.username, server.password, {
          timeout: timeoutSeconds,
          conntimeout: timeoutSeconds,
          keepAlive: true,
        }),
    ),
    {
      // Two attempts with no delay: the second one reconnects when the first met a connection
      // the server dropped while idle (a restart); a server that is really down fails both fast.
      retries: 2,
      retry_delay: 0,
      failover: addresses.length > 1,
      failoverTime: 5,
      logger: silent,
    },
  );
  let closed = false;

  const perform = async <T>(operation: string, work: () => Promise<T>): Promise<T> => {
    if (closed) throw cacheUnavailable(label, operation, "the cache was closed", secrets);
    try {
      return await work();
    } catch (error) {
      throw cacheUnavailable(label, operation, error, secrets);
    }
  };
  const remove = (storedKey: string) => perform("delete", () => client.delete(storedKey));

  return {
    async get(key) {
      const storedKey = memcachedKey(prefix, checkKey("get", key));
      const { value } = await perform("get", () => client.get(storedKey));
      return value === null ? undefined : codec.decode(value);
    },

    async set(key, value, ttlSeconds) {
      const storedKey = memcachedKey(prefix, checkKey("set", key));
      checkValue(value);
      const lifetimeMs = valueLifetimeMs(ttlSeconds);
      if (lifetimeMs === 0) {
        await remove(storedKey);
        return;
      }
      const stored = await codec.encode(value);
      if (stored.length > maxValueBytes) {
        await remove(storedKey);
        return;
      }
      const expires = memcachedExpiry(lifetimeMs);
      let refused = false;
      await perform("set", () =>
        client.set(storedKey, stored, { expires }).catch((error: unknown) => {
          if (!notStorable(error)) throw error;
          refused = true;
        }),
      );
      if (refused) await remove(storedKey);
    },

    async delete(key) {
      await remove(memcachedKey(prefix, checkKey("delete", key)));
    },

    async increment(key, ttlSeconds) {
      const storedKey = memcachedKey(prefix, checkKey("increment", key));
      // The binary protocol creates a missing counter at `initial` with this expiry, atomically,
      // and leaves the expiry of an existing one alone: the window starts at the first attempt.
      const expires = memcachedExpiry(counterLifetimeMs(ttlSeconds));
      const { value } = await perform("increment", () =>
        client.increment(storedKey, 1, { initial: 1, expires }),
      );
      if (typeof value !== "number")
        throw cacheUnavailable(label, "increment", "no count in the answer", secrets);
      return value;
    },

    async close() {
      closed = true;
      client.close();
    },
  };
}
