/** The contract of the Cache port: what the in-process LRU, Memcached and Redis must all do. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Cache } from "../../src/core/ports.js";

const waitFor = async (condition: () => Promise<boolean>, timeoutMs = 5000) => {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

export function describeCacheContract(name: string, open: () => Promise<Cache>) {
  describe(`cache contract: ${name}`, () => {
    let cache: Cache;
    const key = (k: string) => `contract:${Date.now()}:${Math.random()}:${k}`;
    beforeEach(async () => {
      cache = await open();
    });
    afterEach(async () => cache.close());

    it("returns what was set, and nothing for an unknown key", async () => {
      const k = key("a");
      expect(await cache.get(k)).toBeUndefined();
      await cache.set(k, "välue ✓", 60);
      expect(await cache.get(k)).toBe("välue ✓");
      await cache.set(k, "second", 60);
      expect(await cache.get(k)).toBe("second");
    });

    it("forgets an entry after its time to live, and at once when deleted", async () => {
      const short = key("short");
      await cache.set(short, "x", 1);
      await waitFor(async () => (await cache.get(short)) === undefined);
      const gone = key("gone");
      await cache.set(gone, "x", 60);
      await cache.delete(gone);
      expect(await cache.get(gone)).toBeUndefined();
    });

    it("counts atomically, and restarts the count after the window", async () => {
      const k = key("count");
      const counts = await Promise.all(Array.from({ length: 20 }, () => cache.increment(k, 1)));
      expect(counts.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      await waitFor(async () => (await cache.increment(k, 1)) === 1);
    });

    it("keeps large values whole", async () => {
      const k = key("large");
      const value = "x".repeat(200_000);
      await cache.set(k, value, 60);
      expect(await cache.get(k)).toBe(value);
    });
  });
}
