/**
 * An Embedder on a pool of worker threads, each holding its own copy of a model.
 *
 * Two lanes: bulk work (ingest) goes to the bulk workers, one per core; interactive work (a
 * person waiting on a prompt) goes first to a dedicated interactive worker, or to any idle
 * worker, and always ahead of queued bulk work. The interactive worker never takes bulk work:
 * with the bulk workers already on every core it would add no throughput, and a prompt could
 * then land behind a bulk batch that takes seconds.
 *
 * Requests queued in a lane are coalesced into batches of up to `maxBatch` texts, so callers
 * sending a few texts at a time still fill the model (lane-scheduler.ts). A worker that dies, or
 * that does not answer a batch by its deadline (see `batchTimeout`) and is terminated, is
 * replaced; its batch is retried once, each request on its own, so one poisonous text fails only
 * its caller (worker-supervisor.ts).
 *
 * When the workers cannot run at all (the model does not load, or they keep crashing or
 * hanging) the pool goes out of service: every waiting and new call fails at once with
 * DEPENDENCY_UNAVAILABLE, a transient error, while it starts its workers again after a growing
 * delay. As soon as one worker is up the pool serves again. Nothing it does is permanent short
 * of close().
 */
import { VersoError } from "../../core/errors.js";
import type { EmbedPriority, Embedder, EmbeddingModel } from "../../core/ports.js";
import type { Metrics } from "../../observability/metrics.js";
import { checkEmbedCall } from "./embed-call.js";
import { LaneScheduler } from "./lane-scheduler.js";
import type { Lane } from "./protocol.js";
import {
  WorkerSupervisor,
  crashWindowMs,
  type BatchTimeout,
  type PoolCall,
  type WorkerEvent,
  type WorkerFile,
  type WorkerStats,
} from "./worker-supervisor.js";

export type { WorkerEvent, WorkerState, WorkerStats } from "./worker-supervisor.js";

export interface WorkerPoolOptions {
  model: EmbeddingModel;
  worker: WorkerFile;
  /** Bulk workers; also the embedder's parallelism. */
  threads: number;
  /** A worker reserved for interactive requests (default true). */
  interactiveWorker?: boolean;
  /** Most texts sent to a worker at once (default 64). */
  maxBatch?: number;
  /** Texts per model call inside a worker, after sorting by length (default 16). */
  subBatch?: number;
  /** Nice value of bulk worker threads on Linux (default 10; 0 leaves them alone). */
  bulkNice?: number;
  metrics?: Pick<Metrics, "embedBatches">;
  /** Delay before starting the workers again after the pool went out of service; it doubles each time. */
  recovery?: { initialDelayMs?: number; maxDelayMs?: number };
  /**
   * How long a worker may take over one batch, from sending it, before it is held to be hung:
   * the base of the batch's lane plus perTextMs for each of its texts (defaults: interactive
   * 5 s, bulk 15 s, 500 ms a text).
   */
  batchTimeout?: { interactiveMs?: number; bulkMs?: number; perTextMs?: number };
  onEvent?: (event: PoolEvent) => void;
}

/**
 * A text takes ~50 ms on a quiet core (39 passages/s on two, docs/benchmarks.md); ten times
 * that lets a bulk worker at nice 10 on a shared, busy machine finish, and gives a full batch
 * of 64 texts 15 + 32 = 47 s. A bulk batch cut wrongly loses all its work and a 1–2 s model
 * reload, and ingest does not wait on seconds, so its base is long. A prompt takes 12–36 ms and
 * a person is waiting: past 5 s a retry on another worker serves them better than waiting on,
 * and cutting one wrongly costs only the retry of a text or two.
 */
const defaultBatchTimeout: BatchTimeout = { interactiveMs: 5_000, bulkMs: 15_000, perTextMs: 500 };

export type PoolEvent =
  | WorkerEvent
  /** Out of service; the workers are started again in retryInMs. */
  | { type: "failed"; error: Error; retryInMs: number }
  /** A worker is up again after the pool was out of service for outageMs. */
  | { type: "recovered"; outageMs: number };

/** starting: first start; serving: every worker has loaded once; out-of-service: see `failure`. */
export type PoolState = "starting" | "serving" | "out-of-service" | "closed";

export interface PoolStats {
  workers: WorkerStats[];
  state: PoolState;
  /** Why the pool is out of service, while it is. */
  failure: string | undefined;
  /** Times the pool went out of service. */
  outages: number;
  /** Texts waiting for a worker, by lane. */
  queued: Record<Lane, number>;
  /** From construction until every worker had loaded its model; undefined while starting. */
  startupMs: number | undefined;
  /** Workers lost after they were up, hung ones included. */
  crashes: number;
}

export interface PoolEmbedder extends Embedder {
  /**
   * Resolves once every worker has loaded its model; rejects with the reason while the pool is
   * out of service. Each call answers for that moment: after a recovery it resolves again.
   */
  ready(): Promise<void>;
  stats(): PoolStats;
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

export function createWorkerPoolEmbedder(options: WorkerPoolOptions): PoolEmbedder {
  return new WorkerPool(options);
}

class WorkerPool implements PoolEmbedder {
  readonly model: EmbeddingModel;
  readonly parallelism: number;

  private readonly scheduler: LaneScheduler<PoolCall>;
  private readonly supervisor: WorkerSupervisor;
  private readonly startedAt = performance.now();
  private startupMs: number | undefined;
  /** Every worker of the current start has loaded its model. */
  private serving = false;
  private readyWaiters: Waiter[] = [];
  private failure: VersoError | undefined;
  private failedAt = 0;
  private servingSince: number | undefined;
  /** Outages in a row without crashWindowMs of service between them: the exponent of the delay. */
  private failStreak = 0;
  private outages = 0;
  private recoveryTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: WorkerPoolOptions) {
    if (!Number.isInteger(options.threads) || options.threads < 1) {
      throw new RangeError(`embedder threads must be a positive integer, not ${options.threads}`);
    }
    this.model = { ...options.model };
    this.parallelism = options.threads;
    const batchTimeout = { ...defaultBatchTimeout, ...options.batchTimeout };
    const { interactiveMs, bulkMs, perTextMs } = batchTimeout;
    if (!(interactiveMs > 0 && bulkMs > 0 && perTextMs >= 0)) {
      throw new RangeError(
        `embedder batch timeouts must be positive, not ${JSON.stringify(options.batchTimeout)}`,
      );
    }

    const lanes: Lane[] = Array.from({ length: options.threads }, () => "bulk");
    if (options.interactiveWorker ?? true) lanes.unshift("interactive");
    this.scheduler = new LaneScheduler<PoolCall>(options.maxBatch ?? 64);
    this.supervisor = new WorkerSupervisor({
      model: this.model,
      worker: options.worker,
      lanes,
      subBatch: options.subBatch ?? 16,
      bulkNice: options.bulkNice ?? 10,
      batchTimeout,
      scheduler: this.scheduler,
      ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
      ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
      workerReady: () => this.workerUp(),
      cannotRun: (reason, error) => this.fail(reason, error),
    });
    this.startAll();
  }

  ready(): Promise<void> {
    if (this.closed) return Promise.reject(this.closedError());
    if (this.failure) return Promise.reject(this.failure);
    if (this.serving) return Promise.resolve();
    return new Promise((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
  }

  async embed(texts: readonly string[], options: { priority?: EmbedPriority } = {}): Promise<Float32Array[]> {
    const priority = checkEmbedCall(texts, options.priority);
    if (this.failure) throw this.failure;
    if (this.closed) throw this.closedError();
    if (texts.length === 0) return [];
    const vectors = this.scheduler.submit(texts, priority, { crashes: 0 });
    this.supervisor.dispatch();
    return vectors;
  }

  stats(): PoolStats {
    return {
      workers: this.supervisor.workers(),
      state: this.closed
        ? "closed"
        : this.failure
          ? "out-of-service"
          : this.servingSince === undefined
            ? "starting"
            : "serving",
      failure: this.failure?.message,
      outages: this.outages,
      queued: this.scheduler.queued(),
      startupMs: this.startupMs,
      crashes: this.supervisor.crashes,
    };
  }

  close(): Promise<void> {
    if (!this.closing) {
      this.closed = true;
      clearTimeout(this.recoveryTimer);
      const error = this.closedError();
      this.rejectAll(error);
      this.settleWaiters(error);
      this.closing = this.supervisor.close();
    }
    return this.closing;
  }

  private startAll() {
    this.serving = false;
    this.supervisor.startAll();
  }

  private workerUp() {
    const now = performance.now();
    if (this.failure) {
      this.options.onEvent?.({ type: "recovered", outageMs: now - this.failedAt });
      this.failure = undefined;
    }
    this.servingSince ??= now;
    if (this.serving || !this.supervisor.allUp()) return;
    this.serving = true;
    this.startupMs ??= now - this.startedAt;
    this.settleWaiters();
  }

  /**
   * Puts the pool out of service: everything waiting, and everything asked until a worker is
   * up again, fails; the workers are started again after a delay that doubles each outage.
   */
  private fail(reason: string, cause: unknown) {
    // Already out of service and waiting to try again: the other workers' news changes nothing.
    if (this.recoveryTimer || this.closed) return;
    const now = performance.now();
    if (this.servingSince !== undefined && now - this.servingSince >= crashWindowMs) this.failStreak = 0;
    const initial = this.options.recovery?.initialDelayMs ?? 1000;
    const max = this.options.recovery?.maxDelayMs ?? 60_000;
    const delay = Math.min(max, initial * 2 ** this.failStreak);
    this.failStreak += 1;
    this.outages += 1;
    if (!this.failure) this.failedAt = now;
    this.servingSince = undefined;
    this.serving = false;
    this.failure = new VersoError("DEPENDENCY_UNAVAILABLE", `the ${this.model.name} embedder ${reason}`, {
      cause,
      retryAfterSeconds: Math.ceil(delay / 1000),
    });
    this.options.onEvent?.({ type: "failed", error: this.failure, retryInMs: delay });
    this.rejectAll(this.failure);
    this.settleWaiters(this.failure);
    this.supervisor.stopAll();
    this.recoveryTimer = setTimeout(() => {
      this.recoveryTimer = undefined;
      if (!this.closed) this.startAll();
    }, delay);
    // An embedder out of service must not be what keeps a finished process alive.
    this.recoveryTimer.unref();
  }

  private settleWaiters(error?: Error) {
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const waiter of waiters) {
      if (error) waiter.reject(error);
      else waiter.resolve();
    }
  }

  private rejectAll(error: Error) {
    const requests = [...this.scheduler.drain(), ...this.supervisor.takeInFlight()];
    for (const request of requests) request.reject(error);
  }

  private closedError() {
    return new VersoError("DEPENDENCY_UNAVAILABLE", `the ${this.model.name} embedder is closed`);
  }
}
