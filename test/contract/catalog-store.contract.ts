/**
 * The contract of the catalog's repository ports (CatalogStore + SongStore): what every SQL
 * dialect must do the same way.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SongRow } from "../../src/core/catalog/layout.js";
import { emptyFeatures } from "../../src/core/catalog/song.js";
import type { CatalogStore, IngestBatch, IngestedSong, SongStore } from "../../src/core/catalog/store.js";
import type { BucketObject, EmbeddingModel } from "../../src/core/ports.js";

export interface CatalogStores {
  catalog: CatalogStore;
  songs: SongStore;
  close(): Promise<void>;
}

const model: EmbeddingModel = { name: "test-model", dimension: 4 };

const unit = (...values: number[]) => {
  const v = Float32Array.from(values);
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
};

const listed = (key: string, etag = "e1", size = 100): BucketObject => ({
  key,
  etag,
  size,
  modifiedAt: new Date(),
});

const songRow = (id: string, overrides: Partial<SongRow> = {}): SongRow => ({
  id,
  title: `Title ${id}`,
  artists: ["Artist"],
  album: null,
  genre: "pop",
  language: "en",
  releaseDate: "2020-01-01",
  popularity: 10,
  features: { ...emptyFeatures(), energy: 0.5 },
  lyrics: `lyrics of ${id}`,
  ...overrides,
});

const ingested = (song: SongRow, vectors: Float32Array[]): IngestedSong => ({
  song,
  lyricsStatus: vectors.length > 0 ? "ok" : "missing",
  passages: vectors.map((vector, i) => ({ text: `${song.id} passage ${i}`, vector })),
  vector: vectors[0] ?? null,
});

export function describeCatalogStoreContract(name: string, open: () => Promise<CatalogStores>) {
  describe(`catalog store contract: ${name}`, () => {
    let stores: CatalogStores;
    let catalog: CatalogStore;
    let songs: SongStore;
    beforeEach(async () => {
      stores = await open();
      ({ catalog, songs } = stores);
    });
    afterEach(async () => stores.close());

    async function startedObject(key = "a.csv", etag = "e1") {
      const { object } = await catalog.offerObject("file:///bucket", listed(key, etag), model.name);
      const started = await catalog.startObject(object.id, etag, model.name);
      if (!started) throw new Error("object did not start");
      return started;
    }

    const batchOf = async (objectId: number, list: IngestedSong[], extra: Partial<IngestBatch> = {}) => ({
      objectId,
      etag: "e1",
      modelId: await catalog.modelId(model),
      songs: list,
      rowErrors: [],
      counts: {
        songs: list.length,
        passages: list.reduce((s, x) => s + x.passages.length, 0),
        skipped: list.filter((x) => x.passages.length === 0).length,
        errors: 0,
      },
      rowsDone: list.length,
      bytesDone: 10,
      ...extra,
    });

    it("gives one id per model and refuses a model whose dimension changed", async () => {
      const id = await catalog.modelId(model);
      expect(await catalog.modelId(model)).toBe(id);
      await expect(catalog.modelId({ ...model, dimension: 8 })).rejects.toThrow(/dimension 4, not 8/);
    });

    it("queues a new object once, again when it changes, and not while it is unchanged", async () => {
      const first = await catalog.offerObject("file:///bucket", listed("a.csv"), model.name);
      expect(first.enqueue).toBe(true);
      expect(first.object).toMatchObject({ key: "a.csv", status: "queued", etag: "e1", size: 100 });
      expect((await catalog.offerObject("file:///bucket", listed("a.csv"), model.name)).enqueue).toBe(false);
      expect((await catalog.offerObject("file:///other", listed("a.csv"), model.name)).enqueue).toBe(true);
      const changed = await catalog.offerObject("file:///bucket", listed("a.csv", "e2"), model.name);
      expect(changed.enqueue).toBe(true);
      expect(changed.object.id).toBe(first.object.id);
      expect(
        (await catalog.offerObject("file:///bucket", listed("a.csv", "e2"), "another-model")).enqueue,
      ).toBe(true);
      expect(await catalog.listObjects({ source: "file:///bucket" })).toHaveLength(1);
    });

    it("starts an object only for the etag it was queued with", async () => {
      const { object } = await catalog.offerObject("file:///bucket", listed("a.csv"), model.name);
      expect(await catalog.startObject(object.id, "stale", model.name)).toBeNull();
      expect(await catalog.startObject(object.id, "e1", "another-model")).toBeNull();
      expect(await catalog.startObject(object.id, "e1", model.name)).toMatchObject({
        status: "processing",
        rowsDone: 0,
      });
    });

    it("commits songs and passages, and replaces a song's passages when it comes again", async () => {
      const object = await startedObject();
      const v1 = await catalog.catalogVersion();
      const first = await catalog.commitBatch(
        await batchOf(object.id, [
          ingested(songRow("s1"), [unit(1, 0, 0, 0), unit(0, 1, 0, 0)]),
          ingested(songRow("s2"), []),
        ]),
      );
      expect(first).not.toBeNull();
      expect(first!.catalogVersion).toBe(v1 + 1);
      expect(first!.added).toHaveLength(2);
      expect(first!.removed).toEqual([]);

      const again = await catalog.commitBatch(
        await batchOf(object.id, [ingested(songRow("s1", { title: "New title" }), [unit(0, 0, 1, 0)])]),
      );
      expect(again!.removed.sort()).toEqual(first!.added.map((a) => a.id).sort());
      expect(again!.added).toHaveLength(1);

      expect(await songs.getSong("s1")).toMatchObject({
        id: "s1",
        title: "New title",
        lyrics: "lyrics of s1",
      });
      expect(await songs.getSong("s2")).toMatchObject({ id: "s2" });
      const passages = await songs.passagesOfSongs(["s1", "s2"], model.name);
      expect(passages.map((p) => p.text)).toEqual(["s1 passage 0"]);
      expect(Array.from(passages[0]!.vector)).toEqual(Array.from(unit(0, 0, 1, 0)));
      const totals = await catalog.totals();
      expect(totals).toMatchObject({ songs: 2, songsWithPassages: 1, passages: 1 });
    });

    it("records progress, counters and bad rows with the batch", async () => {
      const object = await startedObject();
      await catalog.commitBatch(
        await batchOf(object.id, [ingested(songRow("s1"), [unit(1, 1, 0, 0)])], {
          rowErrors: [{ line: 7, reason: "no title" }],
          counts: { songs: 1, passages: 1, skipped: 0, errors: 1 },
          rowsDone: 2,
          bytesDone: 55,
        }),
      );
      expect(await catalog.getObject(object.id)).toMatchObject({
        songs: 1,
        passages: 1,
        errors: 1,
        rowsDone: 2,
        bytesDone: 55,
      });
      expect(await catalog.rowErrors(object.id, 10)).toEqual([{ line: 7, reason: "no title" }]);
      await catalog.finishObject(object.id, "e1", { status: "done" });
      expect(await catalog.getObject(object.id)).toMatchObject({ status: "done" });
      expect((await catalog.totals()).objects.done).toBe(1);
    });

    it("refuses a batch of an object that changed meanwhile, writing nothing", async () => {
      const object = await startedObject();
      await catalog.offerObject("file:///bucket", listed("a.csv", "e2"), model.name);
      const version = await catalog.catalogVersion();
      expect(
        await catalog.commitBatch(await batchOf(object.id, [ingested(songRow("s1"), [unit(1, 0, 0, 0)])])),
      ).toBeNull();
      expect(await songs.getSong("s1")).toBeNull();
      expect(await catalog.catalogVersion()).toBe(version);
    });

    it("streams every passage vector of a model in batches", async () => {
      const object = await startedObject();
      const list = Array.from({ length: 7 }, (_, i) =>
        ingested(songRow(`s${i}`), [unit(1, i, 0, 0), unit(0, 1, i, 0)]),
      );
      await catalog.commitBatch(await batchOf(object.id, list));
      const batches = [];
      for await (const batch of catalog.streamPassageVectors(model.name, 5)) batches.push(batch);
      expect(batches.map((b) => b.length)).toEqual([5, 5, 4]);
      expect(new Set(batches.flat().map((e) => e.id)).size).toBe(14);
      const none = [];
      for await (const batch of catalog.streamPassageVectors("unknown-model")) none.push(batch);
      expect(none).toEqual([]);
      const songsOf = [];
      for await (const batch of catalog.streamPassageSongs(model.name, 4)) songsOf.push(...batch);
      expect(songsOf.map((p) => p.songId)).toEqual(list.flatMap((s) => [s.song.id, s.song.id]));
      const some = batches.flat().slice(3, 6);
      const byId = await catalog.passageVectors([...some.map((e) => e.id), 99_999]);
      expect(byId.map((e) => e.id).sort()).toEqual(some.map((e) => e.id).sort());
      expect(byId.every((e) => e.songId.startsWith("s") && e.vector.length === 4)).toBe(true);
    });

    it("reads songs, passages and song vectors back", async () => {
      const object = await startedObject();
      const committed = await catalog.commitBatch(
        await batchOf(object.id, [ingested(songRow("s1", { artists: ["A", "B"] }), [unit(1, 0, 0, 0)])]),
      );
      const found = await songs.getSongs(["s1", "missing"]);
      expect([...found.keys()]).toEqual(["s1"]);
      expect(found.get("s1")).toMatchObject({ artists: ["A", "B"], features: { energy: 0.5, tempo: null } });
      const passages = await songs.getPassages(committed!.added.map((a) => a.id));
      expect([...passages.values()][0]).toMatchObject({ songId: "s1", ordinal: 0, text: "s1 passage 0" });
      const songVectors = await songs.songVectors(["s1", "missing"], model.name);
      expect([...songVectors.keys()]).toEqual(["s1"]);
      expect(Array.from(songVectors.get("s1")!)).toEqual(Array.from(unit(1, 0, 0, 0)));
      expect((await songs.songVectors(["s1"], "another-model")).size).toBe(0);
      const vectors = [];
      for await (const batch of songs.streamSongVectors(model.name)) vectors.push(...batch);
      expect(vectors.map((v) => v.songId)).toEqual(["s1"]);
    });

    it("finds songs by words in title, artists and lyrics, best first, ignoring accents", async () => {
      const object = await startedObject();
      await catalog.commitBatch(
        await batchOf(object.id, [
          ingested(songRow("ocean", { title: "Ocean Eyes", lyrics: "the ocean the ocean and the sea" }), []),
          ingested(songRow("sea", { title: "Harbour", lyrics: "a song about the sea" }), []),
          ingested(songRow("cancion", { title: "Canción del mar", lyrics: "mi corazón" }), []),
          ...["f1", "f2", "f3"].map((id) =>
            ingested(songRow(id, { title: "Filler", lyrics: "the night and the road" }), []),
          ),
        ]),
      );
      const hits = await songs.searchLexical(["ocean", "sea"], 10);
      expect(hits.map((h) => h.songId)).toEqual(["ocean", "sea"]);
      expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
      expect((await songs.searchLexical(["cancion", "corazon"], 10)).map((h) => h.songId)).toEqual([
        "cancion",
      ]);
      expect(await songs.searchLexical(['sea" OR ocean', "NEAR(", "*"], 10)).toEqual([]);
      expect(await songs.searchLexical([], 10)).toEqual([]);
      // "the" is in most songs: bm25 gives it no weight, so it adds no match to the others'.
      expect((await songs.searchLexical(["the", "harbour"], 10)).map((h) => h.songId)).toEqual(["sea"]);
      // Common words alone still rank what they match.
      expect((await songs.searchLexical(["the"], 10)).length).toBeGreaterThan(3);
    });
  });
}
