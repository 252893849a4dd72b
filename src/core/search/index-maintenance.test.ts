import { describe, expect, it } from "vitest";
// The exact adapter is a real, dependency-free index: more faithful here than a hand-written fake.
// eslint-disable-next-line no-restricted-imports
import { createExactIndex } from "../../adapters/vectors/exact.js";
import { unknownAttributes } from "../catalog/song-filter.js";
import type { EmbeddingModel, VectorEntry, VectorIndex } from "../ports.js";
import { ensureIndexFresh, staleness, type PassageVectorSource } from "./index-maintenance.js";

const model: EmbeddingModel = { name: "use-lite-v1", dimension: 4 };

function unit(...values: number[]): Float32Array {
  const norm = Math.hypot(...values);
  return Float32Array.from(values, (value) => value / norm);
}

/** An in-memory catalog: passages per model, handed out in batches of a chosen size. */
function memorySource(passages: Record<string, VectorEntry[]>, batch = 2) {
  const reads: string[] = [];
  const source: PassageVectorSource = {
    async *streamPassageVectors(modelName) {
      reads.push(modelName);
      const all = passages[modelName] ?? [];
      for (let i = 0; i < all.length; i += batch) yield all.slice(i, i + batch);
    },
  };
  return { source, reads };
}

const catalog: VectorEntry[] = [
  { id: 1, vector: unit(1, 0, 0, 0), song: unknownAttributes("s1") },
  { id: 2, vector: unit(0, 1, 0, 0), song: unknownAttributes("s2") },
  { id: 3, vector: unit(0, 0, 1, 0), song: unknownAttributes("s3") },
  { id: 4, vector: unit(0, 0, 0, 1), song: unknownAttributes("s4") },
  { id: 5, vector: unit(1, 1, 0, 0), song: unknownAttributes("s5") },
];

async function stampedIndex(
  stampModel: EmbeddingModel,
  version: number,
  entries: VectorEntry[],
): Promise<VectorIndex> {
  const index = createExactIndex();
  await index.reset(stampModel);
  if (entries.length > 0) await index.upsert(entries);
  await index.commit(version);
  return index;
}

describe("ensureIndexFresh", () => {
  it("rebuilds a missing index from the source and stamps it", async () => {
    const index = createExactIndex();
    const { source, reads } = memorySource({ [model.name]: catalog });
    const progress: number[] = [];

    const report = await ensureIndexFresh({
      index,
      model,
      catalogVersion: 7,
      source,
      onProgress: (n) => progress.push(n),
    });

    expect(report).toMatchObject({ rebuilt: true, reason: "missing", previous: null, count: 5 });
    expect(report.ms).toBeGreaterThanOrEqual(0);
    expect(reads).toEqual([model.name]);
    expect(progress.at(-1)).toBe(5);
    expect(await index.stamp()).toEqual({ model: model.name, dimension: 4, catalogVersion: 7 });
    expect((await index.search(unit(0, 0, 1, 0), 1))[0]?.id).toBe(3);
  });

  it("rebuilds when the model changed, dropping the old model's vectors", async () => {
    const old: EmbeddingModel = { name: "old-model", dimension: 3 };
    const index = await stampedIndex(old, 7, [
      { id: 99, vector: unit(1, 0, 0), song: unknownAttributes("s99") },
    ]);
    const { source } = memorySource({
      [model.name]: catalog,
      [old.name]: [{ id: 99, vector: unit(1, 0, 0), song: unknownAttributes("s99") }],
    });

    const report = await ensureIndexFresh({ index, model, catalogVersion: 7, source });

    expect(report).toMatchObject({ rebuilt: true, reason: "model-changed", count: 5 });
    expect(report.previous).toEqual({ model: "old-model", dimension: 3, catalogVersion: 7 });
    expect(await index.stamp()).toEqual({ model: model.name, dimension: 4, catalogVersion: 7 });
    const ids = (await index.search(unit(1, 0, 0, 0), 10)).map((hit) => hit.id);
    expect(ids).not.toContain(99);
  });

  it("rebuilds when only the dimension differs under the same name", async () => {
    const index = await stampedIndex({ name: model.name, dimension: 3 }, 7, []);
    const { source } = memorySource({ [model.name]: catalog });
    const report = await ensureIndexFresh({ index, model, catalogVersion: 7, source });
    expect(report).toMatchObject({ rebuilt: true, reason: "model-changed" });
  });

  it("rebuilds when the catalog moved on, so removed passages go and new ones come", async () => {
    const index = await stampedIndex(model, 3, [
      ...catalog.slice(0, 3),
      { id: 42, vector: unit(1, 1, 1, 1), song: unknownAttributes("s42") },
    ]);
    const { source } = memorySource({ [model.name]: catalog });

    const report = await ensureIndexFresh({ index, model, catalogVersion: 4, source });

    expect(report).toMatchObject({ rebuilt: true, reason: "stale", count: 5 });
    expect(await index.stamp()).toEqual({ model: model.name, dimension: 4, catalogVersion: 4 });
    const ids = (await index.search(unit(1, 1, 1, 1), 10)).map((hit) => hit.id).sort();
    expect(ids).toEqual([1, 2, 3, 4, 5]);
  });

  it("leaves a fresh index alone, without reading the source", async () => {
    const index = await stampedIndex(model, 9, catalog);
    const { source, reads } = memorySource({ [model.name]: catalog });

    const report = await ensureIndexFresh({ index, model, catalogVersion: 9, source });

    expect(report).toMatchObject({ rebuilt: false, reason: "fresh", count: 5 });
    expect(reads).toEqual([]);
  });

  it("stamps an empty catalog, so the next start does not rebuild again", async () => {
    const index = createExactIndex();
    const { source } = memorySource({});
    expect(await ensureIndexFresh({ index, model, catalogVersion: 0, source })).toMatchObject({
      rebuilt: true,
      count: 0,
    });
    expect(await ensureIndexFresh({ index, model, catalogVersion: 0, source })).toMatchObject({
      rebuilt: false,
    });
  });

  it("evens out the source's batches to the batch size", async () => {
    const sizes: number[] = [];
    const index = createExactIndex();
    const counting: VectorIndex = {
      stamp: () => index.stamp(),
      reset: (m) => index.reset(m),
      upsert: async (entries) => {
        sizes.push(entries.length);
        await index.upsert(entries);
      },
      remove: (ids) => index.remove(ids),
      search: (vector, k) => index.search(vector, k),
      size: () => index.size(),
      commit: (version) => index.commit(version),
      close: () => index.close(),
    };
    const many = Array.from({ length: 23 }, (_, i) => ({
      id: i + 1,
      vector: unit(1, i, 0, 1),
      song: unknownAttributes(`s${i}`),
    }));
    const uneven: PassageVectorSource = {
      async *streamPassageVectors() {
        yield many.slice(0, 1);
        yield many.slice(1, 3);
        yield many.slice(3, 20);
        yield [];
        yield many.slice(20);
      },
    };
    const report = await ensureIndexFresh({
      index: counting,
      model,
      catalogVersion: 1,
      source: uneven,
      batchSize: 5,
    });
    expect(sizes).toEqual([5, 5, 5, 5, 3]);
    expect(report.count).toBe(23);
  });

  it("fails, leaving the index unstamped, when a stored vector has another dimension", async () => {
    const index = createExactIndex();
    const { source } = memorySource({
      [model.name]: [...catalog, { id: 6, vector: unit(1, 2, 3), song: unknownAttributes("s6") }],
    });
    await expect(ensureIndexFresh({ index, model, catalogVersion: 2, source })).rejects.toThrow(/passage 6/);
    expect(await index.stamp()).toBeNull();
  });
});

describe("staleness", () => {
  const stamp = { model: model.name, dimension: 4, catalogVersion: 5 };
  it("names why an index cannot serve", () => {
    expect(staleness(null, model, 5)).toBe("missing");
    expect(staleness({ ...stamp, model: "other" }, model, 5)).toBe("model-changed");
    expect(staleness({ ...stamp, dimension: 8 }, model, 5)).toBe("model-changed");
    expect(staleness(stamp, model, 6)).toBe("stale");
    expect(staleness(stamp, model, 5)).toBe("fresh");
  });
});
