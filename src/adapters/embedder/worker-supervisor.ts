/**
 * The model workers of the embedder pool, each on its own thread: it starts them, hands them
 * batches from the lane scheduler, and holds each batch to a deadline. A worker that dies, or
 * that does not answer by its deadline and is terminated, is replaced; its batch is retried
 * once, each call on its own, so one poisonous text fails only its caller. When workers cannot
 * start, or crash or hang in a burst, it tells the pool, which puts itself out of service.
 */
import type { Worker } from "node:worker_threads";
import { VersoError } from "../../core/errors.js";
import type { EmbeddingModel } from "../../core/ports.js";
import type { Metrics } from "../../observability/metrics.js";
import { textsIn, type LaneCall, type LaneScheduler } from "./lane-scheduler.js";
import type { EmbedMessage, Lane, ModelWorkerData, WorkerReply } from "./protocol.js";
import { startThread } from "../thread-entry.js";

/** A call of the pool: it counts the workers lost on it, hung ones included. */
export interface PoolCall extends LaneCall {
  crashes: number;
}

/** The worker file: its name without extension, next to the module whose import.meta.url is baseUrl. */
export interface WorkerFile {
  baseUrl: string;
  name: string;
  settings?: unknown;
}

/** How long a batch may take: the base of its lane plus perTextMs for each of its texts. */
export interface BatchTimeout {
  interactiveMs: number;
  bulkMs: number;
  perTextMs: number;
}

export type WorkerEvent =
  /** startMs: from spawning the thread to a warmed-up model; modelMs: the model's part of it. */
  | { type: "worker-ready"; lane: Lane; worker: number; startMs: number; modelMs: number }
  | { type: "worker-crashed"; lane: Lane; worker: number; error: Error; textsInFlight: number }
  /** A batch passed its deadline of timeoutMs: the worker was terminated and is replaced. */
  | { type: "worker-hung"; lane: Lane; worker: number; timeoutMs: number; textsInFlight: number };

export type WorkerState = "starting" | "idle" | "busy" | "gone";

export interface WorkerStats {
  lane: Lane;
  state: WorkerState;
  /** From spawning the thread to a warmed-up model. */
  startMs: number | undefined;
  batches: number;
  /** Time spent embedding, and the CPU time the thread got for it (Linux only). */
  busyMs: number;
  cpuMs: number | undefined;
}

export interface WorkerSupervisorDeps {
  model: EmbeddingModel;
  worker: WorkerFile;
  /** The lane of each worker, in order. */
  lanes: readonly Lane[];
  /** Texts per model call inside a worker. */
  subBatch: number;
  /** Nice value of bulk worker threads on Linux. */
  bulkNice: number;
  batchTimeout: BatchTimeout;
  scheduler: LaneScheduler<PoolCall>;
  metrics?: Pick<Metrics, "embedBatches">;
  onEvent?: (event: WorkerEvent) => void;
  /** A worker has loaded its model and waits for work. */
  workerReady(): void;
  /** The workers cannot run: one could not start, or they keep crashing or hanging. */
  cannotRun(reason: string, error: Error): void;
}

interface Batch {
  id: number;
  priority: Lane;
  requests: PoolCall[];
  sentAt: number;
  deadline?: NodeJS.Timeout;
}

interface Slot extends WorkerStats {
  readonly index: number;
  readonly worker: Worker;
  batch: Batch | undefined;
  readonly spawnedAt: number;
  lastError: Error | undefined;
  /** Started to replace a crashed or hung worker, after the pool was up. */
  readonly replacement: boolean;
}

/**
 * A burst of crashes this large within a minute means the workers cannot run at all; a pool
 * that served this long since its last outage starts its recovery delays from the beginning.
 */
export const crashWindowMs = 60_000;

export class WorkerSupervisor {
  readonly #slots: Slot[] = [];
  #nextBatchId = 1;
  #crashTimes: number[] = [];
  #crashCount = 0;
  #closed = false;

  constructor(private readonly deps: WorkerSupervisorDeps) {}

  /** Workers lost after they were up, hung ones included. */
  get crashes(): number {
    return this.#crashCount;
  }

  /** Every worker has loaded its model. */
  allUp(): boolean {
    return this.#slots.every((slot) => slot.state === "idle" || slot.state === "busy");
  }

  workers(): WorkerStats[] {
    return this.#slots.map(({ lane, state, startMs, batches, busyMs, cpuMs }) => ({
      lane,
      state,
      startMs,
      batches,
      busyMs,
      cpuMs,
    }));
  }

  /** Starts every worker afresh: at first, and after the pool was out of service. */
  startAll(): void {
    this.#crashTimes = [];
    this.deps.lanes.forEach((lane, index) => {
      this.#slots[index] = this.#spawn(index, lane, false);
    });
  }

  /** Terminates every worker; what they held must be taken first (takeInFlight). */
  stopAll(): void {
    for (const slot of this.#slots) {
      slot.state = "gone";
      void slot.worker.terminate();
    }
  }

  /** The calls of every batch in flight, taken from their workers, for the caller to settle. */
  takeInFlight(): PoolCall[] {
    const calls: PoolCall[] = [];
    for (const slot of this.#slots) {
      if (slot.batch) calls.push(...slot.batch.requests);
      clearTimeout(slot.batch?.deadline);
      slot.batch = undefined;
    }
    return calls;
  }

  close(): Promise<void> {
    this.#closed = true;
    return Promise.all(this.#slots.map((slot) => slot.worker.terminate())).then(() => undefined);
  }

  /**
   * Gives waiting work to idle workers: prompts to the interactive worker, or to any idle one;
   * bulk work to bulk workers only (a prompt must never land behind a bulk batch).
   */
  dispatch(): void {
    if (this.#closed) return;
    this.deps.scheduler.dispatch(
      (lane) => this.#idleSlot(lane) ?? (lane === "interactive" ? this.#idleSlot("bulk") : undefined),
      (slot, requests, lane) => this.#send(slot, requests, lane),
    );
  }

  #idleSlot(lane: Lane): Slot | undefined {
    return this.#slots.find((slot) => slot.lane === lane && slot.state === "idle");
  }

  #send(slot: Slot, requests: PoolCall[], priority: Lane): void {
    const batch: Batch = { id: this.#nextBatchId++, priority, requests, sentAt: performance.now() };
    slot.batch = batch;
    slot.state = "busy";
    // A busy worker keeps the process alive until it answers; an idle one does not.
    slot.worker.ref();
    const message: EmbedMessage = { type: "embed", id: batch.id, texts: requests.flatMap((r) => r.texts) };
    const { batchTimeout } = this.deps;
    const timeoutMs = batchTimeout[`${priority}Ms`] + batchTimeout.perTextMs * message.texts.length;
    batch.deadline = setTimeout(() => this.#onDeadline(slot, batch, timeoutMs), timeoutMs);
    // The busy worker already keeps the process alive; the deadline alone must not.
    batch.deadline.unref();
    slot.worker.postMessage(message);
  }

  #finish(slot: Slot, vectors: Float32Array): void {
    const batch = this.#takeBatch(slot);
    this.deps.metrics?.embedBatches.labels(batch.priority).observe((performance.now() - batch.sentAt) / 1000);
    const dimension = this.deps.model.dimension;
    let offset = 0;
    for (const request of batch.requests) {
      // Copies, not views: a caller storing vector.buffer must get this vector's bytes only.
      const own = request.texts.map(() => vectors.slice(offset * dimension, ++offset * dimension));
      request.resolve(own);
    }
    this.dispatch();
  }

  #batchFailed(slot: Slot, message: string): void {
    const batch = this.#takeBatch(slot);
    if (batch.requests.length > 1) {
      // Only one request may hold the text the model choked on: retry each on its own.
      this.deps.scheduler.retryAlone(batch.requests);
    } else {
      batch.requests[0]!.reject(new Error(`${this.deps.model.name} could not embed these texts: ${message}`));
    }
    this.dispatch();
  }

  #takeBatch(slot: Slot): Batch {
    const batch = slot.batch!;
    clearTimeout(batch.deadline);
    slot.batch = undefined;
    slot.state = "idle";
    slot.batches += 1;
    slot.worker.unref();
    return batch;
  }

  #spawn(index: number, lane: Lane, replacement: boolean): Slot {
    const { worker, model, subBatch, bulkNice } = this.deps;
    const data: ModelWorkerData = {
      lane,
      nice: lane === "bulk" ? bulkNice : 0,
      subBatch,
      dimension: model.dimension,
      ...(worker.settings === undefined ? {} : { settings: worker.settings }),
    };
    const slot: Slot = {
      index,
      lane,
      worker: startThread(worker.baseUrl, worker.name, data),
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
    slot.worker.on("message", (reply: WorkerReply) => this.#onReply(slot, reply));
    slot.worker.on("error", (error) => {
      slot.lastError = error;
    });
    slot.worker.on("exit", (code) => this.#onExit(slot, code));
    return slot;
  }

  #onReply(slot: Slot, reply: WorkerReply): void {
    if (this.#closed || slot.state === "gone") return;
    switch (reply.type) {
      case "ready":
        if (slot.state !== "starting") return;
        slot.state = "idle";
        slot.startMs = performance.now() - slot.spawnedAt;
        slot.worker.unref();
        this.deps.onEvent?.({
          type: "worker-ready",
          lane: slot.lane,
          worker: slot.index,
          startMs: slot.startMs,
          modelMs: reply.modelMs,
        });
        this.deps.workerReady();
        this.dispatch();
        return;
      case "failed": {
        const error = new Error(`the model did not load: ${reply.message}`);
        if (reply.stack) error.stack = reply.stack;
        this.#startFailed(slot, error);
        return;
      }
      case "done":
        if (slot.batch?.id !== reply.id) return;
        slot.busyMs += reply.computeMs;
        if (reply.cpuMs !== undefined) slot.cpuMs = (slot.cpuMs ?? 0) + reply.cpuMs;
        this.#finish(slot, reply.vectors);
        return;
      case "error":
        if (slot.batch?.id === reply.id) this.#batchFailed(slot, reply.message);
        return;
    }
  }

  #onExit(slot: Slot, code: number): void {
    if (this.#closed || slot.state === "gone") return;
    if (slot.state === "starting") {
      const reason = slot.lastError?.message ?? `the worker exited with code ${code}`;
      this.#startFailed(slot, new Error(`the model did not load: ${reason}`, { cause: slot.lastError }));
      return;
    }
    const error = slot.lastError ?? new Error(`the worker exited with code ${code}`);
    this.deps.onEvent?.({
      type: "worker-crashed",
      lane: slot.lane,
      worker: slot.index,
      error,
      textsInFlight: textsIn(slot.batch?.requests),
    });
    this.#lose(slot, error, "crashed");
  }

  #onDeadline(slot: Slot, batch: Batch, timeoutMs: number): void {
    if (this.#closed || slot.batch !== batch) return;
    const texts = textsIn(batch.requests);
    this.deps.onEvent?.({
      type: "worker-hung",
      lane: slot.lane,
      worker: slot.index,
      timeoutMs,
      textsInFlight: texts,
    });
    // Lost before it is terminated, so that its exit finds it gone and is not taken for a crash.
    this.#lose(
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
  #lose(slot: Slot, error: Error, how: "crashed" | "hung"): void {
    const batch = slot.batch;
    clearTimeout(batch?.deadline);
    slot.batch = undefined;
    slot.state = "gone";
    this.#crashCount += 1;
    if (batch) {
      const retry: PoolCall[] = [];
      const gaveUp = `an embedding worker ${how} twice on these texts: ${error.message}`;
      for (const request of batch.requests) {
        request.crashes += 1;
        if (request.crashes < 2) retry.push(request);
        else request.reject(new VersoError("DEPENDENCY_UNAVAILABLE", gaveUp, { cause: error }));
      }
      this.deps.scheduler.retryAlone(retry);
    }
    const now = performance.now();
    this.#crashTimes = [...this.#crashTimes.filter((t) => now - t < crashWindowMs), now];
    if (this.#crashTimes.length > 3 + 2 * this.#slots.length) {
      this.deps.cannotRun(
        `is out of service: its workers keep crashing or hanging (${this.#crashTimes.length} in a minute): ${error.message}`,
        error,
      );
      return;
    }
    this.#slots[slot.index] = this.#spawn(slot.index, slot.lane, true);
    // The replacement is loading; an idle worker elsewhere may take the retried work now.
    this.dispatch();
  }

  #startFailed(slot: Slot, error: Error): void {
    slot.state = "gone";
    void slot.worker.terminate();
    const reason = slot.replacement ? "could not restart a worker" : "could not start";
    this.deps.cannotRun(`${reason}: ${error.message}`, error);
  }
}
