import { describe, expect, it } from "vitest";
import { VersoError } from "../../errors.js";
import { UnreadableObjectError } from "../unreadable.js";
import { decideDelivery, stopCause, type DeliveryFacts, type StopCause } from "./delivery.js";

const connectionRefused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), {
  code: "ECONNREFUSED",
});

describe("why a run stopped", () => {
  it.each([
    ["it read the object to the end", { kind: "complete" } as const, { kind: "complete" }],
    ["its slice was over", { kind: "sliced" } as const, { kind: "sliced" }],
    ["a commit found its lease lost", { kind: "lease-lost" } as const, { kind: "superseded" }],
  ])("%s", (_case, stop, cause) => {
    expect(stopCause(stop)).toEqual(cause);
  });

  it.each([
    [
      "the object changed since it was listed",
      new VersoError("OBJECT_CHANGED", "changed"),
      { kind: "superseded", changed: expect.stringMatching(/^the file changed while it was read/) },
    ],
    [
      "the object left the bucket",
      new VersoError("OBJECT_NOT_FOUND", "gone"),
      { kind: "superseded", changed: "the file went away while it was read" },
    ],
    [
      "no retry can read the object",
      new UnreadableObjectError("the header has no lyrics column"),
      { kind: "permanent", reason: "the header has no lyrics column" },
    ],
    [
      "the embedder is away",
      new VersoError("DEPENDENCY_UNAVAILABLE", "embedder unreachable"),
      { kind: "transient", reason: "embedder unreachable" },
    ],
    [
      "the database refused the connection",
      connectionRefused,
      { kind: "transient", reason: "connect ECONNREFUSED 127.0.0.1:5432" },
    ],
    ["a bug", new TypeError("x is undefined"), { kind: "unknown", reason: "x is undefined" }],
    ["something thrown that is no error", "a string", { kind: "unknown", reason: "a string" }],
  ])("it failed: %s", (_case, error, cause) => {
    expect(stopCause({ kind: "error", error })).toEqual(cause);
  });

  it("keeps a failure's reason short", () => {
    const cause = stopCause({ kind: "error", error: new Error("x".repeat(5000)) });
    expect(cause).toMatchObject({ kind: "unknown" });
    expect((cause as { reason: string }).reason).toHaveLength(2000);
  });
});

describe("how a delivery ends", () => {
  const facts: DeliveryFacts = { attempt: 1, maxAttempts: 3, failingForMs: 0, retryTransientForMs: 60_000 };
  const decide = (cause: StopCause, more: Partial<DeliveryFacts> = {}) =>
    decideDelivery(cause, { ...facts, ...more });

  it("is done when the run read the object to the end", () => {
    expect(decide({ kind: "complete" })).toEqual({ outcome: "done" });
  });

  it("goes on in a new job when the slice was over, whatever the attempt", () => {
    expect(decide({ kind: "sliced" }, { attempt: 3 })).toEqual({ outcome: "sliced" });
  });

  it("drops the job when the run was superseded, whatever the attempt", () => {
    expect(decide({ kind: "superseded" }, { attempt: 3 })).toEqual({ outcome: "superseded" });
    expect(decide({ kind: "superseded", changed: "it changed" }, { attempt: 1 })).toEqual({
      outcome: "superseded",
      changed: "it changed",
    });
  });

  it("fails at once when no retry can read the object", () => {
    expect(decide({ kind: "permanent", reason: "empty file" })).toEqual({
      outcome: "failed",
      reason: "empty file",
    });
  });

  it("retries a passing failure while it has failed for less than the time allowed", () => {
    const transient = { kind: "transient", reason: "embedder away" } as const;
    expect(decide(transient)).toEqual({ outcome: "retrying", reason: "embedder away" });
    // The number of deliveries does not count for a passing failure: only the time does.
    expect(decide(transient, { attempt: 50, failingForMs: 59_999 })).toEqual({
      outcome: "retrying",
      reason: "embedder away",
    });
  });

  it("gives a passing failure up once it has failed for the time allowed, saying how long", () => {
    const transient = { kind: "transient", reason: "embedder away" } as const;
    expect(decide(transient, { failingForMs: 60_000 })).toEqual({
      outcome: "failed",
      reason: "gave up after 60 s of retries: embedder away",
    });
    expect(decide(transient, { failingForMs: 90_600 })).toMatchObject({
      reason: "gave up after 91 s of retries: embedder away",
    });
  });

  it("retries any other failure until the last attempt, then fails", () => {
    const unknown = { kind: "unknown", reason: "x is undefined" } as const;
    expect(decide(unknown, { attempt: 1 })).toEqual({ outcome: "retrying", reason: "x is undefined" });
    expect(decide(unknown, { attempt: 2 })).toEqual({ outcome: "retrying", reason: "x is undefined" });
    expect(decide(unknown, { attempt: 3 })).toEqual({ outcome: "failed", reason: "x is undefined" });
    expect(decide(unknown, { attempt: 4 })).toEqual({ outcome: "failed", reason: "x is undefined" });
  });
});
