/**
 * The contract every VectorIndex adapter passes (src/core/ports.ts). Each adapter's test file
 * calls describeVectorIndexContract with a factory for fresh storage.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { randomUnitVector, seededRandom } from "../../bench/seeded-random.js";
import {
  filterableFeatures,
  matchesSongFilter,
  type SongAttributes,
  type SongFilter,
} from "../../src/core/catalog/song-filter.js";
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
  /** Per-test timeout for adapters that talk to a server (default: the runner's). */
  timeoutMs?: number;
}

const DIM = 32;
const model: EmbeddingModel = { name: "contract-model-v1", dimension: DIM };
const otherModel: EmbeddingModel = { name: "contract-model-v2", dimension: 8 };

function bruteForce(
  entries: readonly VectorEntry[],
  query: Float32Array,
  k: number,
  filter?: SongFilter,
): VectorHit[] {
  return entries
    .filter((entry) => matchesSongFilter(entry.song, filter))
    .map((entry) => ({ id: entry.id, songId: entry.song.songId, score: cosine(entry.vector, query) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, k);
}

const languages = ["en", "es", "fr", null] as const;
const genres = ["pop", "rock", "latin", "rap", null] as const;

/**
 * Songs with every kind of attribute, unknown ones included: song n has a deterministic
 * language, genre, year and features, a few of them null.
 */
export function contractSong(n: number): SongAttributes {
  return songFeatures[n % songFeatures.length]!(n);
}

/** One random stream for every song: nearby seeds of one generator start out alike. */
const songFeatures = (() => {
  const random = seededRandom(10_000);
  return Array.from({ length: 997 }, () => {
    const values = filterableFeatures.map(
      (feature) => Math.round((feature === "tempo" ? 60 + random() * 140 : random()) * 1000) / 1000,
    );
    return (n: number): SongAttributes => {
      const song = {
        songId: `song-${n}`,
        language: languages[n % languages.length]!,
        genre: genres[n % genres.length]!,
        year: n % 7 === 3 ? null : 1960 + ((n * 13) % 65),
      } as SongAttributes;
      filterableFeatures.forEach((feature, i) => {
        song[feature] = n % 11 === 5 && feature === "energy" ? null : values[i]!;
      });
      return song;
    };
  });
})();

/** `count` passages, spread over songs of `perSong` passages each, starting at song `firstSong`. */
function makeEntries(
  count: number,
  random: () => number,
  firstId = 1,
  dimension = DIM,
  songOf: (i: number) => SongAttributes = (i) => contractSong(Math.floor(i / 5)),
): VectorEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    id: firstId + i,
    vector: randomUnitVector(dimension, random),
    song: songOf(i),
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

/** For approximate indexes: the share of the exact filtered answer found. */
function overlap(found: readonly VectorHit[], expected: readonly VectorHit[]): number {
  if (expected.length === 0) return 1;
  const ids = new Set(expected.map((hit) => hit.id));
  return found.filter((hit) => ids.has(hit.id)).length / expected.length;
}

export function describeVectorIndexContract(name: string, factory: VectorIndexFactory): void {
  describe(`VectorIndex contract: ${name}`, { timeout: factory.timeoutMs }, () => {
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
      expect(found.map((hit) => hit.songId)).toEqual(expected.map((hit) => hit.songId));
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
        { id: 1, vector: a, song: contractSong(1) },
        { id: 2, vector: b, song: contractSong(2) },
      ]);
      await index.upsert([{ id: 1, vector: c, song: contractSong(1) }]);
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
        { id: 5, vector: first, song: contractSong(1) },
        { id: 6, vector: randomUnitVector(DIM, random), song: contractSong(2) },
        { id: 5, vector: last, song: contractSong(3) },
      ]);
      expect(await index.size()).toBe(2);
      const [hit] = await index.search(last, 1);
      expect(hit?.id).toBe(5);
      expect(hit?.songId).toBe("song-3");
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
      // A graph with nodes removed can leave a live one no path reaches: 15 of 18 were seen.
      if (factory.approximate) expect(hits.length).toBeGreaterThanOrEqual(14);
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
      const song = contractSong(1);
      const good = { id: 10, vector: randomUnitVector(DIM, random), song };
      await expect(
        index.upsert([good, { id: 11, vector: new Float32Array(DIM - 1), song }]),
      ).rejects.toThrow();
      const nan = randomUnitVector(DIM, random);
      nan[4] = Number.NaN;
      await expect(index.upsert([{ id: 12, vector: nan, song }])).rejects.toThrow();
      await expect(index.upsert([{ id: -1, vector: good.vector, song }])).rejects.toThrow();
      await expect(index.upsert([{ id: 1.5, vector: good.vector, song }])).rejects.toThrow();
      await expect(index.upsert([good, { ...good, id: 13, song: { ...song, songId: "" } }])).rejects.toThrow(
        RangeError,
      );
      await expect(index.upsert([{ ...good, song: { ...song, year: Number.NaN } }])).rejects.toThrow(
        RangeError,
      );
      await expect(
        index.upsert([{ ...good, song: { ...song, genre: 7 as unknown as string } }]),
      ).rejects.toThrow(RangeError);
      await expect(index.remove([-3])).rejects.toThrow();
      expect(await index.size()).toBe(3);
      await expect(index.search(good.vector, 3, { filter: { year: { min: Number.NaN } } })).rejects.toThrow(
        RangeError,
      );
      await expect(
        index.search(good.vector, 3, { filter: { language: 3 as unknown as string } }),
      ).rejects.toThrow(RangeError);
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

    describe("filtered search", () => {
      const filters: [string, SongFilter][] = [
        ["language", { language: "es" }],
        ["language in another case", { language: "ES" }],
        ["genre", { genre: "rock" }],
        ["year range", { year: { min: 1980, max: 1999 } }],
        ["open-ended year", { year: { min: 2000 } }],
        ["feature range", { energy: { min: 0.2, max: 0.6 } }],
        ["tempo", { tempo: { max: 110 } }],
        ["language and genre", { language: "en", genre: "pop" }],
        [
          "language, year and two features",
          { language: "fr", year: { max: 2010 }, danceability: { min: 0.3 }, valence: { max: 0.8 } },
        ],
        ["an empty filter", {}],
      ];

      it("returns, for each filter alone and combined, the nearest passages of matching songs", async () => {
        const index = await open();
        await index.reset(model);
        const entries = makeEntries(600, seededRandom(40));
        await index.upsert(entries);
        const random = seededRandom(41);
        for (const [what, filter] of filters) {
          for (let q = 0; q < 3; q++) {
            const query = randomUnitVector(DIM, random);
            const expected = bruteForce(entries, query, 10, filter);
            expect(expected.length, what).toBe(10);
            const hits = await index.search(query, 10, { filter });
            expectWellFormed(hits);
            expect(hits, what).toHaveLength(10);
            const byId = new Map(entries.map((entry) => [entry.id, entry]));
            for (const hit of hits) {
              const entry = byId.get(hit.id)!;
              expect(matchesSongFilter(entry.song, filter), `${what}: ${hit.id}`).toBe(true);
              expect(hit.songId).toBe(entry.song.songId);
              expect(hit.score).toBeCloseTo(cosine(entry.vector, query), 3);
            }
            if (factory.approximate) expect(overlap(hits, expected), what).toBeGreaterThanOrEqual(0.8);
            else
              expect(
                hits.map((hit) => hit.id),
                what,
              ).toEqual(expected.map((hit) => hit.id));
          }
        }
      });

      it("fills k hits, all matching, from a filter that matches 1 % of the passages", async () => {
        const index = await open();
        await index.reset(model);
        // 2,000 passages; song 0 (genre "polka") has 20 of them, scattered through the index.
        const rare: SongAttributes = { ...contractSong(0), songId: "rare", genre: "polka" };
        const entries = makeEntries(2000, seededRandom(42), 1, DIM, (i) =>
          i % 100 === 7 ? rare : contractSong(1 + Math.floor(i / 5)),
        );
        for (let i = 0; i < entries.length; i += 500) await index.upsert(entries.slice(i, i + 500));
        const random = seededRandom(43);
        let found = 0;
        for (let q = 0; q < 10; q++) {
          const query = randomUnitVector(DIM, random);
          const expected = bruteForce(entries, query, 10, { genre: "polka" });
          const hits = await index.search(query, 10, { filter: { genre: "polka" } });
          expect(hits).toHaveLength(10);
          for (const hit of hits) expect(hit.songId).toBe("rare");
          found += overlap(hits, expected) * 10;
          if (!factory.approximate) expect(hits.map((hit) => hit.id)).toEqual(expected.map((hit) => hit.id));
        }
        expect(found / 100).toBeGreaterThanOrEqual(0.9);
        // More asked than exist: only matching passages, and every one of them from an exact
        // index. A graph searched for its whole size can still miss a node no path reaches, so an
        // approximate one is held to nine in ten (it misses one of the twenty now and then).
        const all = await index.search(randomUnitVector(DIM, random), 50, { filter: { genre: "polka" } });
        const matching = entries.filter((entry) => entry.song.genre === "polka").map((entry) => entry.id);
        const returned = all.map((hit) => hit.id).sort((a, b) => a - b);
        if (factory.approximate) {
          for (const id of returned) expect(matching).toContain(id);
          expect(new Set(returned).size).toBe(returned.length);
          expect(returned.length).toBeGreaterThanOrEqual(matching.length * 0.9);
        } else {
          expect(returned).toEqual(matching);
        }
      });

      it("treats an unknown (null) attribute as failing every condition on it", async () => {
        const index = await open();
        await index.reset(model);
        const known = contractSong(1);
        const unknown: SongAttributes = {
          ...known,
          songId: "unknown",
          language: null,
          genre: null,
          year: null,
        };
        for (const feature of filterableFeatures) unknown[feature] = null;
        const entries = makeEntries(40, seededRandom(44), 1, DIM, (i) => (i % 2 === 0 ? known : unknown));
        await index.upsert(entries);
        const query = randomUnitVector(DIM, seededRandom(45));
        const conditions: SongFilter[] = [
          { language: known.language! },
          { genre: known.genre! },
          { year: { min: 0 } },
          { year: {} },
          { energy: { min: 0, max: 1 } },
          { tempo: { min: 0 } },
        ];
        for (const filter of conditions) {
          const hits = await index.search(query, 40, { filter });
          expect(hits.length, JSON.stringify(filter)).toBeGreaterThanOrEqual(factory.approximate ? 18 : 20);
          for (const hit of hits) expect(hit.songId, JSON.stringify(filter)).toBe(known.songId);
        }
        const everything = await index.search(query, 40);
        expect(everything.some((hit) => hit.songId === "unknown")).toBe(true);
      });

      it("returns nothing when no song matches", async () => {
        const index = await open();
        await index.reset(model);
        await index.upsert(makeEntries(100, seededRandom(46)));
        const query = randomUnitVector(DIM, seededRandom(47));
        for (const filter of [
          { language: "xx" },
          { year: { min: 3000 } },
          { energy: { min: 0.8, max: 0.2 } },
          { language: "en", year: { min: 2030 } },
        ] satisfies SongFilter[]) {
          expect(await index.search(query, 10, { filter }), JSON.stringify(filter)).toEqual([]);
        }
        expect(await index.search(query, 0, { filter: { language: "en" } })).toEqual([]);
      });

      it("follows a passage upserted with another song, and a song upserted with new attributes", async () => {
        const index = await open();
        await index.reset(model);
        const rock: SongAttributes = { ...contractSong(1), songId: "rock-song", genre: "rock", year: 1975 };
        const jazz: SongAttributes = { ...contractSong(2), songId: "jazz-song", genre: "jazz", year: 1959 };
        const entries = makeEntries(30, seededRandom(48), 1, DIM, (i) => (i < 15 ? rock : jazz));
        await index.upsert(entries);
        const moved = entries[0]!;
        await index.upsert([{ ...moved, song: jazz }]);
        expect(await index.size()).toBe(30);

        const rockHits = await index.search(moved.vector, 30, { filter: { genre: "rock" } });
        expect(rockHits.map((hit) => hit.id)).not.toContain(moved.id);
        expect(rockHits.length).toBeGreaterThanOrEqual(factory.approximate ? 12 : 14);
        const [nearestJazz] = await index.search(moved.vector, 1, { filter: { genre: "jazz" } });
        expect(nearestJazz).toMatchObject({ id: moved.id, songId: "jazz-song" });

        // The rock song is re-released: every passage of it upserted with the new attributes.
        const remastered: SongAttributes = { ...rock, year: 2011 };
        await index.upsert(entries.slice(1, 15).map((entry) => ({ ...entry, song: remastered })));
        expect(
          await index.search(moved.vector, 30, { filter: { genre: "rock", year: { max: 2000 } } }),
        ).toEqual([]);
        const now = await index.search(moved.vector, 30, { filter: { year: { min: 2010 } } });
        expect(now.length).toBeGreaterThanOrEqual(factory.approximate ? 12 : 14);
        for (const hit of now) expect(hit.songId).toBe("rock-song");
      });

      it("never returns removed passages, and forgets their songs on removal and reset", async () => {
        const index = await open();
        await index.reset(model);
        const entries = makeEntries(200, seededRandom(49));
        await index.upsert(entries);
        const spanish = entries.filter((entry) => entry.song.language === "es");
        const removed = spanish.slice(0, 10).map((entry) => entry.id);
        await index.remove(removed);
        const query = spanish[0]!.vector;
        const hits = await index.search(query, 200, { filter: { language: "es" } });
        for (const hit of hits) expect(removed).not.toContain(hit.id);
        expect(hits.length).toBeGreaterThanOrEqual(
          factory.approximate ? spanish.length - 12 : spanish.length - 10,
        );
        expect(hits.length).toBeLessThanOrEqual(spanish.length - 10);

        await index.remove(spanish.map((entry) => entry.id));
        expect(await index.search(query, 10, { filter: { language: "es" } })).toEqual([]);

        await index.reset(model);
        expect(await index.search(query, 10, { filter: { language: "en" } })).toEqual([]);
        // The same ids after a reset belong to the songs they are upserted with now.
        await index.upsert(entries.slice(0, 20).map((entry) => ({ ...entry, song: contractSong(4) })));
        const after = await index.search(query, 20, { filter: { language: contractSong(4).language! } });
        expect(after.length).toBeGreaterThanOrEqual(factory.approximate ? 18 : 20);
        for (const hit of after) expect(hit.songId).toBe("song-4");
        expect(await index.search(query, 20, { filter: { language: "es" } })).toEqual([]);
      });
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
        const filter: SongFilter = { language: "en", year: { min: 1970 } };
        const filteredBefore = await first.search(query, 10, { filter });
        expect(filteredBefore.length).toBe(10);
        await first.close();

        const second = await open();
        expect(await second.stamp()).toEqual({ model: model.name, dimension: DIM, catalogVersion: 3 });
        expect(await second.size()).toBe(149);
        const after = await second.search(query, 10);
        expect(after.map((hit) => hit.id)).toEqual(before.map((hit) => hit.id));
        for (const [i, hit] of after.entries()) expect(hit.score).toBeCloseTo(before[i]!.score, 5);
        expect(after.map((hit) => hit.id)).not.toContain(150);

        const reopenedFiltered = await second.search(query, 10, { filter });
        expect(reopenedFiltered).toEqual(
          filteredBefore.map((hit) => ({ ...hit, score: expect.closeTo(hit.score, 5) as unknown as number })),
        );

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
