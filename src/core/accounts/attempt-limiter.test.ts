import { describe, expect, it } from "vitest";
import type { Cache } from "../ports.js";
import { AttemptLimiter } from "./attempt-limiter.js";

/** Counters only, expiring as the Cache port promises; the limiter needs nothing else. */
function counterCache(now: () => number): Cache {
  const counters = new Map<string, { count: number; expiresAt: number }>();
  return {
    get: async () => undefined,
    set: async () => {},
    delete: async (key) => {
      counters.delete(key);
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

const rules = {
  perAddress: { limit: 5, windowSeconds: 60 },
  perAddressAndName: { limit: 2, windowSeconds: 600 },
};

function setup(startIso = "2026-12-01T12:00:00.000Z") {
  let now = Date.parse(startIso);
  const limiter = new AttemptLimiter(
    counterCache(() => now),
    () => new Date(now),
    "login",
    rules,
  );
  return { limiter, advance: (ms: number) => (now += ms) };
}

describe("attempt limiter", () => {
  it("refuses the attempt after the limit on one name, with the seconds left in the window", async () => {
    const { limiter, advance } = setup();
    await limiter.admit({ address: "a", name: "alice" });
    await limiter.admit({ address: "a", name: "alice" });
    advance(90_000);
    await expect(limiter.admit({ address: "a", name: "alice" })).rejects.toMatchObject({
      code: "RATE_LIMITED",
      retryAfterSeconds: 600 - 90,
    });
  });

  it("keeps one address's failures from counting against another's", async () => {
    const { limiter } = setup();
    await limiter.admit({ address: "attacker", name: "alice" });
    await limiter.admit({ address: "attacker", name: "alice" });
    await expect(limiter.admit({ address: "attacker", name: "alice" })).rejects.toMatchObject({
      code: "RATE_LIMITED",
    });
    await expect(limiter.admit({ address: "owner", name: "alice" })).resolves.toBeDefined();
  });

  it("limits an address across names", async () => {
    const { limiter } = setup();
    for (let i = 0; i < 5; i += 1) await limiter.admit({ address: "a", name: `user${i}` });
    await expect(limiter.admit({ address: "a", name: "another" })).rejects.toMatchObject({
      code: "RATE_LIMITED",
    });
  });

  it("forgets a name's attempts after a success", async () => {
    const { limiter } = setup();
    await limiter.admit({ address: "a", name: "alice" });
    const admission = await limiter.admit({ address: "a", name: "alice" });
    await limiter.succeeded(admission);
    await expect(limiter.admit({ address: "a", name: "alice" })).resolves.toBeDefined();
  });

  it("starts counting again in the next window", async () => {
    const { limiter, advance } = setup();
    await limiter.admit({ address: "a", name: "alice" });
    await limiter.admit({ address: "a", name: "alice" });
    advance(600_000);
    await expect(limiter.admit({ address: "a", name: "alice" })).resolves.toBeDefined();
  });

  it("does not let a name that looks like a key part collide with another subject", async () => {
    const { limiter } = setup();
    await limiter.admit({ address: "a:b", name: "c" });
    await limiter.admit({ address: "a:b", name: "c" });
    await expect(limiter.admit({ address: "a", name: "b:c" })).resolves.toBeDefined();
  });
});
