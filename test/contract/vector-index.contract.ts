/**
 * The contract every VectorIndex adapter passes (src/core/ports.ts). Each adapter's test file
 * calls describeVectorIndexContract with a factory for fresh storage.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { randomUnitVector, seededRandom } from "../../bench/seeded-random.js";
import type { EmbeddingModel, VectorEntry, VectorHit, VectorIndex } from "../../src/core/ports.js";
import { cosine } from "../../src/core/vectors.js";

export interface VectorIndexStorage {
  /** Opens an index on this storage; after close() it may be called again to reopen it. */
  open(): Promise<VectorIndex>;
  /** Deletes whatever the storage created. */
  dispose(): Promise<void>;
}

export interface VectorIndexFactory {
  /** Whether an index reopened on the same storage keeps what was committed before close(). */
  persists: boolean;
  /**
   * Whether search is approximate (a graph index): after removals it may miss a live entry,
   * though it never returns a removed one. Exact indexes must return every live entry.
   */
  approximate: boolean;
  /** Fresh, empty storage for one test. */
  storage(): Promise<VectorIndexStorage>;
}

const DIM = 32;
const model: EmbeddingModel = { name: "contract-model-v1", dimension: DIM };
const otherModel: EmbeddingModel = { name: "contract-model-v2", dimension: 8 };

function bruteForce(entries: readonly VectorEntry[], query: Float32Array, k: number): VectorHit[] {
  return entries
    .map((entry) => ({ id: entry.id, score: cosine(entry.vector, query) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, k);
}

function makeEntries(count: number, random: () => number, firstId = 1, dimension = DIM): VectorEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    id: firstId + i,
    vector: randomUnitVector(dimension, random),
  }));
}

function expectWellFormed(hits: readonly VectorHit[]): void {
  for (const [i, hit] of hits.entries()) {
    expect(Number.isSafeInteger(hit.id)).toBe(true);
    expect(hit.score).toBeGreaterThanOrEqual(-1);
    expect(hit.score).toBeLessThanOrEqual(1);
    if (i > 0) expect(hit.score).toBeLessThanOrEqual(hits[i - 1]!.score);
  }
  expect(new Set(hits.map((hit) => hit.id)).size).toBe(hits.length);
}

export function describeVectorIndexContract(name: string, factory: VectorIndexFactory): void {
  describe(`VectorIndex contract: ${name}`, () => {
    let storage: VectorIndexStorage;
    let opened: VectorIndex[];

    const open = async () => {
      const index = await storage.open();
      opened.push(index);
      return index;
    };

    beforeEach(async () => {
      storage = await factory.storage();
      opened = [];
    });

    afterEach(async () => {
      for (const index of opened) await index.close();
      await storage.dispose();
    });

    it("starts with no stamp, no entries and finds nothing", async () => {
      const index = await open();
      expect(await index.stamp()).toBeNull();
      expect(await index.size()).toBe(0);
      expect(await index.search(randomUnitVector(DIM, seededRandom(1)), 5)).toEqual([]);
    });

    it("is empty and unstamped after reset", async () => {
      const index = await open();
      await index.reset(model);
      expect(await index.stamp()).toBeNull();
      expect(await index.size()).toBe(0);
      expect(await index.search(randomUnitVector(DIM, seededRandom(2)), 5)).toEqual([]);
    });

    it("refuses an upsert before it knows its model", async () => {
      const index = await open();
      await expect(index.upsert(makeEntries(1, seededRandom(3)))).rejects.toThrow();
    });

    it("returns the nearest entries first, scored by cosine similarity in [-1, 1]", async () => {
      const index = await open();
      await index.reset(model);
      const entries = makeEntries(60, seededRandom(4));
      await index.upsert(entries);
      expect(await index.size()).toBe(60);

      const target = entries[6]!;
      const hits = await index.search(target.vector, 5);
      expect(hits).toHaveLength(5);
      expectWellFormed(hits);
      expect(hits[0]!.id).toBe(target.id);
      expect(hits[0]!.score).toBeCloseTo(1, 3);

      const query = randomUnitVector(DIM, seededRandom(5));
      const expected = bruteForce(entries, query, 5);
      const found = await index.search(query, 5);
      expectWellFormed(found);
      expect(found.map((hit) => hit.id)).toEqual(expected.map((hit) => hit.id));
      for (const [i, hit] of found.entries()) expect(hit.score).toBeCloseTo(expected[i]!.score, 3);
    });

    it("scores by direction, not length", async () => {
      const index = await open();
      await index.reset(model);
      const random = seededRandom(6);
      const entries = makeEntries(10, random);
      await index.upsert(entries);
      const scaled = entries[3]!.vector.map((value) => value * 3.5);
      const [best] = await index.search(scaled, 1);
      expect(best?.id).toBe(entries[3]!.id);
      expect(best?.score).toBeCloseTo(1, 3);
    });

    it("returns every entry when k exceeds the size, and none for k = 0", async () => {
      const index = await open();
      await index.reset(model);
      await index.upsert(makeEntries(3, seededRandom(7)));
      const query = randomUnitVector(DIM, seededRandom(8));
      const hits = await index.search(query, 10);
      expect(hits.map((hit) => hit.id).sort()).toEqual([1, 2, 3]);
      expectWellFormed(hits);
      expect(await index.search(query, 0)).toEqual([]);
    });

    it("replaces an entry upserted again with the same id", async () => {
      const index = await open();
      await index.reset(model);
      const random = seededRandom(9);
      const [a, b, c] = [
        randomUnitVector(DIM, random),
        randomUnitVector(DIM, random),
        randomUnitVector(DIM, random),
      ];
      await index.upsert([
        { id: 1, vector: a },
        { id: 2, vector: b },
      ]);
      await index.upsert([{ id: 1, vector: c }]);
      expect(await index.size()).toBe(2);

      const [nearestToC] = await index.search(c, 1);
      expect(nearestToC).toMatchObject({ id: 1 });
      expect(nearestToC!.score).toBeCloseTo(1, 3);
      const asA = (await index.search(a, 2)).find((hit) => hit.id === 1);
      expect(asA?.score).toBeCloseTo(cosine(a, c), 3);
    });

    it("keeps the last of repeated ids in one batch", async () => {
      const index = await open();
      await index.reset(model);
      const random = seededRandom(10);
      const [first, last] = [randomUnitVector(DIM, random), randomUnitVector(DIM, random)];
      await index.upsert([
        { id: 5, vector: first },
        { id: 6, vector: randomUnitVector(DIM, random) },
        { id: 5, vector: last },
      ]);
      expect(await index.size()).toBe(2);
      const [hit] = await index.search(last, 1);
      expect(hit?.id).toBe(5);
      expect(hit?.score).toBeCloseTo(1, 3);
    });

    it("removes entries, ignores unknown ids, and takes a removed id back", async () => {
      const index = await open();
      await index.reset(model);
      const entries = makeEntries(20, seededRandom(11));
      await index.upsert(entries);
      await index.remove([2, 7, 999]);
      expect(await index.size()).toBe(18);
      const hits = await index.search(entries[1]!.vector, 20);
      const live = entries.map((entry) => entry.id).filter((id) => id !== 2 && id !== 7);
      expect(new Set(hits.map((hit) => hit.id)).size).toBe(hits.length);
      for (const hit of hits) expect(live).toContain(hit.id);
      if (factory.approximate) expect(hits.length).toBeGreaterThanOrEqual(16);
      else expect(hits).toHaveLength(18);

      await index.upsert([entries[1]!]);
      expect(await index.size()).toBe(19);
      expect((await index.search(entries[1]!.vector, 1))[0]?.id).toBe(2);

      await index.remove(entries.map((entry) => entry.id));
      expect(await index.size()).toBe(0);
      expect(await index.search(entries[0]!.vector, 5)).toEqual([]);
      await index.remove([]);
    });

    it("drops everything on reset, for another model too", async () => {
      const index = await open();
      await index.reset(model);
      await index.upsert(makeEntries(10, seededRandom(12)));
      await index.commit(4);

      await index.reset(otherModel);
      expect(await index.stamp()).toBeNull();
      expect(await index.size()).toBe(0);
      const small = makeEntries(4, seededRandom(13), 1, otherModel.dimension);
      await index.upsert(small);
      expect((await index.search(small[2]!.vector, 1))[0]?.id).toBe(3);
      await expect(index.upsert(makeEntries(1, seededRandom(14), 50))).rejects.toThrow();
      await index.commit(5);
      expect(await index.stamp()).toEqual({ model: otherModel.name, dimension: 8, catalogVersion: 5 });
    });

    it("stamps the model, its dimension and the catalog version on commit", async () => {
      const index = await open();
      await index.reset(model);
      await index.upsert(makeEntries(5, seededRandom(15)));
      await index.commit(12);
      expect(await index.stamp()).toEqual({ model: model.name, dimension: DIM, catalogVersion: 12 });
      await index.upsert(makeEntries(5, seededRandom(16), 100));
      await index.commit(13);
      expect(await index.stamp()).toEqual({ model: model.name, dimension: DIM, catalogVersion: 13 });
    });

    it("stamps an empty index, since an empty catalog is a valid state to reflect", async () => {
      const index = await open();
      await index.reset(model);
      await index.commit(0);
      expect(await index.stamp()).toEqual({ model: model.name, dimension: DIM, catalogVersion: 0 });
      expect(await index.size()).toBe(0);
    });

    it("rejects a bad batch whole, bad ids and queries of the wrong dimension", async () => {
      const index = await open();
      await index.reset(model);
      const random = seededRandom(17);
      await index.upsert(makeEntries(3, random));
      const good = { id: 10, vector: randomUnitVector(DIM, random) };
      await expect(index.upsert([good, { id: 11, vector: new Float32Array(DIM - 1) }])).rejects.toThrow();
      const nan = randomUnitVector(DIM, random);
      nan[4] = Number.NaN;
      await expect(index.upsert([{ id: 12, vector: nan }])).rejects.toThrow();
      await expect(index.upsert([{ id: -1, vector: good.vector }])).rejects.toThrow();
      await expect(index.upsert([{ id: 1.5, vector: good.vector }])).rejects.toThrow();
      await expect(index.remove([-3])).rejects.toThrow();
      expect(await index.size()).toBe(3);
      await expect(index.search(new Float32Array(DIM + 1), 3)).rejects.toThrow();
      await expect(index.search(good.vector, -1)).rejects.toThrow();
    });

    it("answers searches interleaved with upserts", async () => {
      const index = await open();
      await index.reset(model);
      const random = seededRandom(18);
      const batches = Array.from({ length: 10 }, (_, b) => makeEntries(40, random, 1 + b * 40));
      const query = randomUnitVector(DIM, random);
      const results = await Promise.all(
        batches.flatMap((batch) => [index.upsert(batch).then(() => null), index.search(query, 10)]),
      );
      for (const hits of results) {
        if (hits === null) continue;
        expectWellFormed(hits);
        for (const hit of hits) expect(hit.id).toBeLessThanOrEqual(400);
      }
      expect(await index.size()).toBe(400);
    });

    it("finds the true nearest neighbours of a moderate set", async () => {
      const index = await open();
      await index.reset({ name: "contract-model-64", dimension: 64 });
      const random = seededRandom(19);
      const entries = makeEntries(2000, random, 1, 64);
      for (let i = 0; i < entries.length; i += 500) await index.upsert(entries.slice(i, i + 500));
      let found = 0;
      const queries = 40;
      for (let q = 0; q < queries; q++) {
        const query = randomUnitVector(64, random);
        const truth = new Set(bruteForce(entries, query, 10).map((hit) => hit.id));
        const hits = await index.search(query, 10);
        expectWellFormed(hits);
        found += hits.filter((hit) => truth.has(hit.id)).length;
      }
      expect(found / (queries * 10)).toBeGreaterThanOrEqual(0.95);
    });

    it("can be closed twice", async () => {
      const index = await open();
      await index.close();
      await index.close();
    });

    if (factory.persists) {
      it("keeps the committed stamp and entries across close and reopen", async () => {
        const first = await open();
        await first.reset(model);
        const entries = makeEntries(150, seededRandom(20));
        await first.upsert(entries);
        await first.remove([150]);
        await first.commit(3);
        const query = randomUnitVector(DIM, seededRandom(21));
        const before = await first.search(query, 10);
        await first.close();

        const second = await open();
        expect(await second.stamp()).toEqual({ model: model.name, dimension: DIM, catalogVersion: 3 });
        expect(await second.size()).toBe(149);
        const after = await second.search(query, 10);
        expect(after.map((hit) => hit.id)).toEqual(before.map((hit) => hit.id));
        for (const [i, hit] of after.entries()) expect(hit.score).toBeCloseTo(before[i]!.score, 5);
        expect(after.map((hit) => hit.id)).not.toContain(150);

        // A reopened index goes on working: updates, and a new commit that survives another reopen.
        await second.upsert(makeEntries(5, seededRandom(22), 1000));
        await second.commit(4);
        await second.close();
        const third = await open();
        expect(await third.stamp()).toEqual({ model: model.name, dimension: DIM, catalogVersion: 4 });
        expect(await third.size()).toBe(154);
      });

      it("never claims, after reopening, a version whose data it does not hold", async () => {
        const first = await open();
        await first.reset(model);
        const committed = makeEntries(30, seededRandom(23));
        await first.upsert(committed);
        await first.commit(1);
        const uncommitted = makeEntries(10, seededRandom(24), 500);
        await first.upsert(uncommitted);
        await first.remove([1, 2, 3]);
        await first.close();

        const second = await open();
        const stamp = await second.stamp();
        if (stamp !== null) {
          expect(stamp).toEqual({ model: model.name, dimension: DIM, catalogVersion: 1 });
          expect(await second.size()).toBe(30);
          expect((await second.search(committed[0]!.vector, 1))[0]?.id).toBe(1);
          const [top] = await second.search(uncommitted[0]!.vector, 1);
          expect(top?.id).not.toBe(500);
        }
      });

      it("after a reset that was never committed, reopens unstamped or as it last was", async () => {
        const first = await open();
        await first.reset(model);
        await first.upsert(makeEntries(20, seededRandom(25)));
        await first.commit(7);
        await first.reset(otherModel);
        await first.upsert(makeEntries(5, seededRandom(26), 1, otherModel.dimension));
        await first.close();

        const second = await open();
        const stamp = await second.stamp();
        if (stamp !== null) {
          expect(stamp).toEqual({ model: model.name, dimension: DIM, catalogVersion: 7 });
          expect(await second.size()).toBe(20);
        }
      });
    } else {
      it("starts over when reopened, since it keeps nothing", async () => {
        const first = await open();
        await first.reset(model);
        await first.upsert(makeEntries(5, seededRandom(27)));
        await first.commit(1);
        await first.close();
        const second = await open();
        expect(await second.stamp()).toBeNull();
        expect(await second.size()).toBe(0);
      });
    }
  });
}
