import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { createUsearchThreadIndex } from "../../src/adapters/vectors/usearch-thread.js";
import { ForegroundWork } from "../../src/core/foreground-work.js";
import type { EmbeddingModel, VectorEntry } from "../../src/core/ports.js";
import { randomUnitVector, seededRandom } from "../../bench/seeded-random.js";
import { contractSong, describeVectorIndexContract } from "./vector-index.contract.js";

async function tempDirectory(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), "verso-usearch-thread-"));
}

describeVectorIndexContract("usearch in a thread of its own (HNSW, persisted)", {
  persists: true,
  approximate: true,
  async storage() {
    const directory = await tempDirectory();
    return {
      open: () => createUsearchThreadIndex({ directory, warn: () => {} }),
      dispose: () => rm(directory, { recursive: true, force: true }),
    };
  },
});

describeVectorIndexContract("usearch in a thread of its own (HNSW, memory only)", {
  persists: false,
  approximate: true,
  async storage() {
    return { open: () => createUsearchThreadIndex({ directory: null }), dispose: async () => {} };
  },
});

const wide: EmbeddingModel = { name: "usearch-thread-test", dimension: 96 };

function entries(count: number, seed: number, firstId = 1): VectorEntry[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => ({
    id: firstId + i,
    vector: randomUnitVector(wide.dimension, random),
    song: contractSong(Math.floor((firstId + i) / 4)),
  }));
}

const turnsOfTheLoop = async (n: number) => {
  for (let i = 0; i < n; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

describe("usearch in a thread of its own", () => {
  it("never holds the event loop: inserts, removals, searches and saves run in the thread", async () => {
    const directory = await tempDirectory();
    // A budget of seconds: in the caller's thread, this upsert would hold the loop from start to end.
    const index = await createUsearchThreadIndex({ directory, upsertBudgetMs: 10_000, warn: () => {} });
    try {
      await index.reset(wide);
      const delay = monitorEventLoopDelay({ resolution: 5 });
      delay.enable();
      // The histogram counts from its timer's first tick: one tick before the work starts.
      await new Promise((resolve) => setTimeout(resolve, 30));
      const began = performance.now();
      const batch = entries(6000, 1);
      await index.upsert(batch);
      await index.search(batch[0]!.vector, 50, { filter: { language: "es" } });
      await index.remove(batch.slice(0, 1000).map((entry) => entry.id));
      await index.commit(1);
      await index.flush();
      const busyMs = performance.now() - began;
      delay.disable();
      expect(await index.size()).toBe(5000);
      expect((await readdir(directory)).some((name) => name.endsWith(".usearch"))).toBe(true);
      // The work took far longer than the bound, and the loop never waited that long for it.
      expect(busyMs).toBeGreaterThan(400);
      expect(delay.max / 1e6).toBeLessThan(200);
    } finally {
      await index.close();
      await rm(directory, { recursive: true, force: true });
    }
  });

  it("holds a long upsert while an answer is being made in the caller's thread, and goes on when it ends", async () => {
    // A day's budget and wait: only an answer being made can end the upsert's turn, and only its end resumes it.
    const foreground = new ForegroundWork(86_400_000);
    const index = await createUsearchThreadIndex({
      directory: null,
      upsertBudgetMs: 86_400_000,
      background: foreground,
    });
    try {
      await index.reset(wide);
      let endAnswer = () => {};
      const answering = foreground.during(() => new Promise<void>((resolve) => (endAnswer = resolve)));
      const running = index.upsert(entries(400, 2));
      await new Promise((resolve) => setTimeout(resolve, 200));
      const held = await index.size();
      await new Promise((resolve) => setTimeout(resolve, 200));
      // One slice went in before the upsert saw the answer; nothing more while it is made.
      expect(held).toBeLessThan(400);
      expect(await index.size()).toBe(held);
      endAnswer();
      await answering;
      await running;
      expect(await index.size()).toBe(400);
    } finally {
      await index.close();
    }
  });

  it("keeps an error's type and message across the thread, and refuses calls once closed", async () => {
    const index = await createUsearchThreadIndex({ directory: null });
    await index.reset(wide);
    await expect(index.search(new Float32Array(wide.dimension), -1)).rejects.toThrow(RangeError);
    await expect(index.commit(Number.NaN)).rejects.toThrow(/safe integer/);
    await index.close();
    await turnsOfTheLoop(3);
    await expect(index.size()).rejects.toThrow(/closed/);
  });
});
