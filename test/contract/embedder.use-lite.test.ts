import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUseLiteEmbedder } from "../../src/adapters/embedder/use-lite.js";
import type { PoolEmbedder } from "../../src/adapters/embedder/pool.js";
import { createMetrics } from "../../src/observability/metrics.js";
import { describeEmbedderContract } from "./embedder.contract.js";

// One bulk worker plus the interactive one: enough for every rule, light on a shared machine.
describeEmbedderContract("USE lite in worker threads", async () => {
  const embedder = createUseLiteEmbedder({ threads: 1 });
  await embedder.ready();
  return embedder;
});

describe("USE lite embedder", () => {
  const metrics = createMetrics({ defaultMetrics: false });
  let embedder: PoolEmbedder;
  beforeAll(async () => {
    embedder = createUseLiteEmbedder({ threads: 1, metrics });
    await embedder.ready();
  });
  afterAll(async () => embedder?.close());

  it("is use-lite-v1 with 512 dimensions, one bulk worker per thread", () => {
    expect(embedder.model).toEqual({ name: "use-lite-v1", dimension: 512 });
    expect(embedder.parallelism).toBe(1);
    expect(embedder.stats().workers.map((w) => w.lane)).toEqual(["interactive", "bulk"]);
  });

  it("answers a prompt while bulk work is queued, ahead of it", async () => {
    const passage = (i: number) => `line ${i} of a song about trains and rivers`;
    const bulk = Array.from({ length: 4 }, (_, b) =>
      embedder
        .embed(
          Array.from({ length: 32 }, (_, i) => passage(b * 32 + i)),
          { priority: "bulk" },
        )
        .then(() => performance.now()),
    );
    const prompt = embedder
      .embed(["songs about the ocean"], { priority: "interactive" })
      .then(() => performance.now());
    const [promptDone, ...bulkDone] = await Promise.all([prompt, ...bulk]);
    expect(promptDone).toBeLessThan(Math.min(...bulkDone));
  });

  it("records batch durations by priority", async () => {
    await embedder.embed(["one prompt"], { priority: "interactive" });
    await embedder.embed(["one passage"], { priority: "bulk" });
    const metric = await metrics.embedBatches.get();
    const count = (priority: string) =>
      metric.values.find((v) => v.metricName?.endsWith("_count") && v.labels.priority === priority)?.value ??
      0;
    expect(count("interactive")).toBeGreaterThan(0);
    expect(count("bulk")).toBeGreaterThan(0);
  });
});
