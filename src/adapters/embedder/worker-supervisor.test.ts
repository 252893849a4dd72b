import { afterEach, describe, expect, it } from "vitest";
import { LaneScheduler } from "./lane-scheduler.js";
import type { Lane } from "./protocol.js";
import type { StubSettings } from "./stub.worker.js";
import { WorkerSupervisor, type BatchTimeout, type PoolCall, type WorkerEvent } from "./worker-supervisor.js";

const dimension = 8;
const running: WorkerSupervisor[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((supervisor) => supervisor.close()));
});

/** A shared count the stub workers spend (see StubSettings). */
const budget = (n: number) => {
  const shared = new Int32Array(new SharedArrayBuffer(4));
  shared[0] = n;
  return shared;
};

const waitFor = async (condition: () => boolean, what: string, timeoutMs = 20_000) => {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`not ${what} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

function supervise(
  settings: StubSettings = {},
  options: { lanes?: Lane[]; batchTimeout?: Partial<BatchTimeout> } = {},
) {
  const scheduler = new LaneScheduler<PoolCall>(64);
  const events: WorkerEvent[] = [];
  const cannotRun: string[] = [];
  let ready = 0;
  const supervisor = new WorkerSupervisor({
    model: { name: "stub-v1", dimension },
    worker: { baseUrl: import.meta.url, name: "stub.worker", settings },
    lanes: options.lanes ?? ["bulk"],
    subBatch: 16,
    bulkNice: 0,
    batchTimeout: { interactiveMs: 5000, bulkMs: 5000, perTextMs: 0, ...options.batchTimeout },
    scheduler,
    onEvent: (event) => events.push(event),
    workerReady: () => (ready += 1),
    cannotRun: (reason) => cannotRun.push(reason),
  });
  running.push(supervisor);
  supervisor.startAll();
  const queue = (texts: string[], priority: Lane = "bulk") =>
    scheduler.submit(texts, priority, { crashes: 0 });
  const embed = (texts: string[], priority: Lane = "bulk") => {
    const vectors = queue(texts, priority);
    supervisor.dispatch();
    return vectors;
  };
  return { supervisor, scheduler, events, cannotRun, queue, embed, ready: () => ready };
}

describe("worker supervisor", () => {
  it("starts a worker per lane, tells when each is ready, and hands it work", async () => {
    const { supervisor, embed, ready } = supervise({}, { lanes: ["interactive", "bulk"] });
    await waitFor(() => supervisor.allUp(), "up");
    expect(ready()).toBe(2);
    const vectors = await embed(["a prompt", "another"], "interactive");
    expect(vectors).toHaveLength(2);
    for (const vector of vectors) expect(vector).toHaveLength(dimension);
    expect(supervisor.workers()).toMatchObject([
      { lane: "interactive", state: "idle", batches: 1 },
      { lane: "bulk", state: "idle", batches: 0 },
    ]);
  });

  it("gives a prompt to any idle worker, and bulk work to bulk workers only", async () => {
    const { supervisor, embed } = supervise({ msPerText: 50 }, { lanes: ["interactive", "bulk"] });
    await waitFor(() => supervisor.allUp(), "up");
    // The first prompt takes the interactive worker, the second the idle bulk worker; the
    // passage then waits for the bulk worker even if the interactive one is free first.
    const calls = [
      embed(["prompt 1"], "interactive"),
      embed(["prompt 2"], "interactive"),
      embed(["passage"]),
    ];
    expect(supervisor.workers().map((worker) => worker.state)).toEqual(["busy", "busy"]);
    await Promise.all(calls);
    expect(supervisor.workers()).toMatchObject([
      { lane: "interactive", batches: 1 },
      { lane: "bulk", batches: 2 },
    ]);
  });

  it("replaces a worker that crashed and retries its batch, each call alone", async () => {
    const { supervisor, events, queue } = supervise({ crashes: budget(1) });
    await waitFor(() => supervisor.allUp(), "up");
    // Queued together, the two calls travel in one batch.
    const [first, second] = [queue(["crash"]), queue(["innocent"])];
    supervisor.dispatch();
    expect(await first).toHaveLength(1);
    expect(await second).toHaveLength(1);
    expect(supervisor.crashes).toBe(1);
    expect(events).toContainEqual(expect.objectContaining({ type: "worker-crashed", textsInFlight: 2 }));
    expect(events.filter((event) => event.type === "worker-ready")).toHaveLength(2);
  });

  it("fails a call whose text kills the worker twice, and only that one", async () => {
    const { supervisor, queue } = supervise({ crashes: budget(100) });
    await waitFor(() => supervisor.allUp(), "up");
    const [poison, innocent] = [queue(["crash"]), queue(["innocent"])];
    supervisor.dispatch();
    await expect(poison).rejects.toMatchObject({ code: "DEPENDENCY_UNAVAILABLE" });
    await expect(poison).rejects.toThrow(/crashed twice/);
    expect(await innocent).toHaveLength(1);
  });

  it("terminates a worker that misses its deadline, replaces it and retries the batch", async () => {
    const { supervisor, events, embed } = supervise(
      { hangs: budget(1) },
      { batchTimeout: { bulkMs: 500, perTextMs: 100 } },
    );
    await waitFor(() => supervisor.allUp(), "up");
    expect(await embed(["hang", "after"])).toHaveLength(2);
    expect(events.find((event) => event.type === "worker-hung")).toMatchObject({
      lane: "bulk",
      timeoutMs: 700,
      textsInFlight: 2,
    });
    expect(events.some((event) => event.type === "worker-crashed")).toBe(false);
    expect(supervisor.crashes).toBe(1);
  });

  it("tells the pool when a worker cannot load its model", async () => {
    const { supervisor, cannotRun } = supervise({ failLoad: "weights are missing" });
    await waitFor(() => cannotRun.length > 0, "refused");
    expect(cannotRun[0]).toMatch(/^could not start: the model did not load: weights are missing/);
    expect(supervisor.allUp()).toBe(false);
  });

  it("tells the pool when workers keep crashing, and stops replacing them", async () => {
    // One worker: its sixth crash within a minute is a burst (more than 3 + 2 per worker).
    const { supervisor, cannotRun, embed } = supervise({ crashes: budget(6) });
    await waitFor(() => supervisor.allUp(), "up");
    for (let call = 1; call <= 3; call++) {
      await expect(embed(["crash"])).rejects.toThrow(/crashed twice/);
      expect(cannotRun).toHaveLength(call === 3 ? 1 : 0);
    }
    expect(cannotRun[0]).toMatch(/keep crashing or hanging \(6 in a minute\)/);
    expect(supervisor.crashes).toBe(6);
    expect(supervisor.workers()).toMatchObject([{ state: "gone" }]);
  });

  it("gives up what is in flight when asked, and stops every worker", async () => {
    const { supervisor, scheduler, embed } = supervise({ msPerText: 2000 });
    await waitFor(() => supervisor.allUp(), "up");
    void embed(["slow"]).catch(() => undefined);
    void embed(["queued behind it"]).catch(() => undefined);
    const inFlight = supervisor.takeInFlight();
    expect(inFlight.map((call) => call.texts)).toEqual([["slow"]]);
    expect(scheduler.queued().bulk).toBe(1);
    supervisor.stopAll();
    expect(supervisor.workers()).toMatchObject([{ state: "gone" }]);
    expect(supervisor.allUp()).toBe(false);
  });
});
