/**
 * Sliding-window limits over the Cache port's atomic counters, so many API processes share one
 * count. A rule allows at most `limit` requests in ANY span of `windowSeconds`, not per
 * calendar window: fixed windows would let two windows' worth through back to back, around
 * the boundary between them.
 *
 * Each request counts in STAGGER overlapping windows, each `windowSeconds × STAGGER /
 * (STAGGER − 1)` long and starting `1 / STAGGER` of that apart: any span of `windowSeconds`
 * lies inside one of them, so none holds more than `limit`. Only `increment` is needed (no
 * reading of counts, no timestamps stored per request); the price is that a client pacing
 * itself evenly gets about (STAGGER − 1) / STAGGER of the limit.
 */
import { createHash } from "node:crypto";
import { VersoError } from "../errors.js";
import type { Cache } from "../ports.js";

export interface RateRule {
  /** Requests allowed in any span of `windowSeconds`. */
  limit: number;
  windowSeconds: number;
}

/** Now, as the limits see it (tests move it). */
export type LimitClock = () => Date;

/** Overlapping windows each request counts in. */
export const STAGGER = 4;

/** The windows that hold `nowMs`, oldest first: where each starts and ends, in ms. */
export function windowsAt(
  nowMs: number,
  windowSeconds: number,
): { index: number; start: number; end: number }[] {
  const length = (windowSeconds * 1000 * STAGGER) / (STAGGER - 1);
  const step = length / STAGGER;
  const newest = Math.floor(nowMs / step);
  return Array.from({ length: STAGGER }, (_, i) => {
    const index = newest - (STAGGER - 1) + i;
    return { index, start: index * step, end: index * step + length };
  });
}

/**
 * Counts one request against `rule` under the key made of `name` and `parts`, and refuses it
 * with RATE_LIMITED (and the seconds until a request would be let through) once `limit`
 * requests fell in the last `windowSeconds`. Returns the keys counted, so that a caller may
 * forget them (a successful sign-in, for example).
 */
export async function countInWindow(
  cache: Cache,
  clock: LimitClock,
  name: string,
  parts: readonly string[],
  rule: RateRule,
): Promise<string[]> {
  const nowMs = clock().getTime();
  // Hashed: client-chosen text never reaches the cache's key syntax, and keys stay short.
  const digest = createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 32);
  const windows = windowsAt(nowMs, rule.windowSeconds).map((w) => ({
    ...w,
    key: `ratelimit:${name}:${rule.windowSeconds}:${w.index}:${digest}`,
  }));
  const counts = await Promise.all(
    windows.map((w) => cache.increment(w.key, Math.max(1, Math.ceil((w.end - nowMs) / 1000)))),
  );
  const full = windows.filter((_, i) => (counts[i] ?? 0) > rule.limit);
  if (full.length > 0) {
    const until = Math.max(...full.map((w) => w.end));
    const retryAfterSeconds = Math.max(1, Math.ceil((until - nowMs) / 1000));
    throw new VersoError("RATE_LIMITED", `too many requests; try again in ${retryAfterSeconds} s`, {
      retryAfterSeconds,
    });
  }
  return windows.map((w) => w.key);
}
