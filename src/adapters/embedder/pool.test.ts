import { afterEach, describe, expect, it } from "vitest";
import {
  createWorkerPoolEmbedder,
  type PoolEmbedder,
  type PoolEvent,
  type WorkerPoolOptions,
} from "./pool.js";
import type { StubSettings } from "./stub.worker.js";
import { VersoError } from "../../core/errors.js";

const dimension = 8;
const open: PoolEmbedder[] = [];

function stubPool(settings: StubSettings = {}, options: Partial<WorkerPoolOptions> = {}) {
  const events: PoolEvent[] = [];
  const pool = createWorkerPoolEmbedder({
    model: { name: "stub-v1", dimension },
    worker: { baseUrl: import.meta.url, name: "stub.worker", settings },
    threads: 1,
    onEvent: (event) => events.push(event),
    ...options,
  });
  open.push(pool);
  return { pool, events };
}

/** A count shared with the stub workers, which spend it (see StubSettings). */
const sharedBudget = (n: number) => {
  const budget = new Int32Array(new SharedArrayBuffer(4));
  budget[0] = n;
  return budget;
};
const crashBudget = sharedBudget;

const nextEvent = (events: PoolEvent[], type: PoolEvent["type"], timeoutMs = 20_000) =>
  new Promise<PoolEvent>((resolve, reject) => {
    const seen = events.length;
    const started = Date.now();
    const poll = setInterval(() => {
      const event = events.slice(seen).find((e) => e.type === type);
      if (event) {
        clearInterval(poll);
        resolve(event);
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(poll);
        reject(new Error(`no ${type} event within ${timeoutMs} ms`));
      }
    }, 5);
  });

const errorOf = async (promise: Promise<unknown>): Promise<VersoError> => {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(VersoError);
    return error as VersoError;
  }
  throw new Error("expected a rejection");
};

afterEach(async () => {
  await Promise.all(open.splice(0).map((pool) => pool.close()));
});

describe("worker pool embedder", () => {
  it("returns normalized vectors, each with a buffer of its own, in order", async () => {
    const { pool } = stubPool();
    await pool.ready();
    const texts = ["bb", "a", "cccc", "a"];
    const vectors = await pool.embed(texts);
    expect(vectors).toHaveLength(4);
    for (const v of vectors) {
      expect(v.buffer.byteLength).toBe(dimension * 4);
      expect(Math.hypot(...v)).toBeCloseTo(1, 5);
    }
    expect(vectors[1]).toEqual(vectors[3]);
    expect(vectors[0]).toEqual((await pool.embed(["bb"]))[0]);
    expect(pool.stats().startupMs).toBeGreaterThan(0);
  });

  it("coalesces small queued requests into one batch", async () => {
    const { pool } = stubPool({ msPerText: 20 });
    await pool.ready();
    const calls = Array.from({ length: 10 }, (_, i) => pool.embed([`text ${i}`, `more ${i}`]));
    const results = await Promise.all(calls);
    const alone = await pool.embed(results.map((_, i) => `more ${i}`));
    results.forEach((r, i) => expect(r[1]).toEqual(alone[i]));
    // The first call goes out alone; the nine queued behind it travel together; then `alone`.
    expect(pool.stats().workers.find((w) => w.lane === "bulk")?.batches).toBe(3);
  });

  it("answers a prompt on the interactive worker while bulk work is queued", async () => {
    const { pool } = stubPool({ msPerText: 20 });
    await pool.ready();
    const bulk = Array.from({ length: 5 }, (_, i) =>
      pool.embed(
        Array.from({ length: 10 }, (_, k) => `passage ${i}.${k}`),
        { priority: "bulk" },
      ),
    );
    const t0 = performance.now();
    await pool.embed(["a prompt"], { priority: "interactive" });
    expect(performance.now() - t0).toBeLessThan(500);
    expect(pool.stats().queued.bulk).toBeGreaterThan(0);
    await Promise.all(bulk);
  });

  it("without an interactive worker, puts prompts ahead of queued bulk work", async () => {
    const { pool } = stubPool({ msPerText: 20 }, { interactiveWorker: false, maxBatch: 10 });
    await pool.ready();
    const done: string[] = [];
    const bulk = Array.from({ length: 4 }, (_, i) =>
      pool
        .embed(Array.from({ length: 10 }, (_, k) => `passage ${i}.${k}`))
        .then(() => done.push(`bulk ${i}`)),
    );
    const prompt = pool.embed(["a prompt"], { priority: "interactive" }).then(() => done.push("prompt"));
    await Promise.all([...bulk, prompt]);
    expect(done).toEqual(["bulk 0", "prompt", "bulk 1", "bulk 2", "bulk 3"]);
  });

  it("replaces a crashed worker and retries its batch once", async () => {
    const { pool, events } = stubPool({ crashes: crashBudget(1) });
    await pool.ready();
    const vectors = await pool.embed(["before", "crash", "after"]);
    expect(vectors).toHaveLength(3);
    expect(pool.stats().crashes).toBe(1);
    expect(events.some((e) => e.type === "worker-crashed" && e.textsInFlight === 3)).toBe(true);
    expect(await pool.embed(["still working"])).toHaveLength(1);
  });

  it("fails only the request whose text crashes the worker every time", async () => {
    const { pool } = stubPool({ crashes: crashBudget(100) }, { interactiveWorker: false });
    await pool.ready();
    const first = pool.embed(["occupy the worker"]);
    const poison = pool.embed(["crash"]);
    const innocent = pool.embed(["innocent"]);
    await first;
    await expect(poison).rejects.toThrow(/crashed twice/);
    expect(await innocent).toHaveLength(1);
    expect(pool.stats().crashes).toBe(2);
  });

  it("fails only the request whose text the model rejects", async () => {
    const { pool } = stubPool({}, { interactiveWorker: false });
    await pool.ready();
    const first = pool.embed(["occupy the worker"]);
    const bad = pool.embed(["fail"]);
    const good = pool.embed(["good"]);
    await first;
    await expect(bad).rejects.toThrow(/could not embed.*refuses/);
    expect(await good).toHaveLength(1);
  });

  it("reports a model that cannot load, from ready() and from embed()", async () => {
    const { pool, events } = stubPool({ failLoad: "weights are missing" });
    await expect(pool.ready()).rejects.toThrow(/stub-v1 embedder could not start: .*weights are missing/);
    await expect(pool.embed(["anything"])).rejects.toThrow(/could not start/);
    expect(events.some((e) => e.type === "failed")).toBe(true);
  });

  it("refuses network access inside the workers", async () => {
    const { pool } = stubPool({ fetchAtLoad: "https://tfhub.dev/some/model.json" });
    await expect(pool.ready()).rejects.toThrow(/works offline; refused to fetch https:\/\/tfhub.dev/);
  });

  it("rejects queued and in-flight work on close", async () => {
    const { pool } = stubPool({ msPerText: 50 });
    await pool.ready();
    const calls = [
      pool.embed(["one", "two"]),
      pool.embed(["three"]),
      pool.embed(["four"], { priority: "interactive" }),
    ];
    const outcomes = calls.map((call) => expect(call).rejects.toThrow(/closed/));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await pool.close();
    await Promise.all(outcomes);
  });

  it("settles ready() when closed during start-up", async () => {
    const { pool } = stubPool({ loadDelayMs: 5000 });
    const ready = expect(pool.ready()).rejects.toThrow(/closed/);
    const waiting = expect(pool.embed(["queued before any worker is up"])).rejects.toThrow(/closed/);
    await pool.close();
    await Promise.all([ready, waiting]);
  });

  it("rejects texts that are not strings and unknown priorities", async () => {
    const { pool } = stubPool();
    await expect(pool.embed([42 as unknown as string])).rejects.toThrow(/not a string/);
    await expect(pool.embed(["x"], { priority: "urgent" as "bulk" })).rejects.toThrow(/priority/);
  });
});

describe("worker pool embedder out of service", () => {
  it("after a burst of crashes fails fast, then starts its workers again and serves", async () => {
    // One worker: the sixth crash within a minute puts the pool out of service. The budget
    // runs out with it, so the restarted worker embeds "crash" like any text.
    const { pool, events } = stubPool(
      { crashes: crashBudget(6) },
      { interactiveWorker: false, recovery: { initialDelayMs: 300, maxDelayMs: 5000 } },
    );
    await pool.ready();
    for (let i = 0; i < 3; i++) await expect(pool.embed(["crash"])).rejects.toThrow(/crashed twice/);
    expect(pool.stats().state).toBe("out-of-service");
    expect(events.find((e) => e.type === "failed")).toMatchObject({ retryInMs: 300 });

    const t0 = performance.now();
    const refused = await errorOf(pool.embed(["while it is down"]));
    expect(performance.now() - t0).toBeLessThan(100);
    expect(refused.code).toBe("DEPENDENCY_UNAVAILABLE");
    expect(refused.message).toMatch(/keep crashing/);
    expect(refused.retryAfterSeconds).toBe(1);
    await expect(pool.ready()).rejects.toThrow(/keep crashing/);

    await nextEvent(events, "recovered");
    await pool.ready();
    expect(pool.stats()).toMatchObject({ state: "serving", failure: undefined, outages: 1 });
    expect(await pool.embed(["crash", "and more"])).toHaveLength(2);
  });

  it("keeps trying to start workers that cannot load, waiting longer each time", async () => {
    const { pool, events } = stubPool(
      { failLoads: sharedBudget(3) },
      { interactiveWorker: false, recovery: { initialDelayMs: 50, maxDelayMs: 150 } },
    );
    await expect(pool.ready()).rejects.toThrow(/could not start: .*a load that fails/);
    const refused = await errorOf(pool.embed(["too early"]));
    expect(refused.code).toBe("DEPENDENCY_UNAVAILABLE");
    await nextEvent(events, "recovered");
    await pool.ready();
    const delays = events.flatMap((e) => (e.type === "failed" ? [e.retryInMs] : []));
    // Doubling, capped by maxDelayMs.
    expect(delays).toEqual([50, 100, 150]);
    expect(await pool.embed(["at last"])).toHaveLength(1);
    expect(pool.stats().outages).toBe(3);
  });

  it("answers ready() for the moment it is asked", async () => {
    const { pool, events } = stubPool(
      { failLoads: sharedBudget(1) },
      { interactiveWorker: false, recovery: { initialDelayMs: 50 } },
    );
    await expect(pool.ready()).rejects.toThrow(/could not start/);
    await nextEvent(events, "recovered");
    await expect(pool.ready()).resolves.toBeUndefined();
  });

  it("stops trying once closed", async () => {
    const { pool, events } = stubPool(
      { failLoad: "weights are missing" },
      { interactiveWorker: false, recovery: { initialDelayMs: 50 } },
    );
    await expect(pool.ready()).rejects.toThrow(/could not start/);
    await pool.close();
    const failures = events.filter((e) => e.type === "failed").length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(events.filter((e) => e.type === "failed").length).toBe(failures);
    expect(pool.stats().state).toBe("closed");
    await expect(pool.ready()).rejects.toThrow(/closed/);
  });
});

describe("worker pool embedder with a worker that hangs", () => {
  // Far beyond the stub's answer of a millisecond or so, even on a loaded machine; a batch
  // wrongly held to be hung is retried anyway, so only the hanging text must fail.
  const shortDeadline = { batchTimeout: { interactiveMs: 1000, bulkMs: 1000, perTextMs: 0 } };

  it("times out a hung batch, replaces the worker and fails only the request that hangs", async () => {
    const { pool, events } = stubPool(
      { hangs: sharedBudget(100) },
      { interactiveWorker: false, ...shortDeadline },
    );
    await pool.ready();
    const first = pool.embed(["occupy the worker"]);
    const hanging = pool.embed(["hang"]);
    const innocent = pool.embed(["innocent", "bystander"]);
    await first;

    const error = await errorOf(hanging);
    expect(error.code).toBe("DEPENDENCY_UNAVAILABLE");
    expect(error.message).toMatch(/hung twice on these texts: .*within 1000 ms/);
    const vectors = await innocent;
    expect(vectors).toEqual(await pool.embed(["innocent", "bystander"]));

    const hung = events.filter((e) => e.type === "worker-hung");
    expect(hung).toContainEqual(expect.objectContaining({ lane: "bulk", textsInFlight: 3, timeoutMs: 1000 }));
    expect(hung).toContainEqual(expect.objectContaining({ textsInFlight: 1 }));
    expect(events.some((e) => e.type === "worker-crashed")).toBe(false);
    expect(pool.stats()).toMatchObject({ state: "serving", crashes: hung.length });
    expect(await pool.embed(["served afterwards"])).toHaveLength(1);
  });

  it("holds a prompt to the interactive deadline and answers it after its worker hung once", async () => {
    const { pool, events } = stubPool(
      { hangs: sharedBudget(1) },
      // Were the bulk deadline applied, the prompt would wait past the test's timeout.
      { batchTimeout: { interactiveMs: 500, bulkMs: 600_000, perTextMs: 250 } },
    );
    await pool.ready();
    const vectors = await pool.embed(["hang", "a prompt"], { priority: "interactive" });
    expect(vectors).toHaveLength(2);
    expect(events.find((e) => e.type === "worker-hung")).toMatchObject({
      lane: "interactive",
      timeoutMs: 1000,
      textsInFlight: 2,
    });
    expect(await pool.embed(["another prompt"], { priority: "interactive" })).toHaveLength(1);
  });

  it("gives a slow batch time in proportion to its texts", async () => {
    // 10 texts × 50 ms: five times the base deadline, a twentieth of the one they get.
    const { pool, events } = stubPool(
      { msPerText: 50 },
      { batchTimeout: { interactiveMs: 100, bulkMs: 100, perTextMs: 1000 } },
    );
    await pool.ready();
    const texts = Array.from({ length: 10 }, (_, i) => `slow ${i}`);
    expect(await pool.embed(texts)).toHaveLength(10);
    expect(events.some((e) => e.type === "worker-hung")).toBe(false);
    expect(pool.stats().crashes).toBe(0);
  });

  it("stops a hung worker on close and times nothing out after", async () => {
    const { pool, events } = stubPool(
      { hangs: sharedBudget(100) },
      { batchTimeout: { interactiveMs: 300, bulkMs: 300, perTextMs: 0 } },
    );
    await pool.ready();
    const hanging = expect(pool.embed(["hang"])).rejects.toThrow(/closed/);
    await pool.close();
    await hanging;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(events.some((e) => e.type === "worker-hung")).toBe(false);
  });

  it("refuses deadlines that are not positive", () => {
    expect(() => stubPool({}, { batchTimeout: { bulkMs: 0 } })).toThrow(RangeError);
    expect(() => stubPool({}, { batchTimeout: { perTextMs: -1 } })).toThrow(RangeError);
  });
});
