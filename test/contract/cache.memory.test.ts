import { describe, expect, it } from "vitest";
import { createMemoryCache } from "../../src/adapters/cache/memory.js";
import { REFUSED_COUNT } from "../../src/adapters/cache/counter-table.js";
import { describeCacheContract } from "./cache.contract.js";

describeCacheContract("in-process LRU", async () => createMemoryCache());

describe("in-process counters under key churn", () => {
  it("keeps the counts of real clients through a flood of new keys that evicts cached values", async () => {
    const cache = createMemoryCache({ maxBytes: 64 * 1024, maxCounters: 1000 });
    for (let i = 0; i < 3; i++) await cache.increment("ratelimit:login:real-client", 60);
    await cache.set("answer", "cached", 60);
    for (let i = 0; i < 20_000; i++) {
      await cache.increment(`ratelimit:login:flood-${i}`, 60);
      await cache.set(`value-${i}`, "v".repeat(100), 60);
    }
    expect(await cache.get("answer")).toBeUndefined(); // values are an LRU: evicted, as they may be
    expect(await cache.increment("ratelimit:login:real-client", 60)).toBe(4); // counters are not
    expect(cache.counterStats()).toEqual({ counters: 1000, maxCounters: 1000, refused: 20_000 - 999 });
  });

  it("refuses new keys while full of live counters (fail closed), and takes them again as counters expire", async () => {
    let now = 1_000_000;
    let refusedCalls = 0;
    const cache = createMemoryCache({
      maxCounters: 3,
      now: () => now,
      onCounterRefused: () => refusedCalls++,
    });
    await cache.increment("a", 10);
    await cache.increment("b", 10);
    await cache.increment("c", 20);
    expect(await cache.increment("d", 10)).toBe(REFUSED_COUNT);
    expect(await cache.increment("d", 10)).toBe(REFUSED_COUNT);
    expect(await cache.increment("a", 10)).toBe(2);
    expect(refusedCalls).toBe(2);

    await cache.delete("b"); // a success forgets its counter, which makes room
    expect(await cache.increment("d", 10)).toBe(1);
    expect(await cache.increment("e", 10)).toBe(REFUSED_COUNT);

    now += 10_000; // a and d expire, c lives on
    expect(await cache.increment("e", 10)).toBe(1);
    expect(await cache.increment("f", 10)).toBe(1);
    expect(await cache.increment("c", 20)).toBe(2);
    expect(await cache.increment("a", 10)).toBe(REFUSED_COUNT);
    expect(cache.counterStats()).toEqual({ counters: 3, maxCounters: 3, refused: 4 });
  });

  it("restarts an expired counter at 1, with a new window", async () => {
    let now = 0;
    const cache = createMemoryCache({ now: () => now });
    expect(await cache.increment("k", 5)).toBe(1);
    now += 4999;
    expect(await cache.increment("k", 5)).toBe(2);
    now += 1;
    expect(await cache.increment("k", 5)).toBe(1);
    now += 4999;
    expect(await cache.increment("k", 5)).toBe(2);
  });
});
