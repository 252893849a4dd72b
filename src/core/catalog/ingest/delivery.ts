/**
 * How a delivery of an ingest job ends, decided from how its run stopped, without side effects:
 *  - the run read its object to the end: done;
 *  - its slice ran out (or the worker is stopping): it goes on in a new job;
 *  - it lost its lease, or the object changed or left the bucket: superseded, the job is
 *    dropped (another worker, or a newer job, carries the object);
 *  - it failed: an object no retry can read fails at once; a passing failure (the embedder,
 *    the database, the bucket away) is retried for as long as `retryTransientForMs` allows,
 *    counted from its first occurrence; any other error is retried `maxAttempts` times.
 */
import { describeError, failureKind, type FailureKind } from "../failures.js";

/** How a run stopped. */
export type RunStop =
  { kind: "complete" } | { kind: "sliced" } | { kind: "lease-lost" } | { kind: "error"; error: unknown };

/** Why a run stopped, with the reason of a failure. */
export type StopCause =
  { kind: "complete" | "sliced" | "superseded" } | { kind: FailureKind; reason: string };

export interface DeliveryFacts {
  /** This delivery's number, from 1. */
  attempt: number;
  /** Deliveries after which an object failing for an unknown reason is marked failed. */
  maxAttempts: number;
  /** How long the run has been failing for passing reasons; 0 when that is not known. */
  failingForMs: number;
  /** How long passing failures are retried before the object is marked failed. */
  retryTransientForMs: number;
}

export type DeliveryDecision =
  | { outcome: "done" }
  | { outcome: "sliced" }
  | { outcome: "superseded" }
  | { outcome: "retrying"; reason: string }
  | { outcome: "failed"; reason: string };

/** The object changed or vanished in the bucket since it was listed: the crawler will see to it. */
function isSuperseded(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "OBJECT_CHANGED" || code === "OBJECT_NOT_FOUND";
}

export function stopCause(stop: RunStop): StopCause {
  switch (stop.kind) {
    case "complete":
    case "sliced":
      return { kind: stop.kind };
    case "lease-lost":
      return { kind: "superseded" };
    case "error":
      return isSuperseded(stop.error)
        ? { kind: "superseded" }
        : { kind: failureKind(stop.error), reason: describeError(stop.error) };
  }
}

export function decideDelivery(cause: StopCause, facts: DeliveryFacts): DeliveryDecision {
  switch (cause.kind) {
    case "complete":
      return { outcome: "done" };
    case "sliced":
    case "superseded":
      return { outcome: cause.kind };
    case "permanent":
      return { outcome: "failed", reason: cause.reason };
    case "transient": {
      if (facts.failingForMs < facts.retryTransientForMs)
        return { outcome: "retrying", reason: cause.reason };
      const seconds = Math.round(facts.failingForMs / 1000);
      return { outcome: "failed", reason: `gave up after ${seconds} s of retries: ${cause.reason}` };
    }
    case "unknown":
      return facts.attempt < facts.maxAttempts
        ? { outcome: "retrying", reason: cause.reason }
        : { outcome: "failed", reason: cause.reason };
  }
}
