/**
 * The fallback's own logic, with the remote replaced by an in-process cache behind a switch
 * that makes it fail or hang on demand. The same behaviour against real servers that are killed,
 * frozen and restarted is in test/contract/cache.resilient.test.ts.
 */
import { describe, expect, it } from "vitest";
import type { Cache } from "../../core/ports.js";
import { createMemoryCache } from "./memory.js";
import { withFallback, type CacheOperation } from "./resilient.js";

type Mode = "up" | "down" | "hanging";

function switchableRemote() {
  const inner = createMemoryCache();
  const state = { mode: "up" as Mode, calls: 0 };
  const through =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      state.calls += 1;
      if (state.mode === "down") return Promise.reject(new Error("connect ECONNREFUSED"));
      if (state.mode === "hanging") return new Promise<R>(() => {});
      return call(...args);
    };
  const remote: Cache = {
    get: through(inner.get),
    set: through(inner.set),
    delete: through(inner.delete),
    increment: through(inner.increment),
    close: through(inner.close),
  };
  return { remote, inner, state };
}

function setup(options: { timeoutMs?: number } = {}) {
  let now = 0;
  const unavailable: CacheOperation[] = [];
  const states: string[] = [];
  const { remote, inner, state } = switchableRemote();
  const cache = withFallback(remote, {
    timeoutMs: options.timeoutMs ?? 100,
    failureThreshold: 3,
    cooldownMs: 5000,
    now: () => now,
    onUnavailable: (operation) => unavailable.push(operation),
    onStateChange: (change) => states.push(`${change.state}: ${change.reason}`),
  });
  return { cache, inner, state, unavailable, states, advance: (ms: number) => (now += ms) };
}

describe("cache fallback", () => {
  it("uses the remote while it answers, and reports nothing", async () => {
    const { cache, inner, unavailable } = setup();
    await cache.set("k", "v", 60);
    expect(await inner.get("k")).toBe("v");
    expect(await cache.get("k")).toBe("v");
    expect(await cache.increment("n", 60)).toBe(1);
    expect(await inner.increment("n", 60)).toBe(2);
    expect(unavailable).toEqual([]);
  });

  it("answers every operation without a remote that fails: a miss, nothing stored, counts in process", async () => {
    const { cache, state, unavailable, states } = setup();
    await cache.set("k", "v", 60);
    state.mode = "down";
    expect(await cache.get("k")).toBeUndefined();
    await cache.set("k", "w", 60);
    await cache.delete("k");
    expect(await cache.increment("n", 60)).toBe(1);
    expect(await cache.increment("n", 60)).toBe(2);
    expect(await cache.increment("n", 60)).toBe(3);
    expect(unavailable).toEqual(["get", "set", "delete", "increment", "increment", "increment"]);
    expect(states).toEqual(["open: connect ECONNREFUSED"]);
  });

  it("gives up on a remote that hangs after the timeout", async () => {
    const { cache, state } = setup({ timeoutMs: 50 });
    state.mode = "hanging";
    for (const call of [
      () => cache.get("k"),
      () => cache.set("k", "v", 60),
      () => cache.increment("n", 60),
    ]) {
      const started = Date.now();
      await call();
      expect(Date.now() - started).toBeLessThan(50 + 1000);
    }
    const started = Date.now();
    await cache.close();
    expect(Date.now() - started).toBeLessThan(50 + 1000);
  });

  it("stops asking a failing remote during the cooldown, then probes it once and resumes", async () => {
    const { cache, state, states, advance } = setup();
    state.mode = "down";
    for (let i = 0; i < 50; i++) await cache.get("k");
    expect(state.calls).toBe(3); // the failures that opened the circuit, then no more
    advance(5000);
    await Promise.all(Array.from({ length: 10 }, () => cache.get("k")));
    expect(state.calls).toBe(4); // one probe for ten requests
    state.mode = "up";
    await cache.get("k"); // still within the new cooldown
    expect(state.calls).toBe(4);
    advance(5000);
    await cache.set("k", "back", 60);
    expect(await cache.get("k")).toBe("back");
    expect(cache.circuitState()).toBe("closed");
    expect(states).toEqual(["open: connect ECONNREFUSED", "closed: the cache answers again"]);
  });

  it("forgets an in-process count when the key is deleted, as the remote would", async () => {
    const { cache, state } = setup();
    state.mode = "down";
    await cache.increment("n", 60);
    await cache.increment("n", 60);
    await cache.delete("n");
    expect(await cache.increment("n", 60)).toBe(1);
  });

  it("rejects bad arguments with VALIDATION_FAILED whether the remote is up or not", async () => {
    const { cache, state, unavailable } = setup();
    for (const mode of ["up", "down"] as const) {
      state.mode = mode;
      await expect(cache.increment("n", 0)).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
      await expect(cache.set("k", "v", Number.NaN)).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
      await expect(cache.set("k", 5 as unknown as string, 60)).rejects.toMatchObject({
        code: "VALIDATION_FAILED",
      });
    }
    expect(unavailable).toEqual([]);
  });
});

describe("cache fallback settings", () => {
  it("rejects a timeout that is not a positive number of milliseconds", () => {
    for (const timeoutMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => withFallback(createMemoryCache(), { timeoutMs })).toThrow(
        expect.objectContaining({ code: "VALIDATION_FAILED" }),
      );
    }
  });
});
