/**
 * Fixed-window counters in the Cache port. `increment` is atomic in every adapter, so many API
 * processes share one count; a fixed window makes Retry-After exact: the window's end.
 */
import { createHash } from "node:crypto";
import { VersoError } from "../errors.js";
import type { Cache } from "../ports.js";

export interface RateRule {
  /** Requests allowed in one window. */
  limit: number;
  windowSeconds: number;
}

/** Now, as the limits see it (tests move it). */
export type LimitClock = () => Date;

/**
 * Counts one request against `rule` under the key made of `name` and `parts`, and refuses it
 * with RATE_LIMITED (and the seconds until the window ends) once the window's limit is spent.
 * Returns the key counted, so that a caller may forget it (a successful sign-in, for example).
 */
export async function countInWindow(
  cache: Cache,
  clock: LimitClock,
  name: string,
  parts: readonly string[],
  rule: RateRule,
): Promise<string> {
  const nowMs = clock().getTime();
  const windowMs = rule.windowSeconds * 1000;
  const window = Math.floor(nowMs / windowMs);
  // Hashed: client-chosen text never reaches the cache's key syntax, and keys stay short.
  const digest = createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 32);
  const key = `ratelimit:${name}:${window}:${digest}`;
  const count = await cache.increment(key, rule.windowSeconds);
  if (count > rule.limit) {
    const retryAfterSeconds = Math.max(1, Math.ceil(((window + 1) * windowMs - nowMs) / 1000));
    throw new VersoError("RATE_LIMITED", `too many requests; try again in ${retryAfterSeconds} s`, {
      retryAfterSeconds,
    });
  }
  return key;
}
