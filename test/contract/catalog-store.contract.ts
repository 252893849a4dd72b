/**
 * The contract of the catalog's repository ports (CatalogStore + SongStore): what every SQL
 * dialect must do the same way — offering objects, leases and fencing, commits, which objects
 * hold which songs, the change log, full-text search with filters.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SongRow } from "../../src/core/catalog/layout.js";
import { emptyFeatures } from "../../src/core/catalog/song.js";
import type {
  CatalogObject,
  CatalogStore,
  IngestBatch,
  IngestedSong,
  IngestJob,
  Lease,
  PassageVector,
  SongStore,
} from "../../src/core/catalog/store.js";
import type { BucketObject, EmbeddingModel } from "../../src/core/ports.js";

export interface CatalogStores {
  catalog: CatalogStore;
  songs: SongStore;
  close(): Promise<void>;
}

const model: EmbeddingModel = { name: "test-model", dimension: 4 };
const SOURCE = "file:///bucket";
const HOUR = 3600_000;

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

const jobOf = (o: CatalogObject): IngestJob => ({
  objectId: o.id,
  source: o.source,
  key: o.key,
  etag: o.etag,
  generation: o.generation,
});

async function collect<T>(batches: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const batch of batches) out.push(...batch);
  return out;
}

export function describeCatalogStoreContract(name: string, open: () => Promise<CatalogStores>) {
  describe(`catalog store contract: ${name}`, () => {
    let stores: CatalogStores;
    let catalog: CatalogStore;
    let songs: SongStore;
    let now: Date;
    beforeEach(async () => {
      stores = await open();
      ({ catalog, songs } = stores);
      now = new Date("2026-12-01T12:00:00.000Z");
    });
    afterEach(async () => stores.close());

    const offer = (key: string, etag = "e1", options: { force?: boolean; at?: Date; model?: string } = {}) =>
      catalog.offerObject(SOURCE, listed(key, etag), options.model ?? model.name, {
        failedCooldownMs: HOUR,
        now: options.at ?? now,
        ...(options.force ? { force: true } : {}),
      });

    const take = (object: CatalogObject, token = "worker-1", at = now) =>
      catalog.startObject(jobOf(object), model.name, {
        token,
        until: new Date(at.getTime() + 30_000),
        now: at,
      });

    async function startedObject(
      key = "a.csv",
      etag = "e1",
    ): Promise<{ object: CatalogObject; lease: Lease }> {
      const { object } = await offer(key, etag);
      const outcome = await take(object);
      if (outcome.status !== "started") throw new Error(`object did not start: ${outcome.status}`);
      return { object: outcome.object, lease: outcome.lease };
    }

    const batchOf = async (
      lease: Lease,
      list: IngestedSong[],
      extra: Partial<IngestBatch> = {},
    ): Promise<IngestBatch> => ({
      lease,
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
      linesDone: list.length + 1,
      bytesDone: 10,
      ...extra,
    });

    it("gives one id per model and refuses a model whose dimension changed", async () => {
      const id = await catalog.modelId(model);
      expect(await catalog.modelId(model)).toBe(id);
      await expect(catalog.modelId({ ...model, dimension: 8 })).rejects.toThrow(/dimension 4, not 8/);
    });

    it("queues a new object once, again when it changes, and not while it is unchanged", async () => {
      const first = await offer("a.csv");
      expect(first.enqueue).toBe(true);
      expect(first.object).toMatchObject({
        key: "a.csv",
        status: "queued",
        etag: "e1",
        size: 100,
        generation: 1,
      });
      expect((await offer("a.csv")).enqueue).toBe(false);
      expect(
        (
          await catalog.offerObject("file:///other", listed("a.csv"), model.name, {
            failedCooldownMs: HOUR,
            now,
          })
        ).enqueue,
      ).toBe(true);
      const changed = await offer("a.csv", "e2");
      expect(changed.enqueue).toBe(true);
      expect(changed.object.id).toBe(first.object.id);
      expect(changed.object.generation).toBe(2);
      expect((await offer("a.csv", "e2", { model: "another-model" })).enqueue).toBe(true);
      expect(await catalog.listObjects({ source: SOURCE })).toHaveLength(1);
    });

    it("starts an object only for the run it was queued for, and for one worker at a time", async () => {
      const { object } = await offer("a.csv");
      expect(
        (await catalog.startObject({ ...jobOf(object), etag: "stale" }, model.name, lease("w", now))).status,
      ).toBe("stale");
      expect(
        (await catalog.startObject({ ...jobOf(object), generation: 0 }, model.name, lease("w", now))).status,
      ).toBe("stale");
      expect((await catalog.startObject(jobOf(object), "another-model", lease("w", now))).status).toBe(
        "stale",
      );
      const first = await take(object, "worker-1");
      expect(first).toMatchObject({
        status: "started",
        object: { status: "processing", rowsDone: 0, deliveries: 1 },
      });
      // A duplicate delivery while the first worker's lease is alive.
      expect((await take(object, "worker-2")).status).toBe("busy");
      // Once that lease has run out, another worker may take the object over.
      const later = new Date(now.getTime() + 60_000);
      const second = await take(object, "worker-2", later);
      expect(second).toMatchObject({ status: "started", object: { deliveries: 2 } });
    });

    it("commits songs and passages, and replaces a song's passages when it comes again", async () => {
      const { lease } = await startedObject();
      const v1 = await catalog.catalogVersion();
      const first = await catalog.commitBatch(
        await batchOf(lease, [
          ingested(songRow("s1", { language: "ES", genre: "Latin", releaseDate: "1999-03-01" }), [
            unit(1, 0, 0, 0),
            unit(0, 1, 0, 0),
          ]),
          ingested(songRow("s2"), []),
        ]),
      );
      expect(first).not.toBeNull();
      expect(first!.catalogVersion).toBe(v1 + 1);
      expect(first!.added).toHaveLength(2);
      expect(first!.added[0]!.song).toMatchObject({
        songId: "s1",
        language: "es",
        genre: "latin",
        year: 1999,
        energy: 0.5,
      });
      expect(first!.removed).toEqual([]);

      const again = await catalog.commitBatch(
        await batchOf(lease, [ingested(songRow("s1", { title: "New title" }), [unit(0, 0, 1, 0)])]),
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
      expect(await catalog.totals()).toMatchObject({ songs: 2, songsWithPassages: 1, passages: 1 });
    });

    it("records progress, counters and bad rows with the batch, the first ones per object only", async () => {
      const { object, lease } = await startedObject();
      await catalog.commitBatch(
        await batchOf(lease, [ingested(songRow("s1"), [unit(1, 1, 0, 0)])], {
          rowErrors: [{ line: 7, reason: "no title" }],
          counts: { songs: 1, passages: 1, skipped: 0, errors: 1 },
          rowsDone: 2,
          linesDone: 3,
          bytesDone: 55,
        }),
      );
      expect(await catalog.getObject(object.id)).toMatchObject({
        songs: 1,
        passages: 1,
        errors: 1,
        rowsDone: 2,
        linesDone: 3,
        bytesDone: 55,
      });
      expect((await catalog.rowErrors([object.id], 10)).get(object.id)).toEqual([
        { line: 7, reason: "no title" },
      ]);
      const many = Array.from({ length: 1200 }, (_, i) => ({ line: 100 + i, reason: `bad ${i}` }));
      await catalog.commitBatch(
        await batchOf(lease, [], {
          rowErrors: many,
          counts: { songs: 0, passages: 0, skipped: 0, errors: many.length },
          rowsDone: 1202,
        }),
      );
      expect((await catalog.getObject(object.id))!.errors).toBe(1201);
      expect((await catalog.rowErrors([object.id], 5000)).get(object.id)).toHaveLength(1000);
      expect((await catalog.rowErrors([object.id], 3)).get(object.id)!.map((e) => e.line)).toEqual([
        7, 100, 101,
      ]);

      expect(await catalog.finishObject(lease, { status: "done" }, now)).not.toBeNull();
      expect(await catalog.getObject(object.id)).toMatchObject({ status: "done", leaseExpiresAt: null });
      expect((await catalog.totals()).objects.done).toBe(1);
    });

    it("refuses every write of a worker whose lease was taken over, writing nothing", async () => {
      const { object, lease } = await startedObject();
      const later = new Date(now.getTime() + 60_000);
      const takeover = await take(object, "worker-2", later);
      expect(takeover.status).toBe("started");
      const version = await catalog.catalogVersion();
      expect(
        await catalog.commitBatch(await batchOf(lease, [ingested(songRow("s1"), [unit(1, 0, 0, 0)])])),
      ).toBeNull();
      expect(await catalog.renewLease(lease, later)).toBe(false);
      expect(await catalog.finishObject(lease, { status: "done" }, later)).toBeNull();
      expect(await songs.getSong("s1")).toBeNull();
      expect(await catalog.catalogVersion()).toBe(version);
      expect((await catalog.getObject(object.id))!.status).toBe("processing");
      // The new holder writes.
      if (takeover.status !== "started") throw new Error("unreachable");
      expect(await catalog.renewLease(takeover.lease, later)).toBe(true);
      expect(
        await catalog.commitBatch(await batchOf(takeover.lease, [ingested(songRow("s1"), [])])),
      ).not.toBeNull();
    });

    it("refuses a batch of an object that changed meanwhile", async () => {
      const { lease } = await startedObject();
      await offer("a.csv", "e2");
      expect(
        await catalog.commitBatch(await batchOf(lease, [ingested(songRow("s1"), [unit(1, 0, 0, 0)])])),
      ).toBeNull();
      expect(await songs.getSong("s1")).toBeNull();
    });

    it("gives a lease up for another worker, and counts a worker's death but not a clean give-up", async () => {
      const { object, lease } = await startedObject();
      await catalog.releaseLease(lease);
      expect((await catalog.getObject(object.id))!).toMatchObject({ leaseExpiresAt: null, deliveries: 0 });
      expect((await take(object, "worker-2")).status).toBe("started");
      expect(await catalog.unattendedObjects(SOURCE, now)).toEqual([]);
      const later = new Date(now.getTime() + 60_000);
      expect((await catalog.unattendedObjects(SOURCE, later)).map((o) => o.id)).toEqual([object.id]);
      expect((await catalog.unattendedObjects(null, later)).map((o) => o.id)).toEqual([object.id]);
      await catalog.failObject(object.id, "its worker kept stopping", later);
      expect(await catalog.getObject(object.id)).toMatchObject({
        status: "failed",
        error: "its worker kept stopping",
      });
    });

    it("remembers since when a run has been failing for a passing reason", async () => {
      const { object, lease } = await startedObject();
      const since = await catalog.noteTransientFailure(lease, now, "embedder down");
      expect(since).toBe(now.toISOString());
      expect(await catalog.noteTransientFailure(lease, new Date(now.getTime() + 5000), "still down")).toBe(
        since,
      );
      expect(await catalog.getObject(object.id)).toMatchObject({
        transientSince: since,
        error: "still down",
      });
      await catalog.finishObject(lease, { status: "done" }, now);
      expect(await catalog.getObject(object.id)).toMatchObject({ transientSince: null, error: null });
    });

    it("offers a failed object again after its cool-down, or at once when forced", async () => {
      const { object, lease } = await startedObject();
      await catalog.finishObject(lease, { status: "failed", error: "bad" }, now);
      expect((await offer("a.csv", "e1", { at: new Date(now.getTime() + 60_000) })).enqueue).toBe(false);
      const forced = await offer("a.csv", "e1", { force: true, at: new Date(now.getTime() + 60_000) });
      expect(forced).toMatchObject({
        enqueue: true,
        object: { id: object.id, status: "queued", generation: 2 },
      });
      const retaken = await take(forced.object);
      if (retaken.status !== "started") throw new Error("not started");
      await catalog.finishObject(retaken.lease, { status: "failed", error: "bad" }, now);
      expect((await offer("a.csv", "e1", { at: new Date(now.getTime() + HOUR + 1) })).enqueue).toBe(true);
    });

    it("removes songs a new run no longer holds, unless another object holds them", async () => {
      const a = await startedObject("a.csv");
      await catalog.commitBatch(
        await batchOf(a.lease, [
          ingested(songRow("kept"), [unit(1, 0, 0, 0)]),
          ingested(songRow("dropped"), [unit(0, 1, 0, 0)]),
          ingested(songRow("shared"), [unit(0, 0, 1, 0)]),
        ]),
      );
      await catalog.finishObject(a.lease, { status: "done" }, now);
      const b = await startedObject("b.csv");
      await catalog.commitBatch(await batchOf(b.lease, [ingested(songRow("shared"), [unit(0, 0, 1, 1)])]));
      await catalog.finishObject(b.lease, { status: "done" }, now);

      // a.csv changes: "dropped" and "shared" are no longer in it.
      const { object } = await offer("a.csv", "e2");
      const run = await take(object);
      if (run.status !== "started") throw new Error("not started");
      await catalog.commitBatch(await batchOf(run.lease, [ingested(songRow("kept"), [unit(1, 0, 0, 1)])]));
      const dropped = (await songs.passagesOfSongs(["dropped"], model.name)).map((p) => p.id);
      const finished = await catalog.finishObject(run.lease, { status: "done" }, now);
      expect(finished!.removed).toEqual(dropped);
      expect(await songs.getSong("dropped")).toBeNull();
      expect(await songs.getSong("shared")).not.toBeNull();
      expect(await songs.getSong("kept")).not.toBeNull();
      expect((await catalog.getObject(object.id))!.removed).toBe(1);

      // b.csv leaves the bucket: "shared" has no object left.
      const sharedPassages = (await songs.passagesOfSongs(["shared"], model.name)).map((p) => p.id);
      const gone = await catalog.removeObject(b.object.id);
      expect(gone!.removed).toEqual(sharedPassages);
      expect(await songs.getSong("shared")).toBeNull();
      expect(await catalog.getObject(b.object.id)).toBeNull();
      expect((await catalog.totals()).songs).toBe(1);
    });

    it("streams every passage vector of a model in batches, with its song's attributes", async () => {
      const { lease } = await startedObject();
      const list = Array.from({ length: 7 }, (_, i) =>
        ingested(songRow(`s${i}`), [unit(1, i, 0, 0), unit(0, 1, i, 0)]),
      );
      await catalog.commitBatch(await batchOf(lease, list));
      const batches: PassageVector[][] = [];
      for await (const batch of catalog.streamPassageVectors(model.name, 5)) batches.push(batch);
      expect(batches.map((b) => b.length)).toEqual([5, 5, 4]);
      expect(new Set(batches.flat().map((e) => e.id)).size).toBe(14);
      expect(batches.flat().map((e) => e.song.songId)).toEqual(list.flatMap((s) => [s.song.id, s.song.id]));
      expect(await collect(catalog.streamPassageVectors("unknown-model"))).toEqual([]);
    });

    it("answers what changed after a catalog version from its change log", async () => {
      const { lease } = await startedObject();
      const start = await catalog.catalogVersion();
      const first = await catalog.commitBatch(
        await batchOf(lease, [ingested(songRow("s1"), [unit(1, 0, 0, 0)])]),
      );
      const second = await catalog.commitBatch(
        await batchOf(lease, [
          ingested(songRow("s1"), [unit(0, 1, 0, 0)]),
          ingested(songRow("s2"), [unit(0, 0, 1, 0)]),
        ]),
      );
      const all = await catalog.changesSince(start, model.name);
      expect(all!.catalogVersion).toBe(second!.catalogVersion);
      expect(all!.removed).toEqual(first!.added.map((a) => a.id));
      expect((await collect(all!.added)).map((a) => a.id).sort()).toEqual(
        second!.added.map((a) => a.id).sort(),
      );
      const recent = await catalog.changesSince(first!.catalogVersion, model.name);
      expect((await collect(recent!.added)).map((a) => a.song.songId).sort()).toEqual(["s1", "s2"]);
      const none = await catalog.changesSince(second!.catalogVersion, model.name);
      expect(none!.removed).toEqual([]);
      expect(await collect(none!.added)).toEqual([]);
      // Newer than the catalog: something is wrong with that index.
      expect(await catalog.changesSince(second!.catalogVersion + 5, model.name)).toBeNull();
      await catalog.pruneChanges(0);
      expect(await catalog.changesSince(start, model.name)).toBeNull();
      expect(await catalog.changesSince(second!.catalogVersion, model.name)).not.toBeNull();
    });

    it("reads songs, passages and song vectors back", async () => {
      const { lease } = await startedObject();
      const committed = await catalog.commitBatch(
        await batchOf(lease, [ingested(songRow("s1", { artists: ["A", "B"] }), [unit(1, 0, 0, 0)])]),
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
      expect((await collect(songs.streamSongVectors(model.name))).map((v) => v.songId)).toEqual(["s1"]);
    });

    it("finds songs by words in title, artists and lyrics, best first, ignoring accents and query syntax", async () => {
      const { lease } = await startedObject();
      await catalog.commitBatch(
        await batchOf(lease, [
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
      // Query syntax is only words: 'harbour" OR ocean' finds what its words find, and no
      // operator of any dialect's query language is read.
      for (const terms of [
        ['harbour" OR ocean'],
        ["NEAR(harbour"],
        ["harbour*"],
        ["+harbour -ocean"],
        ["harbour:*"],
      ]) {
        expect(
          (await songs.searchLexical(terms, 10)).map((h) => h.songId),
          terms[0],
        ).toContain("sea");
      }
      expect(await songs.searchLexical(['"', "*", "()", "&|!"], 10)).toEqual([]);
      expect(await songs.searchLexical([], 10)).toEqual([]);
      // "the" is in most songs: it adds no match to what the rarer word finds.
      expect((await songs.searchLexical(["the", "harbour"], 10)).map((h) => h.songId)).toEqual(["sea"]);
    });

    it("filters full-text matches by song metadata inside the query", async () => {
      const { lease } = await startedObject();
      await catalog.commitBatch(
        await batchOf(lease, [
          ingested(
            songRow("en-old", { lyrics: "rain falls", language: "en", releaseDate: "1975", genre: "Rock" }),
            [],
          ),
          ingested(
            songRow("en-new", {
              lyrics: "rain again",
              language: "en",
              releaseDate: "2019-02-01",
              features: { ...emptyFeatures(), energy: 0.9 },
            }),
            [],
          ),
          ingested(songRow("es", { lyrics: "rain lluvia", language: "es", releaseDate: "2001" }), []),
          ingested(songRow("unknown", { lyrics: "rain", language: null, releaseDate: null }), []),
        ]),
      );
      const ids = async (filter: Parameters<SongStore["searchLexical"]>[2]) =>
        (await songs.searchLexical(["rain"], 10, filter)).map((h) => h.songId).sort();
      expect(await ids(undefined)).toEqual(["en-new", "en-old", "es", "unknown"]);
      expect(await ids({ language: "ES" })).toEqual(["es"]);
      expect(await ids({ genre: "rock" })).toEqual(["en-old"]);
      expect(await ids({ year: { min: 2000 } })).toEqual(["en-new", "es"]);
      expect(await ids({ year: { max: 1999 } })).toEqual(["en-old"]);
      expect(await ids({ language: "en", energy: { min: 0.8 } })).toEqual(["en-new"]);
      expect(await ids({ energy: { max: 0.4 } })).toEqual([]);
    });
  });
}

function lease(token: string, now: Date) {
  return { token, until: new Date(now.getTime() + 30_000), now };
}
