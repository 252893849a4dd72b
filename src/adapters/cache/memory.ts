/** Cache port, embedded: an in-process LRU bounded by total size, with per-entry TTL. */
import { LRUCache } from "lru-cache";
import type { Cache } from "../../core/ports.js";

export function createMemoryCache(options: { maxBytes?: number } = {}): Cache {
  const entries = new LRUCache<string, string>({
    maxSize: options.maxBytes ?? 64 * 1024 * 1024,
    sizeCalculation: (value, key) => value.length * 2 + key.length * 2 + 64,
    ttlAutopurge: false,
  });
  const counters = new LRUCache<string, { count: number }>({ max: 100_000, ttlAutopurge: false });

  return {
    async get(key) {
      return entries.get(key);
    },
    async set(key, value, ttlSeconds) {
      if (ttlSeconds <= 0) return;
      entries.set(key, value, { ttl: ttlSeconds * 1000 });
    },
    async delete(key) {
      entries.delete(key);
      counters.delete(key);
    },
    async increment(key, ttlSeconds) {
      const current = counters.get(key);
      if (current) {
        current.count += 1;
        return current.count;
      }
      counters.set(key, { count: 1 }, { ttl: ttlSeconds * 1000 });
      return 1;
    },
    async close() {
      entries.clear();
      counters.clear();
    },
  };
}
