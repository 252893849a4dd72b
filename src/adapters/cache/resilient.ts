/**
 * What every remote cache goes through: a cache that is down or slow costs a request nothing
 * but the timeout, and after a few failures not even that.
 *
 * - Each operation gets `timeoutMs` (default 200 ms); the remote's answer after that is ignored.
 * - Without the remote, `get` answers undefined (a miss), `set` and `delete` do nothing, and
 *   `increment` counts in this process, so rate limits hold per process instead of vanishing.
 * - A circuit breaker (circuit-breaker.ts) stops asking a dead server on every request: after
 *   `failureThreshold` failures in a row the remote rests for `cooldownMs`, then one probe asks
 *   again, and its success brings the remote back.
 * - Every operation answered without the remote is reported to `onUnavailable(operation)`, and
 *   each opening and closing of the circuit to `onStateChange`.
 *
 * Bad arguments are not the server's fault: they are rejected first, with VALIDATION_FAILED,
 * whether the remote is up or not.
 */
import { VersoError } from "../../core/errors.js";
import type { Cache } from "../../core/ports.js";
import { checkKey, checkValue, counterLifetimeMs, valueLifetimeMs } from "./cache-arguments.js";
import { CircuitBreaker, type CircuitState } from "./circuit-breaker.js";
import { CounterTable } from "./counter-table.js";

export type CacheOperation = "get" | "set" | "delete" | "increment";

export interface FallbackOptions {
  /** Longest an operation waits for the remote (default 200 ms). */
  timeoutMs?: number;
  /** Failures in a row that open the circuit (default 3). */
  failureThreshold?: number;
  /** How long an open circuit rests before probing the remote again (default 5000 ms). */
  cooldownMs?: number;
  /** Most in-process counters while the remote is away; new keys beyond it fail closed (default 100,000). */
  maxFallbackCounters?: number;
  /** Called for every operation answered without the remote. */
  onUnavailable?: (operation: CacheOperation) => void;
  /** Called when the remote is given up on (open, with the failure) and when it answers again (closed). */
  onStateChange?: (change: { state: "open" | "closed"; reason: string }) => void;
  /** Milliseconds clock of the circuit and the fallback counters (tests move it by hand). */
  now?: () => number;
}

export interface ResilientCache extends Cache {
  /** Where the circuit stands: "closed" when the remote is in use. */
  circuitState(): CircuitState;
}

class CacheTimeout extends Error {
  constructor(operation: CacheOperation, timeoutMs: number) {
    super(`${operation} took longer than ${timeoutMs} ms`);
  }
}

export function withFallback(remote: Cache, options: FallbackOptions = {}): ResilientCache {
  const timeoutMs = options.timeoutMs ?? 200;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new VersoError("VALIDATION_FAILED", "cache timeoutMs must be a number of milliseconds above 0");
  }
  const localCounters = new CounterTable({ maxCounters: options.maxFallbackCounters, now: options.now });
  let lastFailure = "";
  // An outage is reported once when it starts and once when it ends, not at each failed probe.
  let reported: "open" | "closed" = "closed";
  const breaker = new CircuitBreaker({
    failureThreshold: options.failureThreshold,
    cooldownMs: options.cooldownMs,
    now: options.now,
    onChange: (state) => {
      if (state === "half-open" || state === reported) return;
      reported = state;
      // The remote's counters rule again; the ones kept meanwhile would only take memory.
      if (state === "closed") localCounters.clear();
      options.onStateChange?.({ state, reason: state === "open" ? lastFailure : "the cache answers again" });
    },
  });

  async function run<T>(operation: CacheOperation, call: () => Promise<T>, fallback: () => T): Promise<T> {
    if (breaker.allow()) {
      let timer: NodeJS.Timeout | undefined;
      try {
        const work = call();
        // The remote may still answer, or fail, after the deadline: that outcome is ignored.
        work.catch(() => {});
        const deadline = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new CacheTimeout(operation, timeoutMs)), timeoutMs);
        });
        const result = await Promise.race([work, deadline]);
        breaker.succeeded();
        return result;
      } catch (error) {
        lastFailure = error instanceof Error ? error.message : String(error);
        breaker.failed();
      } finally {
        clearTimeout(timer);
      }
    }
    options.onUnavailable?.(operation);
    return fallback();
  }

  return {
    async get(key) {
      checkKey("get", key);
      return run(
        "get",
        () => remote.get(key),
        () => undefined,
      );
    },

    async set(key, value, ttlSeconds) {
      checkKey("set", key);
      checkValue(value);
      valueLifetimeMs(ttlSeconds);
      await run(
        "set",
        () => remote.set(key, value, ttlSeconds),
        () => undefined,
      );
    },

    async delete(key) {
      checkKey("delete", key);
      localCounters.delete(key);
      await run(
        "delete",
        () => remote.delete(key),
        () => undefined,
      );
    },

    async increment(key, ttlSeconds) {
      checkKey("increment", key);
      const lifetimeMs = counterLifetimeMs(ttlSeconds);
      return run(
        "increment",
        () => remote.increment(key, ttlSeconds),
        () => localCounters.increment(key, lifetimeMs),
      );
    },

    async close() {
      localCounters.clear();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      await Promise.race([remote.close().catch(() => {}), deadline]);
      clearTimeout(timer);
    },

    circuitState: () => breaker.state,
  };
}
