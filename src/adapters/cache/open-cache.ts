/**
 * The cache a URL names, ready to depend on: `memory` (in process), `memcached://…` or
 * `redis://…` / `rediss://…`. A remote cache always comes wrapped in `withFallback`, so a cache
 * server that is down or slow never fails nor holds up a request.
 */
import { VersoError } from "../../core/errors.js";
import { createMemcachedCache, parseMemcachedUrl } from "./memcached.js";
import { createMemoryCache } from "./memory.js";
import { createRedisCache, parseRedisUrl } from "./redis.js";
import { withFallback, type FallbackOptions } from "./resilient.js";
import type { Cache } from "../../core/ports.js";

export interface OpenCacheOptions extends FallbackOptions {
  /** memory | memcached://[user:password@]host[:port][,host…] | redis[s]://[user:password@]host[:port][/db] */
  url: string;
  /** Put before every key on a remote server, to share it between installations (default "verso:"). */
  keyPrefix?: string;
  /** Memory cache: bound on the memory values take (default 64 MiB). */
  maxBytes?: number;
  /** Memory cache: most live rate-limit counters; new keys beyond fail closed (default 100,000). */
  maxCounters?: number;
  /** Memory cache: called each time a new counter is refused at the bound. */
  onCounterRefused?: () => void;
}

export const cacheUrlForms =
  "memory, memcached://host[:port][,host2[:port2]…], redis://host[:port][/db] or rediss://…";

export function openCache(options: OpenCacheOptions): Cache {
  const { url, keyPrefix } = options;
  if (url === "memory") {
    return createMemoryCache({
      maxBytes: options.maxBytes,
      maxCounters: options.maxCounters,
      onCounterRefused: options.onCounterRefused,
    });
  }
  // The library's own timeout stays above the fallback's, so that a slow answer is abandoned by
  // the fallback without memjs also tearing down a connection other operations are using.
  const libraryTimeoutMs = Math.max(1000, (options.timeoutMs ?? 200) * 5);
  if (/^memcached:/i.test(url)) {
    return withFallback(createMemcachedCache({ url, keyPrefix, timeoutMs: libraryTimeoutMs }), options);
  }
  if (/^rediss?:/i.test(url)) {
    return withFallback(createRedisCache({ url, keyPrefix, timeoutMs: libraryTimeoutMs }), options);
  }
  throw new VersoError("VALIDATION_FAILED", `cache URL: expected ${cacheUrlForms}`);
}

const hostName = (host: string) => (host.includes(":") ? `[${host}]` : host);

/** The URL as logs may show it: host and port, never a password. */
export function describeCacheUrl(url: string): string {
  try {
    if (url === "memory") return url;
    if (/^memcached:/i.test(url)) {
      const servers = parseMemcachedUrl(url).map(
        (server) =>
          `${server.username === undefined ? "" : `${server.username}:***@`}${hostName(server.host)}:${server.port}`,
      );
      return `memcached://${servers.join(",")}`;
    }
    const redis = parseRedisUrl(url);
    const user = redis.username || redis.password ? `${redis.username ?? ""}:***@` : "";
    return `${redis.tls ? "rediss" : "redis"}://${user}${hostName(redis.host)}:${redis.port}/${redis.db}`;
  } catch {
    return "(an unreadable cache URL)";
  }
}
