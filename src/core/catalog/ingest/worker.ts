/**
 * The worker's use case: one job = one run of one catalog object. The worker takes the object's
 * lease (only one worker holds an object at a time, and every commit proves it still does),
 * keeps it renewed while the run goes on (runner.ts), ends the object when the run read it all,
 * and settles the delivery as delivery.ts decides: acknowledged (done, failed, superseded, or
 * continued in a new job when its slice ran out) or thrown back to the queue to be retried.
 * Songs are upserted and their passages replaced inside each commit, so a redelivered job
 * changes nothing twice; the job is acknowledged only after the last commit.
 */
import { randomUUID } from "node:crypto";
import type { QueueMessage } from "../../ports.js";
import type { IndexWriter } from "../index-writer.js";
import type { IngestJob, IngestRunStore, Lease } from "../store.js";
import { decideDelivery, stopCause, type DeliveryDecision, type RunStop } from "./delivery.js";
import { LeaseKeeper } from "./lease-keeper.js";
import type { IngestObserver } from "./observer.js";
import type { RunOrder, IngestRunner } from "./runner.js";

export interface IngestWorkerDeps {
  store: IngestRunStore;
  /** Runs an object from where it stands to its end or its slice's. */
  runner: Pick<IngestRunner, "run">;
  /** Where the end of a run goes: the vector index of this process, or straight to the database. */
  indexWriter: IndexWriter;
  /** The embedding model's name: a job queued for another model is stale. */
  model: string;
  /** Puts a job back on the queue (a run that stopped at the end of its slice continues). */
  enqueue(job: IngestJob): Promise<void>;
  /** Deliveries after which an object failing for an unknown reason is marked failed. */
  maxAttempts: number;
  /** How long passing failures are retried before the object is marked failed. */
  retryTransientForMs: number;
  /** How long a worker's lease lasts without renewal; renewed every third of it. */
  leaseMs: number;
  /** Longest run of one delivery before it continues in a new job. */
  sliceMs: number;
  observer?: IngestObserver;
  clock?: () => Date;
}

type RunResult = { status: "done" } | { status: "failed"; error: string };

export class IngestWorker {
  private readonly clock: () => Date;

  constructor(private readonly deps: IngestWorkerDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  /**
   * The queue handler: resolves to acknowledge, throws to have the job retried later. When
   * `stop` aborts (the worker is shutting down), the run ends at its next commit, gives the
   * object up and queues its continuation, for another worker to resume at once.
   */
  async handle(message: QueueMessage<IngestJob>, stop?: AbortSignal): Promise<void> {
    const { store, observer, leaseMs } = this.deps;
    const job = message.payload;
    const now = this.clock();
    const outcome = await store.startObject(job, this.deps.model, {
      token: randomUUID(),
      until: new Date(now.getTime() + leaseMs),
      now,
    });
    // Stale: done already, or changed since (a newer job carries it).
    if (outcome.status === "stale") {
      observer?.delivery?.("superseded");
      return;
    }
    // Busy: a worker holds the object, or held it until it died a moment ago (its lease not
    // run out yet). The job comes back after a pause: by then the object is done (and the job
    // is dropped as stale), or its lease has lapsed and this worker takes it over.
    if (outcome.status === "busy") {
      observer?.delivery?.("busy");
      throw new Error("another worker holds this object; trying again later");
    }
    const { lease, object } = outcome;
    const startedAt = Date.now();
    const keeper = new LeaseKeeper(store, lease, leaseMs, this.clock);
    try {
      const order: RunOrder = { job, object, lease, sliceEndsAt: startedAt + this.deps.sliceMs, stop };
      const stopped = await this.attempt(order, keeper, startedAt);
      const cause = stopCause(stopped);
      const decision = decideDelivery(cause, {
        attempt: message.attempt,
        maxAttempts: this.deps.maxAttempts,
        failingForMs: cause.kind === "transient" ? await this.failingFor(lease, cause.reason) : 0,
        retryTransientForMs: this.deps.retryTransientForMs,
      });
      await this.settle(decision, order, startedAt);
      // Thrown back to the queue, which delivers the job again after a pause.
      if (decision.outcome === "retrying") {
        throw stopped.kind === "error" ? stopped.error : new Error(decision.reason);
      }
    } finally {
      keeper.stop();
    }
  }

  /** Runs the object and, when the run read it all while holding its lease, ends it as done. */
  private async attempt(order: RunOrder, keeper: LeaseKeeper, startedAt: number): Promise<RunStop> {
    try {
      const end = await this.deps.runner.run(order);
      if (end !== "complete") return { kind: end };
      if (keeper.lost) return { kind: "lease-lost" };
      await this.finish(order, { status: "done" }, startedAt);
      return { kind: "complete" };
    } catch (error) {
      return { kind: "error", error };
    }
  }

  /** Does what the decision says to the object and the queue, and tells the observer. */
  private async settle(decision: DeliveryDecision, order: RunOrder, startedAt: number): Promise<void> {
    const { store, observer } = this.deps;
    switch (decision.outcome) {
      case "done":
        break;
      case "sliced":
        await store.releaseLease(order.lease);
        await this.deps.enqueue(order.job);
        break;
      case "superseded":
        // The file changed or went away under the run: ended failed with why, not left
        // "processing"; its new version starts a new run once the crawler lists it.
        if (decision.changed !== undefined) {
          await this.finish(order, { status: "failed", error: decision.changed }, startedAt);
          break;
        }
        await store.releaseLease(order.lease).catch(() => {});
        break;
      case "retrying":
        // Guarded by the token: a lease already taken over is left alone.
        await store.releaseLease(order.lease).catch(() => {});
        break;
      case "failed":
        await this.finish(order, { status: "failed", error: decision.reason }, startedAt);
        break;
    }
    if ("reason" in decision) observer?.delivery?.(decision.outcome, decision.reason);
    else observer?.delivery?.(decision.outcome);
  }

  /** Ends the run; the observer hears of the object as it ended, unless the lease was lost. */
  private async finish(order: RunOrder, result: RunResult, startedAt: number): Promise<void> {
    const { store, observer } = this.deps;
    const finished = await this.deps.indexWriter.apply(() =>
      store.finishObject(order.lease, result, this.clock()),
    );
    if (!finished) return;
    const object = await store.getObject(order.job.objectId);
    if (object) observer?.finished?.(object, result.status, Date.now() - startedAt);
  }

  /** Notes a passing failure; answers how long the run has been failing (0 when unknown). */
  private async failingFor(lease: Lease, reason: string): Promise<number> {
    const since = await this.deps.store.noteTransientFailure(lease, this.clock(), reason).catch(() => null);
    return since ? this.clock().getTime() - Date.parse(since) : 0;
  }
}
