/**
 * The contract of IngestRunStore, the worker's store: one id per embedding model, taking an
 * object's lease only for the run it was queued for, commits (songs upserted, passages
 * replaced, progress and bad rows recorded) that a lost lease refuses, and the run's end.
 */
import { describe, expect, it } from "vitest";
import { jobOf } from "../../src/core/catalog/crawler.js";
import {
  catalogFixture,
  ingested,
  leaseFor,
  model,
  songRow,
  unit,
  type OpenCatalogStores,
} from "./catalog-fixtures.js";

export function describeIngestRunStoreContract(name: string, open: OpenCatalogStores) {
  describe(`ingest run store contract: ${name}`, () => {
    const fx = catalogFixture(open);

    it("gives one id per model and refuses a model whose dimension changed", async () => {
      const { runs } = fx.stores;
      const id = await runs.modelId(model);
      expect(await runs.modelId(model)).toBe(id);
      await expect(runs.modelId({ ...model, dimension: 8 })).rejects.toThrow(/dimension 4, not 8/);
    });

    it("starts an object only for the run it was queued for, and for one worker at a time", async () => {
      const { runs } = fx.stores;
      const { object } = await fx.offer("a.csv");
      const now = fx.now;
      expect(
        (await runs.startObject({ ...jobOf(object), etag: "stale" }, model.name, leaseFor("w", now))).status,
      ).toBe("stale");
      expect(
        (await runs.startObject({ ...jobOf(object), generation: 0 }, model.name, leaseFor("w", now))).status,
      ).toBe("stale");
      expect((await runs.startObject(jobOf(object), "another-model", leaseFor("w", now))).status).toBe(
        "stale",
      );
      const first = await fx.take(object, "worker-1");
      expect(first).toMatchObject({
        status: "started",
        object: { status: "processing", rowsDone: 0, deliveries: 1 },
      });
      // A duplicate delivery while the first worker's lease is alive.
      expect((await fx.take(object, "worker-2")).status).toBe("busy");
      // Once that lease has run out, another worker may take the object over.
      const later = new Date(now.getTime() + 60_000);
      const second = await fx.take(object, "worker-2", later);
      expect(second).toMatchObject({ status: "started", object: { deliveries: 2 } });
    });

    it("commits songs and passages, and replaces a song's passages when it comes again", async () => {
      const { runs, songs, changeLog, status } = fx.stores;
      const { lease } = await fx.startedObject();
      const v1 = await changeLog.catalogVersion();
      const first = await runs.commitBatch(
        await fx.batchOf(lease, [
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

      const again = await runs.commitBatch(
        await fx.batchOf(lease, [ingested(songRow("s1", { title: "New title" }), [unit(0, 0, 1, 0)])]),
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
      expect(await status.totals()).toMatchObject({ songs: 2, songsWithPassages: 1, passages: 1 });
    });

    it("records progress, counters and bad rows with the batch, the first ones per object only", async () => {
      const { runs, status } = fx.stores;
      const { object, lease } = await fx.startedObject();
      await runs.commitBatch(
        await fx.batchOf(lease, [ingested(songRow("s1"), [unit(1, 1, 0, 0)])], {
          rowErrors: [{ line: 7, reason: "no title", kind: "skipped" }],
          counts: { songs: 1, passages: 1, skipped: 0, errors: 1, changed: 0 },
          rowsDone: 2,
          linesDone: 3,
          bytesDone: 55,
        }),
      );
      expect(await runs.getObject(object.id)).toMatchObject({
        songs: 1,
        passages: 1,
        errors: 1,
        rowsDone: 2,
        linesDone: 3,
        bytesDone: 55,
      });
      expect((await status.rowErrors([object.id], 10)).get(object.id)).toEqual([
        { line: 7, reason: "no title", kind: "skipped" },
      ]);
      const many = Array.from({ length: 1200 }, (_, i) => ({
        line: 100 + i,
        reason: `bad ${i}`,
        kind: "skipped" as const,
      }));
      await runs.commitBatch(
        await fx.batchOf(lease, [], {
          rowErrors: many,
          counts: { songs: 0, passages: 0, skipped: 0, errors: many.length, changed: 0 },
          rowsDone: 1202,
        }),
      );
      expect((await runs.getObject(object.id))!.errors).toBe(1201);
      expect((await status.rowErrors([object.id], 5000)).get(object.id)).toHaveLength(1000);
      expect((await status.rowErrors([object.id], 3)).get(object.id)!.map((e) => e.line)).toEqual([
        7, 100, 101,
      ]);

      expect(await runs.finishObject(lease, { status: "done" }, fx.now)).not.toBeNull();
      expect(await runs.getObject(object.id)).toMatchObject({ status: "done", leaseExpiresAt: null });
      expect((await status.totals()).objects.done).toBe(1);
    });

    it("records rows kept with a value changed apart from bad rows, and counts each kind", async () => {
      const { runs, status } = fx.stores;
      const { object, lease } = await fx.startedObject();
      await runs.commitBatch(
        await fx.batchOf(lease, [ingested(songRow("s1"), [unit(1, 1, 0, 0)])], {
          rowErrors: [
            { line: 2, reason: 'tempo is outside 0 to 400: left out\nvalue: "-100"', kind: "changed" },
            { line: 3, reason: "no title", kind: "skipped" },
          ],
          counts: { songs: 1, passages: 1, skipped: 0, errors: 1, changed: 1 },
        }),
      );
      expect(await runs.getObject(object.id)).toMatchObject({ errors: 1, changed: 1 });
      expect((await status.rowErrors([object.id], 10)).get(object.id)).toEqual([
        { line: 2, reason: 'tempo is outside 0 to 400: left out\nvalue: "-100"', kind: "changed" },
        { line: 3, reason: "no title", kind: "skipped" },
      ]);
    });

    it("reports a row whose id an earlier row of the run had, in this batch or an earlier one, on its line", async () => {
      const { runs, status, songs } = fx.stores;
      const { object, lease } = await fx.startedObject();
      const row = (id: string, title: string, line: number) => ({
        ...ingested(songRow(id, { title }), [unit(1, 0, 0, 0)]),
        line,
      });
      await runs.commitBatch(await fx.batchOf(lease, [row("s1", "First", 2), row("s2", "Other", 3)]));
      await runs.commitBatch(await fx.batchOf(lease, [row("s1", "Second", 4), row("s1", "Third", 5)]));
      expect((await songs.getSong("s1"))?.title).toBe("Third");
      const reports = (await status.rowErrors([object.id], 10)).get(object.id) ?? [];
      expect(reports.map((r) => [r.line, r.kind, r.reason.split("\n")[0]])).toEqual([
        [4, "changed", "the same song as an earlier row of this file: this row replaces it"],
        [5, "changed", "the same song as an earlier row of this file: this row replaces it"],
      ]);
      expect(await runs.getObject(object.id)).toMatchObject({ changed: 2, errors: 0 });
    });

    it("does not take a song of the object's previous run for a repeat in its new one", async () => {
      const { runs, status } = fx.stores;
      await fx.ingestedObject("a.csv", [{ ...ingested(songRow("s1"), [unit(1, 0, 0, 0)]), line: 2 }]);
      const { object } = await fx.offer("a.csv", "e2");
      const started = await fx.take(object);
      if (started.status !== "started") throw new Error(started.status);
      await runs.commitBatch(
        await fx.batchOf(started.lease, [{ ...ingested(songRow("s1"), [unit(1, 0, 0, 0)]), line: 2 }]),
      );
      expect((await status.rowErrors([object.id], 10)).get(object.id)).toBeUndefined();
    });

    it("refuses every write of a worker whose lease was taken over, writing nothing", async () => {
      const { runs, songs, changeLog } = fx.stores;
      const { object, lease } = await fx.startedObject();
      const later = new Date(fx.now.getTime() + 60_000);
      const takeover = await fx.take(object, "worker-2", later);
      expect(takeover.status).toBe("started");
      const version = await changeLog.catalogVersion();
      expect(
        await runs.commitBatch(await fx.batchOf(lease, [ingested(songRow("s1"), [unit(1, 0, 0, 0)])])),
      ).toBeNull();
      expect(await runs.renewLease(lease, later)).toBe(false);
      expect(await runs.finishObject(lease, { status: "done" }, later)).toBeNull();
      expect(await songs.getSong("s1")).toBeNull();
      expect(await changeLog.catalogVersion()).toBe(version);
      expect((await runs.getObject(object.id))!.status).toBe("processing");
      // The new holder writes.
      if (takeover.status !== "started") throw new Error("unreachable");
      expect(await runs.renewLease(takeover.lease, later)).toBe(true);
      expect(
        await runs.commitBatch(await fx.batchOf(takeover.lease, [ingested(songRow("s1"), [])])),
      ).not.toBeNull();
    });

    it("refuses a batch of an object that changed meanwhile", async () => {
      const { lease } = await fx.startedObject();
      await fx.offer("a.csv", "e2");
      expect(
        await fx.stores.runs.commitBatch(
          await fx.batchOf(lease, [ingested(songRow("s1"), [unit(1, 0, 0, 0)])]),
        ),
      ).toBeNull();
      expect(await fx.stores.songs.getSong("s1")).toBeNull();
    });

    it("gives a lease up for another worker, and counts a worker's death but not a clean give-up", async () => {
      const { runs } = fx.stores;
      const { object, lease } = await fx.startedObject();
      await runs.releaseLease(lease);
      expect((await runs.getObject(object.id))!).toMatchObject({ leaseExpiresAt: null, deliveries: 0 });
      expect(await fx.take(object, "worker-2")).toMatchObject({
        status: "started",
        object: { deliveries: 1 },
      });
      // worker-2 dies: its lease runs out and the next worker's delivery counts a second one.
      const later = new Date(fx.now.getTime() + 60_000);
      expect(await fx.take(object, "worker-3", later)).toMatchObject({
        status: "started",
        object: { deliveries: 2 },
      });
    });

    it("remembers since when a run has been failing for a passing reason", async () => {
      const { runs } = fx.stores;
      const { object, lease } = await fx.startedObject();
      const since = await runs.noteTransientFailure(lease, fx.now, "embedder down");
      expect(since).toBe(fx.now.toISOString());
      expect(await runs.noteTransientFailure(lease, new Date(fx.now.getTime() + 5000), "still down")).toBe(
        since,
      );
      expect(await runs.getObject(object.id)).toMatchObject({
        transientSince: since,
        error: "still down",
      });
      await runs.finishObject(lease, { status: "done" }, fx.now);
      expect(await runs.getObject(object.id)).toMatchObject({ transientSince: null, error: null });
      // With the lease gone, nothing is noted.
      expect(await runs.noteTransientFailure(lease, fx.now, "late")).toBeNull();
    });

    it("ends a run failed with its reason and how long it took", async () => {
      const { runs } = fx.stores;
      const { object, lease } = await fx.startedObject();
      const at = new Date(fx.now.getTime() + 1500);
      const ended = await runs.finishObject(lease, { status: "failed", error: "unreadable" }, at);
      expect(ended).toMatchObject({ added: [], removed: [] });
      expect(await runs.getObject(object.id)).toMatchObject({
        status: "failed",
        error: "unreadable",
        finishedAt: at.toISOString(),
        durationMs: 1500,
        leaseExpiresAt: null,
      });
    });
  });
}
