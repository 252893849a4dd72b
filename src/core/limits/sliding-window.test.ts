import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { counterCache } from "../../../test/support/counter-cache.js";
import { isVersoError } from "../errors.js";
import { countInWindow, type RateRule } from "./sliding-window.js";

const rule: RateRule = { limit: 5, windowSeconds: 60 };

function setup(startMs = Date.parse("2026-12-01T12:00:00.000Z")) {
  let now = startMs;
  const cache = counterCache(() => now);
  const attempt = async (): Promise<number | null> => {
    try {
      await countInWindow(cache, () => new Date(now), "ask:address", ["203.0.113.7"], rule);
      return null;
    } catch (error) {
      if (isVersoError(error) && error.code === "RATE_LIMITED") return error.retryAfterSeconds ?? 0;
      throw error;
    }
  };
  return {
    attempt,
    at: (ms: number) => (now = ms),
    advance: (ms: number) => (now += ms),
    now: () => now,
  };
}

describe("sliding-window limits", () => {
  it("lets the limit through, then refuses with the seconds until a request would pass", async () => {
    const { attempt, advance } = setup();
    for (let i = 0; i < rule.limit; i += 1) expect(await attempt()).toBeNull();
    const wait = await attempt();
    expect(wait).toBeGreaterThanOrEqual(60);
    advance((wait ?? 0) * 1000);
    expect(await attempt()).toBeNull();
  });

  it("refuses a second burst right after a calendar minute's end: no two windows' worth back to back", async () => {
    // A burst in the last second of one minute and another in the first second of the next:
    // fixed per-minute windows let both through, 2 × limit within two seconds.
    const { attempt, at } = setup();
    const boundary = Date.parse("2026-12-01T12:01:00.000Z");
    at(boundary - 500);
    for (let i = 0; i < rule.limit; i += 1) expect(await attempt()).toBeNull();
    at(boundary + 500);
    for (let i = 0; i < rule.limit; i += 1) expect(await attempt()).not.toBeNull();
  });

  it("never lets more than the limit through in any span of the window, whatever the timing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.array(fc.integer({ min: 0, max: 20_000 }), { minLength: 1, maxLength: 80 }),
        async (start, gaps) => {
          const { attempt, advance, now } = setup(Date.parse("2026-12-01T00:00:00.000Z") + start);
          const admitted: number[] = [];
          for (const gap of gaps) {
            advance(gap);
            if ((await attempt()) === null) admitted.push(now());
          }
          for (const [i, t] of admitted.entries()) {
            const inSpan = admitted.slice(i).filter((u) => u < t + rule.windowSeconds * 1000).length;
            expect(inSpan).toBeLessThanOrEqual(rule.limit);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("lets a client that paces itself evenly through for good, at three quarters of the limit", async () => {
    const { attempt, advance } = setup();
    const every = (rule.windowSeconds * 1000) / ((rule.limit * 3) / 4);
    for (let i = 0; i < 50; i += 1) {
      expect(await attempt(), `request ${i}`).toBeNull();
      advance(every);
    }
  });
});
