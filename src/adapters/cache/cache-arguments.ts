/**
 * The argument rules every Cache adapter applies alike, so that a bad call fails with the same
 * typed error whichever technology is behind the port, and before anything reaches a server.
 */
import { VersoError } from "../../core/errors.js";

/** Ten years: far beyond any cache lifetime, and still a valid Memcached expiry until 2096. */
export const MAX_TTL_SECONDS = 10 * 365 * 24 * 60 * 60;

function checkTtl(operation: string, ttlSeconds: unknown): number {
  if (typeof ttlSeconds !== "number" || !Number.isFinite(ttlSeconds) || ttlSeconds > MAX_TTL_SECONDS) {
    throw new VersoError(
      "VALIDATION_FAILED",
      `cache ${operation}: ttlSeconds must be a number of seconds up to ${MAX_TTL_SECONDS}`,
    );
  }
  return ttlSeconds;
}

export function checkKey(operation: string, key: unknown): string {
  if (typeof key !== "string")
    throw new VersoError("VALIDATION_FAILED", `cache ${operation}: the key must be a string`);
  return key;
}

export function checkValue(value: unknown): string {
  if (typeof value !== "string")
    throw new VersoError("VALIDATION_FAILED", "cache set: the value must be a string");
  return value;
}

/**
 * How long a value set with this TTL lives, in milliseconds (rounded up); 0 means it is not
 * stored at all, and whatever the key held before is gone: a TTL of zero or less has expired.
 */
export function valueLifetimeMs(ttlSeconds: unknown): number {
  const ttl = checkTtl("set", ttlSeconds);
  return ttl <= 0 ? 0 : Math.ceil(ttl * 1000);
}

/**
 * How long a new counter lives, in milliseconds (rounded up). It must be positive: a counter
 * that expires at once would answer 1 forever and silently disable every limit built on it.
 */
export function counterLifetimeMs(ttlSeconds: unknown): number {
  const ttl = checkTtl("increment", ttlSeconds);
  if (ttl <= 0) throw new VersoError("VALIDATION_FAILED", "cache increment: ttlSeconds must be above 0");
  return Math.ceil(ttl * 1000);
}
