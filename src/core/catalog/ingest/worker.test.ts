import { describe, expect, it, vi } from "vitest";
import { catalogObject, T0 } from "../../../../test/catalog/fakes.js";
import { VersoError } from "../../errors.js";
import type { QueueMessage } from "../../ports.js";
import type { IndexWriter } from "../index-writer.js";
import type { CatalogObject, CommittedBatch, IngestJob, IngestRunStore } from "../store.js";
import { UnreadableObjectError } from "../unreadable.js";
import type { IngestOutcome } from "./observer.js";
import type { RunEnd, RunOrder } from "./runner.js";
import { IngestWorker, type IngestWorkerDeps } from "./worker.js";

const ended: CommittedBatch = { catalogVersion: 9, added: [], removed: [] };

/**
 * One object in memory with its lease: taken for its generation when nobody holds it, every
 * write of a run guarded by the token, as the store's contract says.
 */
function memoryRunStore(initial: CatalogObject) {
  let object = { ...initial };
  let holder: string | null = null;
  let transientSince: string | null = null;
  const state = {
    refuseRenewals: false,
    failFinish: null as Error | null,
    failRelease: null as Error | null,
  };
  const calls: string[] = [];
  const store: IngestRunStore = {
    modelId: async () => 1,
    storedVectors: async () => new Map(),
    getObject: async (id) => (id === object.id ? { ...object } : null),
    async startObject(job, model, lease) {
      if (job.generation !== object.generation || model !== object.model) return { status: "stale" };
      if (holder !== null) return { status: "busy" };
      holder = lease.token;
      object = { ...object, status: "processing", deliveries: object.deliveries + 1 };
      return { status: "started", object: { ...object }, lease: { objectId: object.id, token: lease.token } };
    },
    async renewLease(lease) {
      calls.push("renew");
      return lease.token === holder && !state.refuseRenewals;
    },
    async releaseLease(lease) {
      calls.push("release");
      if (state.failRelease) throw state.failRelease;
      if (lease.token === holder) holder = null;
    },
    commitBatch: async () => {
      throw new Error("a worker commits through its runner");
    },
    async noteTransientFailure(lease, at, reason) {
      calls.push(`transient: ${reason}`);
      if (lease.token !== holder) return null;
      transientSince ??= at.toISOString();
      return transientSince;
    },
    async finishObject(lease, outcome) {
      calls.push(`finish ${outcome.status}`);
      if (state.failFinish) throw state.failFinish;
      if (lease.token !== holder) return null;
      holder = null;
      object = {
        ...object,
        status: outcome.status,
        error: outcome.status === "failed" ? outcome.error : null,
      };
      return ended;
    },
  };
  return {
    store,
    calls,
    state,
    holder: () => holder,
    /** As if another worker held the object now. */
    takenByAnother: () => (holder = "another-worker"),
  };
}

type RunStub = (order: RunOrder) => Promise<RunEnd>;

function setUp(run: RunStub = async () => "complete", deps: Partial<IngestWorkerDeps> = {}) {
  const object = catalogObject({ model: "stub-model" });
  const runs = memoryRunStore(object);
  const orders: RunOrder[] = [];
  const enqueued: IngestJob[] = [];
  const applied: (CommittedBatch | null)[] = [];
  const deliveries: [IngestOutcome, string?][] = [];
  const finished: [CatalogObject, "done" | "failed"][] = [];
  let now = T0.getTime();
  const indexWriter: IndexWriter = {
    async apply(commit) {
      const committed = await commit();
      applied.push(committed);
      return committed;
    },
  };
  const worker = new IngestWorker({
    store: runs.store,
    runner: {
      run: (order) => {
        orders.push(order);
        return run(order);
      },
    },
    indexWriter,
    model: "stub-model",
    enqueue: async (job) => {
      enqueued.push(job);
    },
    maxAttempts: 3,
    retryTransientForMs: 60_000,
    leaseMs: 30_000,
    sliceMs: 600_000,
    observer: {
      delivery: (...args) => deliveries.push(args),
      finished: (o, outcome) => finished.push([o, outcome]),
    },
    clock: () => new Date(now),
    ...deps,
  });
  const job: IngestJob = {
    objectId: 1,
    source: object.source,
    key: object.key,
    etag: object.etag,
    generation: 1,
  };
  const message = (attempt = 1, payload = job): QueueMessage<IngestJob> => ({ id: "m1", payload, attempt });
  return {
    worker,
    runs,
    orders,
    enqueued,
    applied,
    deliveries,
    finished,
    job,
    message,
    advance: (ms: number) => (now += ms),
  };
}

const failingWith =
  (error: unknown): RunStub =>
  async () => {
    throw error;
  };

describe("the ingest worker", () => {
  it("runs an object it takes from where it stands, and acknowledges the job once the object is done", async () => {
    const t = setUp();
    await expect(t.worker.handle(t.message())).resolves.toBeUndefined();
    expect(t.orders).toHaveLength(1);
    expect(t.orders[0]).toMatchObject({
      job: t.job,
      object: { id: 1, status: "processing", deliveries: 1 },
      lease: { objectId: 1 },
    });
    expect(t.runs.calls).toEqual(["finish done"]);
    // The end of the run goes through the index writer, and the observer hears of the object.
    expect(t.applied).toEqual([ended]);
    expect(t.finished.map(([o, outcome]) => [o.status, outcome])).toEqual([["done", "done"]]);
    expect(t.deliveries).toEqual([["done"]]);
    expect(t.runs.holder()).toBeNull();
  });

  it("passes the worker's stop signal and the end of its slice to the run", async () => {
    const t = setUp(async () => "complete", { sliceMs: 5_000 });
    const stopping = new AbortController();
    const before = Date.now();
    await t.worker.handle(t.message(), stopping.signal);
    expect(t.orders[0]!.stop).toBe(stopping.signal);
    expect(t.orders[0]!.sliceEndsAt).toBeGreaterThanOrEqual(before + 5_000);
    expect(t.orders[0]!.sliceEndsAt).toBeLessThanOrEqual(Date.now() + 5_000);
  });

  it("drops a job of an older run without running it", async () => {
    const t = setUp();
    await t.worker.handle(t.message(1, { ...t.job, generation: 0 }));
    expect(t.orders).toEqual([]);
    expect(t.deliveries).toEqual([["superseded"]]);
  });

  it("hands a job back to the queue while another worker holds its object", async () => {
    const t = setUp();
    t.runs.takenByAnother();
    await expect(t.worker.handle(t.message())).rejects.toThrow(/another worker holds this object/);
    expect(t.orders).toEqual([]);
    expect(t.deliveries).toEqual([["busy"]]);
  });

  it("gives the object up and queues its continuation when the slice is over", async () => {
    const t = setUp(async () => "sliced");
    await t.worker.handle(t.message());
    expect(t.runs.calls).toEqual(["release"]);
    expect(t.enqueued).toEqual([t.job]);
    expect(t.deliveries).toEqual([["sliced"]]);
    expect(t.runs.holder()).toBeNull();
  });

  it("drops the job when a commit found the lease lost", async () => {
    const t = setUp(async () => "lease-lost");
    await t.worker.handle(t.message());
    expect(t.runs.calls).toEqual(["release"]);
    expect(t.enqueued).toEqual([]);
    expect(t.deliveries).toEqual([["superseded"]]);
  });

  it("does not end an object done once a renewal of its lease was refused", async () => {
    let release = () => {};
    const t = setUp(() => new Promise<RunEnd>((resolve) => (release = () => resolve("complete"))), {
      leaseMs: 30,
    });
    t.runs.state.refuseRenewals = true;
    const handled = t.worker.handle(t.message());
    await vi.waitFor(() => expect(t.runs.calls).toContain("renew"));
    release();
    await handled;
    expect(t.runs.calls).not.toContain("finish done");
    expect(t.deliveries).toEqual([["superseded"]]);
  });

  it("keeps renewing the lease while the run goes on, and stops when it ends", async () => {
    let release = () => {};
    const t = setUp(() => new Promise<RunEnd>((resolve) => (release = () => resolve("complete"))), {
      leaseMs: 30,
    });
    const handled = t.worker.handle(t.message());
    await vi.waitFor(() =>
      expect(t.runs.calls.filter((c) => c === "renew").length).toBeGreaterThanOrEqual(2),
    );
    release();
    await handled;
    const renewals = t.runs.calls.filter((c) => c === "renew").length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(t.runs.calls.filter((c) => c === "renew")).toHaveLength(renewals);
    expect(t.deliveries).toEqual([["done"]]);
  });

  it("drops the job and ends the object failed, saying why, when its file changed while it was read", async () => {
    // Not left "processing" until the next crawl: the new version is queued when it is listed.
    const t = setUp(failingWith(new VersoError("OBJECT_CHANGED", "a.csv changed")));
    await t.worker.handle(t.message());
    expect(t.runs.calls).toEqual(["finish failed"]);
    expect(t.finished.map(([o, outcome]) => [o.status, outcome, o.error])).toEqual([
      ["failed", "failed", expect.stringMatching(/^the file changed while it was read/)],
    ]);
    expect(t.deliveries).toEqual([["superseded"]]);
  });

  it("only gives the object up when another worker took its lease: that worker carries it on", async () => {
    const t = setUp(async () => "lease-lost");
    await t.worker.handle(t.message());
    expect(t.runs.calls).toEqual(["release"]);
    expect(t.deliveries).toEqual([["superseded"]]);
  });

  it("fails an object no retry can read at once, with the reason", async () => {
    const t = setUp(failingWith(new UnreadableObjectError("the header has no lyrics column")));
    await t.worker.handle(t.message());
    expect(t.runs.calls).toEqual(["finish failed"]);
    expect(t.finished.map(([o, outcome]) => [o.error, outcome])).toEqual([
      ["the header has no lyrics column", "failed"],
    ]);
    expect(t.deliveries).toEqual([["failed", "the header has no lyrics column"]]);
  });

  it("hands a passing failure back to the queue, noting since when the run has been failing", async () => {
    const away = new VersoError("DEPENDENCY_UNAVAILABLE", "embedder away");
    const t = setUp(failingWith(away));
    await expect(t.worker.handle(t.message())).rejects.toBe(away);
    expect(t.runs.calls).toEqual(["transient: embedder away", "release"]);
    expect(t.deliveries).toEqual([["retrying", "embedder away"]]);
    expect(t.runs.holder()).toBeNull();
  });

  it("fails the object once a passing failure has lasted the time allowed", async () => {
    const t = setUp(failingWith(new VersoError("DEPENDENCY_UNAVAILABLE", "embedder away")));
    await expect(t.worker.handle(t.message(1))).rejects.toThrow("embedder away");
    t.advance(61_000);
    await expect(t.worker.handle(t.message(2))).resolves.toBeUndefined();
    expect(t.runs.calls.slice(-2)).toEqual(["transient: embedder away", "finish failed"]);
    expect(t.deliveries.at(-1)).toEqual(["failed", "gave up after 61 s of retries: embedder away"]);
  });

  it("retries any other failure until the last attempt, then fails the object", async () => {
    const t = setUp(failingWith(new TypeError("x is undefined")));
    await expect(t.worker.handle(t.message(1))).rejects.toThrow("x is undefined");
    await expect(t.worker.handle(t.message(2))).rejects.toThrow("x is undefined");
    await expect(t.worker.handle(t.message(3))).resolves.toBeUndefined();
    expect(t.deliveries).toEqual([
      ["retrying", "x is undefined"],
      ["retrying", "x is undefined"],
      ["failed", "x is undefined"],
    ]);
    expect(t.runs.calls.at(-1)).toBe("finish failed");
  });

  it("retries with the run's own error when giving the lease up fails too", async () => {
    const bug = new TypeError("x is undefined");
    const t = setUp(failingWith(bug));
    t.runs.state.failRelease = new Error("database away");
    await expect(t.worker.handle(t.message())).rejects.toBe(bug);
  });

  it("treats a failure to end the object done like a failure of the run", async () => {
    const t = setUp();
    t.runs.state.failFinish = Object.assign(new Error("connection lost"), { code: "ECONNRESET" });
    await expect(t.worker.handle(t.message())).rejects.toThrow("connection lost");
    expect(t.runs.calls).toEqual(["finish done", "transient: connection lost", "release"]);
    expect(t.deliveries).toEqual([["retrying", "connection lost"]]);
  });
});
