import { describe, expect, it } from "vitest";
import { limitHashing } from "./hashing-limiter.js";
import type { PasswordHasher } from "./password-hasher.js";

/** A hasher whose every call waits until the test releases it. */
function gatedHasher() {
  let running = 0;
  let peak = 0;
  const gates: Array<() => void> = [];
  const gated = async <T>(value: T): Promise<T> => {
    running += 1;
    peak = Math.max(peak, running);
    await new Promise<void>((resolve) => gates.push(resolve));
    running -= 1;
    return value;
  };
  const hasher: PasswordHasher & { fail: boolean } = {
    fail: false,
    hash: (password) => gated(`hashed:${password}`),
    verify: async (hash, password) => {
      const result = await gated(hash === `hashed:${password}`);
      if (hasher.fail) throw new Error("hasher broke");
      return result;
    },
    needsRehash: () => false,
  };
  return {
    hasher,
    peak: () => peak,
    async releaseAll() {
      while (gates.length > 0) {
        gates.shift()?.();
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe("bounded hashing", () => {
  it("runs at most `concurrency` hashes at once and queues the next ones", async () => {
    const gated = gatedHasher();
    const limited = limitHashing(gated.hasher, { concurrency: 2, maxWaiting: 10 });
    const results = Array.from({ length: 8 }, (_, i) => limited.hash(`p${i}`));
    await settle();
    expect(limited.load()).toEqual({ running: 2, waiting: 6 });
    await gated.releaseAll();
    expect(await Promise.all(results)).toEqual(Array.from({ length: 8 }, (_, i) => `hashed:p${i}`));
    expect(gated.peak()).toBe(2);
    expect(limited.load()).toEqual({ running: 0, waiting: 0 });
  });

  it("refuses beyond the waiting bound with AUTH_BUSY and a Retry-After", async () => {
    const gated = gatedHasher();
    const limited = limitHashing(gated.hasher, { concurrency: 1, maxWaiting: 2 });
    const accepted = [limited.hash("a"), limited.hash("b"), limited.hash("c")];
    await expect(limited.verify("x", "y")).rejects.toMatchObject({ code: "AUTH_BUSY", retryAfterSeconds: 1 });
    await settle();
    await gated.releaseAll();
    await Promise.all(accepted);
  });

  it("frees the slot when a hash fails", async () => {
    const gated = gatedHasher();
    gated.hasher.fail = true;
    const limited = limitHashing(gated.hasher, { concurrency: 1, maxWaiting: 0 });
    const failing = expect(limited.verify("hashed:a", "a")).rejects.toThrow("hasher broke");
    await settle();
    await gated.releaseAll();
    await failing;
    expect(limited.load()).toEqual({ running: 0, waiting: 0 });
    gated.hasher.fail = false;
    const next = limited.verify("hashed:a", "a");
    await settle();
    await gated.releaseAll();
    await expect(next).resolves.toBe(true);
  });

  it("refuses a nonsensical concurrency", () => {
    expect(() => limitHashing(gatedHasher().hasher, { concurrency: 0, maxWaiting: 1 })).toThrow(RangeError);
  });
});
