/**
 * Cache port, embedded: values in an in-process LRU bounded by total size, with per-entry TTL;
 * counters in a table of their own that never evicts a live counter (see counter-table.ts).
 */
import { LRUCache } from "lru-cache";
import type { Cache } from "../../core/ports.js";
import { checkKey, checkValue, counterLifetimeMs, valueLifetimeMs } from "./cache-arguments.js";
import { CounterTable } from "./counter-table.js";

export interface MemoryCacheOptions {
  /** Bound on the memory cached values take, roughly (default 64 MiB). */
  maxBytes?: number;
  /** Most rate-limit counters alive at once; new keys beyond it fail closed (default 100,000). */
  maxCounters?: number;
  /** Called each time a new counter is refused because the counters are at their bound. */
  onCounterRefused?: () => void;
  /** Milliseconds clock the counters expire by (tests move it by hand). */
  now?: () => number;
}

export interface MemoryCache extends Cache {
  counterStats(): { counters: number; maxCounters: number; refused: number };
}

export function createMemoryCache(options: MemoryCacheOptions = {}): MemoryCache {
  const entries = new LRUCache<string, string>({
    maxSize: options.maxBytes ?? 64 * 1024 * 1024,
    sizeCalculation: (value, key) => value.length * 2 + key.length * 2 + 64,
    ttlAutopurge: false,
  });
  const counters = new CounterTable({
    maxCounters: options.maxCounters,
    onRefused: options.onCounterRefused,
    now: options.now,
  });

  return {
    async get(key) {
      return entries.get(checkKey("get", key));
    },
    async set(key, value, ttlSeconds) {
      checkKey("set", key);
      checkValue(value);
      const lifetimeMs = valueLifetimeMs(ttlSeconds);
      if (lifetimeMs === 0) entries.delete(key);
      // A value larger than the whole cache is not stored, and the key's older value is dropped.
      else entries.set(key, value, { ttl: lifetimeMs });
    },
    async delete(key) {
      checkKey("delete", key);
      entries.delete(key);
      counters.delete(key);
    },
    async increment(key, ttlSeconds) {
      checkKey("increment", key);
      return counters.increment(key, counterLifetimeMs(ttlSeconds));
    },
    async close() {
      entries.clear();
      counters.clear();
    },
    counterStats: () => counters.stats(),
  };
}
