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
 * sending a few texts at a time still fill the model. A worker that dies, or that does not
 * answer a batch by its deadline (see `batchTimeout`) and is terminated, is replaced; its batch
 * is retried once, each request on its own, so one poisonous text fails only its caller.
 *
 * When the workers cannot run at all (the model does not load, or they keep crashing or
 * hanging) the pool goes out of service: every waiting and new call fails at once with
 * DEPENDENCY_UNAVAILABLE, a transient error, while it starts its workers again after a growing
 * delay. As soon as one worker is up the pool serves again. Nothing it does is permanent short
 * of close().
 */
import type { Worker } from "node:worker_threads";
import { VersoError } from "../../core/errors.js";
import type { EmbedPriority, Embedder, EmbeddingModel } from "../../core/ports.js";
import type { Metrics } from "../../observability/metrics.js";
import type { EmbedMessage, Lane, ModelWorkerData, WorkerReply } from "./protocol.js";
import { checkEmbedCall, splitEvenly } from "./embed-call.js";
import { startWorker } from "./worker-entry.js";

export interface WorkerPoolOptions {
  model: EmbeddingModel;
  /** The worker file: its name without extension, next to the module whose import.meta.url is baseUrl. */
  worker: { baseUrl: string; name: string; settings?: unknown };
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
const defaultBatchTimeout = { interactiveMs: 5_000, bulkMs: 15_000, perTextMs: 500 };

export type PoolEvent =
  /** startMs: from spawning the thread to a warmed-up model; modelMs: the model's part of it. */
  | { type: "worker-ready"; lane: Lane; worker: number; startMs: number; modelMs: number }
  | { type: "worker-crashed"; lane: Lane; worker: number; error: Error; textsInFlight: number }
  /** A batch passed its deadline of timeoutMs: the worker was terminated and is replaced. */
  | { type: "worker-hung"; lane: Lane; worker: number; timeoutMs: number; textsInFlight: number }
  /** Out of service; the workers are started again in retryInMs. */
  | { type: "failed"; error: Error; retryInMs: number }
  /** A worker is up again after the pool was out of service for outageMs. */
  | { type: "recovered"; outageMs: number };

export type WorkerState = "starting" | "idle" | "busy" | "gone";

/** starting: first start; serving: every worker has loaded once; out-of-service: see `failure`. */
export type PoolState = "starting" | "serving" | "out-of-service" | "closed";

export interface PoolStats {
  workers: {
    lane: Lane;
    state: WorkerState;
    /** From spawning the thread to a warmed-up model. */
    startMs: number | undefined;
    batches: number;
    /** Time spent embedding, and the CPU time the thread got for it (Linux only). */
    busyMs: number;
    cpuMs: number | undefined;
  }[];
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

interface Request {
  texts: string[];
  priority: Lane;
  /** Workers lost on it, hung ones included. */
  crashes: number;
  /** Sent to a worker alone, never coalesced: set when retrying after a failed batch. */
  solo: boolean;
  resolve: (vectors: Float32Array[]) => void;
  reject: (error: Error) => void;
}

interface Batch {
  id: number;
  priority: Lane;
  requests: Request[];
  sentAt: number;
  deadline?: NodeJS.Timeout;
}

interface Slot {
  readonly index: number;
  readonly lane: Lane;
  readonly worker: Worker;
  state: WorkerState;
  batch: Batch | undefined;
  readonly spawnedAt: number;
  startMs: number | undefined;
  batches: number;
  busyMs: number;
  cpuMs: number | undefined;
  lastError: Error | undefined;
  /** Started to replace a crashed or hung worker, after the pool was up. */
  readonly replacement: boolean;
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * A burst of crashes this large within a minute means the workers cannot run at all; a pool
 * that served this long since its last outage starts its recovery delays from the beginning.
 */
const crashWindowMs = 60_000;

const textsIn = (batch: Batch | undefined) =>
  batch?.requests.reduce((sum, r) => sum + r.texts.length, 0) ?? 0;

export function createWorkerPoolEmbedder(options: WorkerPoolOptions): PoolEmbedder {
  return new WorkerPool(options);
}

class WorkerPool implements PoolEmbedder {
  readonly model: EmbeddingModel;
  readonly parallelism: number;

  private readonly maxBatch: number;
  private readonly subBatch: number;
  private readonly bulkNice: number;
  private readonly batchTimeout: typeof defaultBatchTimeout;
  private readonly slots: Slot[] = [];
  private readonly queues: Record<Lane, Request[]> = { interactive: [], bulk: [] };
  private readonly lanes: Lane[];
  private readonly startedAt = performance.now();
  private startupMs: number | undefined;
  private nextBatchId = 1;
  private crashTimes: number[] = [];
  private crashCount = 0;
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
    this.model = { name: options.model.name, dimension: options.model.dimension };
    this.parallelism = options.threads;
    this.maxBatch = options.maxBatch ?? 64;
    this.subBatch = options.subBatch ?? 16;
    this.bulkNice = options.bulkNice ?? 10;
    this.batchTimeout = { ...defaultBatchTimeout, ...options.batchTimeout };
    const { interactiveMs, bulkMs, perTextMs } = this.batchTimeout;
    if (!(interactiveMs > 0 && bulkMs > 0 && perTextMs >= 0)) {
      throw new RangeError(
        `embedder batch timeouts must be positive, not ${JSON.stringify(options.batchTimeout)}`,
      );
    }

    this.lanes = Array.from({ length: options.threads }, () => "bulk");
    if (options.interactiveWorker ?? true) this.lanes.unshift("interactive");
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

    const pending = splitEvenly(texts, this.maxBatch).map(
      (chunk) =>
        new Promise<Float32Array[]>((resolve, reject) => {
          this.queues[priority].push({ texts: chunk, priority, crashes: 0, solo: false, resolve, reject });
        }),
    );
    this.pump();
    return (await Promise.all(pending)).flat();
  }

  stats(): PoolStats {
    const queued = (lane: Lane) => this.queues[lane].reduce((sum, r) => sum + r.texts.length, 0);
    return {
      workers: this.slots.map((s) => ({
        lane: s.lane,
        state: s.state,
        startMs: s.startMs,
        batches: s.batches,
        busyMs: s.busyMs,
        cpuMs: s.cpuMs,
      })),
      state: this.closed
        ? "closed"
        : this.failure
          ? "out-of-service"
          : this.servingSince === undefined
            ? "starting"
            : "serving",
      failure: this.failure?.message,
      outages: this.outages,
      queued: { interactive: queued("interactive"), bulk: queued("bulk") },
      startupMs: this.startupMs,
      crashes: this.crashCount,
    };
  }

  close(): Promise<void> {
    if (!this.closing) {
      this.closed = true;
      clearTimeout(this.recoveryTimer);
      const error = this.closedError();
      this.rejectAll(error);
      this.settleWaiters(error);
      this.closing = Promise.all(this.slots.map((slot) => slot.worker.terminate())).then(() => undefined);
    }
    return this.closing;
  }

  // ── scheduling ──────────────────────────────────────────────────────────────────────────

  private pump() {
    if (this.closed || this.failure) return;
    while (this.queues.interactive.length > 0) {
      const slot = this.idleSlot("interactive") ?? this.idleSlot("bulk");
      if (!slot) break;
      this.send(slot, "interactive");
    }
    while (this.queues.bulk.length > 0) {
      const slot = this.idleSlot("bulk");
      if (!slot) break;
      this.send(slot, "bulk");
    }
  }

  private idleSlot(lane: Lane): Slot | undefined {
    return this.slots.find((slot) => slot.lane === lane && slot.state === "idle");
  }

  private send(slot: Slot, priority: Lane) {
    const queue = this.queues[priority];
    const first = queue.shift()!;
    const requests = [first];
    let count = first.texts.length;
    while (!first.solo && queue[0] && !queue[0].solo && count + queue[0].texts.length <= this.maxBatch) {
      const next = queue.shift()!;
      requests.push(next);
      count += next.texts.length;
    }
    const batch: Batch = { id: this.nextBatchId++, priority, requests, sentAt: performance.now() };
    slot.batch = batch;
    slot.state = "busy";
    // A busy worker keeps the process alive until it answers; an idle one does not.
    slot.worker.ref();
    const message: EmbedMessage = { type: "embed", id: batch.id, texts: requests.flatMap((r) => r.texts) };
    const timeoutMs = this.batchTimeout[`${priority}Ms`] + this.batchTimeout.perTextMs * message.texts.length;
    batch.deadline = setTimeout(() => this.onDeadline(slot, batch, timeoutMs), timeoutMs);
    // The busy worker already keeps the process alive; the deadline alone must not.
    batch.deadline.unref();
    slot.worker.postMessage(message);
  }

  private finish(slot: Slot, vectors: Float32Array) {
    const batch = this.takeBatch(slot);
    this.options.metrics?.embedBatches
      .labels(batch.priority)
      .observe((performance.now() - batch.sentAt) / 1000);
    const dimension = this.model.dimension;
    let offset = 0;
    for (const request of batch.requests) {
      // Copies, not views: a caller storing vector.buffer must get this vector's bytes only.
      const own = request.texts.map(() => vectors.slice(offset * dimension, ++offset * dimension));
      request.resolve(own);
    }
    this.pump();
  }

  private batchFailed(slot: Slot, message: string) {
    const batch = this.takeBatch(slot);
    if (batch.requests.length > 1) {
      // Only one request may hold the text the model choked on: retry each on its own.
      this.requeue(batch.requests.map((r) => ({ ...r, solo: true })));
    } else {
      batch.requests[0]!.reject(new Error(`${this.model.name} could not embed these texts: ${message}`));
    }
    this.pump();
  }

  private takeBatch(slot: Slot): Batch {
    const batch = slot.batch!;
    clearTimeout(batch.deadline);
    slot.batch = undefined;
    slot.state = "idle";
    slot.batches += 1;
    slot.worker.unref();
    return batch;
  }

  private requeue(requests: Request[]) {
    for (const lane of ["bulk", "interactive"] as const) {
      this.queues[lane].unshift(...requests.filter((r) => r.priority === lane));
    }
  }

  // ── workers ─────────────────────────────────────────────────────────────────────────────

  private startAll() {
    this.crashTimes = [];
    this.serving = false;
    this.lanes.forEach((lane, index) => {
      this.slots[index] = this.spawn(index, lane, false);
    });
  }

  private spawn(index: number, lane: Lane, replacement: boolean): Slot {
    const data: ModelWorkerData = {
      lane,
      nice: lane === "bulk" ? this.bulkNice : 0,
      subBatch: this.subBatch,
      dimension: this.options.model.dimension,
      ...(this.options.worker.settings === undefined ? {} : { settings: this.options.worker.settings }),
    };
    const slot: Slot = {
      index,
      lane,
      worker: startWorker(this.options.worker.baseUrl, this.options.worker.name, data),
      state: "starting",
      batch: undefined,
      spawnedAt: performance.now(),
      startMs: undefined,
      batches: 0,
      busyMs: 0,
      cpuMs: undefined,
      lastError: undefined,
      replacement,
    };
    slot.worker.on("message", (reply: WorkerReply) => this.onReply(slot, reply));
    slot.worker.on("error", (error) => {
      slot.lastError = error;
    });
    slot.worker.on("exit", (code) => this.onExit(slot, code));
    return slot;
  }

  private onReply(slot: Slot, reply: WorkerReply) {
    if (this.closed || slot.state === "gone") return;
    switch (reply.type) {
      case "ready":
        if (slot.state !== "starting") return;
        slot.state = "idle";
        slot.startMs = performance.now() - slot.spawnedAt;
        slot.worker.unref();
        this.options.onEvent?.({
          type: "worker-ready",
          lane: slot.lane,
          worker: slot.index,
          startMs: slot.startMs,
          modelMs: reply.modelMs,
        });
        this.workerUp();
        this.pump();
        return;
      case "failed": {
        const error = new Error(`the model did not load: ${reply.message}`);
        if (reply.stack) error.stack = reply.stack;
        this.startFailed(slot, error);
        return;
      }
      case "done":
        if (slot.batch?.id !== reply.id) return;
        slot.busyMs += reply.computeMs;
        if (reply.cpuMs !== undefined) slot.cpuMs = (slot.cpuMs ?? 0) + reply.cpuMs;
        this.finish(slot, reply.vectors);
        return;
      case "error":
        if (slot.batch?.id === reply.id) this.batchFailed(slot, reply.message);
        return;
    }
  }

  private onExit(slot: Slot, code: number) {
    if (this.closed || slot.state === "gone") return;
    if (slot.state === "starting") {
      const reason = slot.lastError?.message ?? `the worker exited with code ${code}`;
      this.startFailed(slot, new Error(`the model did not load: ${reason}`, { cause: slot.lastError }));
      return;
    }
    const error = slot.lastError ?? new Error(`the worker exited with code ${code}`);
    this.options.onEvent?.({
      type: "worker-crashed",
      lane: slot.lane,
      worker: slot.index,
      error,
      textsInFlight: textsIn(slot.batch),
    });
    this.lose(slot, error, "crashed");
  }

  private onDeadline(slot: Slot, batch: Batch, timeoutMs: number) {
    if (this.closed || slot.batch !== batch) return;
    const texts = textsIn(batch);
    this.options.onEvent?.({
      type: "worker-hung",
      lane: slot.lane,
      worker: slot.index,
      timeoutMs,
      textsInFlight: texts,
    });
    // Lost before it is terminated, so that its exit finds it gone and is not taken for a crash.
    this.lose(
      slot,
      new Error(`the worker did not answer a batch of ${texts} texts within ${timeoutMs} ms`),
      "hung",
    );
    // terminate() stops a thread even in a busy loop, but not one stuck in native code: such a
    // thread must not keep the process alive either. Its replacement does not wait for it.
    slot.worker.unref();
    void slot.worker.terminate();
  }

  /** A worker that crashed or hung after it was up: its batch is retried and it is replaced. */
  private lose(slot: Slot, error: Error, how: "crashed" | "hung") {
    const batch = slot.batch;
    clearTimeout(batch?.deadline);
    slot.batch = undefined;
    slot.state = "gone";
    this.crashCount += 1;
    if (batch) {
      const retry: Request[] = [];
      const gaveUp = `an embedding worker ${how} twice on these texts: ${error.message}`;
      for (const request of batch.requests) {
        request.crashes += 1;
        if (request.crashes < 2) retry.push({ ...request, solo: true });
        else request.reject(new VersoError("DEPENDENCY_UNAVAILABLE", gaveUp, { cause: error }));
      }
      this.requeue(retry);
    }
    const now = performance.now();
    this.crashTimes = [...this.crashTimes.filter((t) => now - t < crashWindowMs), now];
    if (this.crashTimes.length > 3 + 2 * this.slots.length) {
      this.fail(
        `is out of service: its workers keep crashing or hanging (${this.crashTimes.length} in a minute): ${error.message}`,
        error,
      );
      return;
    }
    this.slots[slot.index] = this.spawn(slot.index, slot.lane, true);
    // The replacement is loading; an idle worker elsewhere may take the retried work now.
    this.pump();
  }

  private workerUp() {
    const now = performance.now();
    if (this.failure) {
      this.options.onEvent?.({ type: "recovered", outageMs: now - this.failedAt });
      this.failure = undefined;
    }
    this.servingSince ??= now;
    if (this.serving || !this.slots.every((s) => s.state === "idle" || s.state === "busy")) return;
    this.serving = true;
    this.startupMs ??= now - this.startedAt;
    this.settleWaiters();
  }

  private startFailed(slot: Slot, error: Error) {
    slot.state = "gone";
    void slot.worker.terminate();
    const reason = slot.replacement ? "could not restart a worker" : "could not start";
    this.fail(`${reason}: ${error.message}`, error);
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
    for (const slot of this.slots) {
      slot.state = "gone";
      void slot.worker.terminate();
    }
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
    const requests = [...this.queues.interactive, ...this.queues.bulk];
    this.queues.interactive = [];
    this.queues.bulk = [];
    for (const slot of this.slots) {
      if (slot.batch) requests.push(...slot.batch.requests);
      clearTimeout(slot.batch?.deadline);
      slot.batch = undefined;
    }
    for (const request of requests) request.reject(error);
  }

  private closedError() {
    return new VersoError("DEPENDENCY_UNAVAILABLE", `the ${this.model.name} embedder is closed`);
  }
}
