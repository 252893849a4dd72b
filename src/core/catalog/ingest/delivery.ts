/**
 * How a delivery of an ingest job ends, decided from how its run stopped, without side effects:
 *  - the run read its object to the end: done;
 *  - its slice ran out (or the worker is stopping): it goes on in a new job;
 *  - it lost its lease: superseded, the job is dropped (another worker carries the object);
 *  - the object changed or left the bucket while it was read: superseded too, and the object
 *    is ended failed with why, not left "processing" until the next crawl lists its new version
 *    (which queues it again at once);
 *  - it failed: an object no retry can read fails at once; a passing failure (the embedder,
 *    the database, the bucket away) is retried for as long as `retryTransientForMs` allows,
 *    counted from its first occurrence; any other error is retried `maxAttempts` times.
 */
import { describeError, failureKind, type FailureKind } from "../failures.js";

/** How a run stopped. */
export type RunStop =
  { kind: "complete" } | { kind: "sliced" } | { kind: "lease-lost" } | { kind: "error"; error: unknown };

/** Why a run stopped, with the reason of a failure (or of a change of the object). */
export type StopCause =
  | { kind: "complete" | "sliced" }
  | { kind: "superseded"; changed?: string }
  | { kind: FailureKind; reason: string };

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
  /** With `changed` when the object itself changed or went away: it is ended failed with that. */
  | { outcome: "superseded"; changed?: string }
  | { outcome: "retrying"; reason: string }
  | { outcome: "failed"; reason: string };

/** Why the object changed or vanished in the bucket since it was listed, or undefined. */
function changeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "OBJECT_CHANGED")
    return "the file changed while it was read: its new version is read once the next crawl lists it";
  if (code === "OBJECT_NOT_FOUND") return "the file went away while it was read";
  return undefined;
}

export function stopCause(stop: RunStop): StopCause {
  switch (stop.kind) {
    case "complete":
    case "sliced":
      return { kind: stop.kind };
    case "lease-lost":
      return { kind: "superseded" };
    case "error": {
      const changed = changeOf(stop.error);
      return changed !== undefined
        ? { kind: "superseded", changed }
        : { kind: failureKind(stop.error), reason: describeError(stop.error) };
    }
  }
}

export function decideDelivery(cause: StopCause, facts: DeliveryFacts): DeliveryDecision {
  switch (cause.kind) {
    case "complete":
      return { outcome: "done" };
    case "sliced":
      return { outcome: "sliced" };
    case "superseded":
      return cause.changed === undefined
        ? { outcome: "superseded" }
        : { outcome: "superseded", changed: cause.changed };
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
