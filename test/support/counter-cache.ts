/** A Cache with counters only, expiring as the Cache port promises, on a clock tests move by hand. */
import type { Cache } from "../../src/core/ports.js";

export function counterCache(now: () => number): Cache & { values: Map<string, string> } {
  const counters = new Map<string, { count: number; expiresAt: number }>();
  const values = new Map<string, string>();
  return {
    values,
    get: async (key) => values.get(key),
    set: async (key, value) => {
      values.set(key, value);
    },
    delete: async (key) => {
      counters.delete(key);
      values.delete(key);
    },
    increment: async (key, ttlSeconds) => {
      const current = counters.get(key);
      if (current && current.expiresAt > now()) return ++current.count;
      counters.set(key, { count: 1, expiresAt: now() + ttlSeconds * 1000 });
      return 1;
    },
    close: async () => {},
  };
}
