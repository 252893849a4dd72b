/**
 * The contract of CatalogObjectStore, the crawler's store: offering listed objects (a new run
 * when one is new, changed, or failed long enough ago), listing them, finding those no worker
 * holds, and failing or removing an object without a lease.
 */
import { describe, expect, it } from "vitest";
import {
  catalogFixture,
  HOUR,
  ingested,
  listed,
  model,
  SOURCE,
  songRow,
  unit,
  type OpenCatalogStores,
} from "./catalog-fixtures.js";

export function describeCatalogObjectStoreContract(name: string, open: OpenCatalogStores) {
  describe(`catalog object store contract: ${name}`, () => {
    const fx = catalogFixture(open);

    it("queues a new object once, again when it changes, and not while it is unchanged", async () => {
      const { objects } = fx.stores;
      const first = await fx.offer("a.csv");
      expect(first.enqueue).toBe(true);
      expect(first.object).toMatchObject({
        key: "a.csv",
        status: "queued",
        etag: "e1",
        size: 100,
        generation: 1,
      });
      expect((await fx.offer("a.csv")).enqueue).toBe(false);
      expect(
        (
          await objects.offerObject("file:///other", listed("a.csv"), model.name, {
            failedCooldownMs: HOUR,
            now: fx.now,
          })
        ).enqueue,
      ).toBe(true);
      const changed = await fx.offer("a.csv", "e2");
      expect(changed.enqueue).toBe(true);
      expect(changed.object.id).toBe(first.object.id);
      expect(changed.object.generation).toBe(2);
      expect((await fx.offer("a.csv", "e2", { model: "another-model" })).enqueue).toBe(true);
      expect(await objects.listObjects({ source: SOURCE })).toHaveLength(1);
      expect(await objects.getObject(first.object.id)).toMatchObject({ key: "a.csv", etag: "e2" });
      expect(await objects.getObject(first.object.id + 1000)).toBeNull();
    });

    it("offers a failed object again after its cool-down, or at once when forced", async () => {
      const { object, lease } = await fx.startedObject();
      await fx.stores.runs.finishObject(lease, { status: "failed", error: "bad" }, fx.now);
      expect((await fx.offer("a.csv", "e1", { at: new Date(fx.now.getTime() + 60_000) })).enqueue).toBe(
        false,
      );
      const forced = await fx.offer("a.csv", "e1", { force: true, at: new Date(fx.now.getTime() + 60_000) });
      expect(forced).toMatchObject({
        enqueue: true,
        object: { id: object.id, status: "queued", generation: 2 },
      });
      const retaken = await fx.take(forced.object);
      if (retaken.status !== "started") throw new Error("not started");
      await fx.stores.runs.finishObject(retaken.lease, { status: "failed", error: "bad" }, fx.now);
      expect((await fx.offer("a.csv", "e1", { at: new Date(fx.now.getTime() + HOUR + 1) })).enqueue).toBe(
        true,
      );
    });

    it("lists objects in the order they were first recorded, of one source or of all", async () => {
      const { objects } = fx.stores;
      const offerFrom = (source: string, key: string, etag = "e1") =>
        objects.offerObject(source, listed(key, etag), model.name, { failedCooldownMs: HOUR, now: fx.now });
      // Recorded out of (source, key) order: the listing keeps the order of recording.
      const zebra = (await offerFrom(SOURCE, "zebra.csv")).object;
      const other = (await offerFrom("file:///another", "alpha.csv")).object;
      const alpha = (await offerFrom(SOURCE, "alpha.csv")).object;
      // Queued afresh, an object keeps its place.
      await offerFrom(SOURCE, "zebra.csv", "e2");
      const keys = async (options?: Parameters<typeof objects.listObjects>[0]) =>
        (await objects.listObjects(options)).map((o) => o.id);
      expect(await keys()).toEqual([zebra.id, other.id, alpha.id]);
      expect(await keys({ source: SOURCE })).toEqual([zebra.id, alpha.id]);
      expect(await keys({ source: "file:///another" })).toEqual([other.id]);
    });

    it("finds the queued or processing objects no live lease holds, and fails one without a lease", async () => {
      const { objects, runs } = fx.stores;
      const { object, lease } = await fx.startedObject();
      await runs.releaseLease(lease);
      expect((await fx.take(object, "worker-2")).status).toBe("started");
      expect(await objects.unattendedObjects(SOURCE, fx.now)).toEqual([]);
      const later = new Date(fx.now.getTime() + 60_000);
      expect((await objects.unattendedObjects(SOURCE, later)).map((o) => o.id)).toEqual([object.id]);
      expect((await objects.unattendedObjects(null, later)).map((o) => o.id)).toEqual([object.id]);
      expect(await objects.unattendedObjects("file:///another", later)).toEqual([]);
      await objects.failObject(object.id, "its worker kept stopping", later);
      expect(await objects.getObject(object.id)).toMatchObject({
        status: "failed",
        error: "its worker kept stopping",
        leaseExpiresAt: null,
      });
      expect(await objects.unattendedObjects(null, later)).toEqual([]);
    });

    it("leaves a done object alone when asked to fail it", async () => {
      const { object } = await fx.ingestedObject("a.csv", []);
      await fx.stores.objects.failObject(object.id, "too late", fx.now);
      expect(await fx.stores.objects.getObject(object.id)).toMatchObject({ status: "done", error: null });
    });

    it("removes songs a new run no longer holds, unless another object holds them", async () => {
      const { objects, runs, songs } = fx.stores;
      const a = await fx.startedObject("a.csv");
      await runs.commitBatch(
        await fx.batchOf(a.lease, [
          ingested(songRow("kept"), [unit(1, 0, 0, 0)]),
          ingested(songRow("dropped"), [unit(0, 1, 0, 0)]),
          ingested(songRow("shared"), [unit(0, 0, 1, 0)]),
        ]),
      );
      await runs.finishObject(a.lease, { status: "done" }, fx.now);
      const b = await fx.startedObject("b.csv");
      await runs.commitBatch(await fx.batchOf(b.lease, [ingested(songRow("shared"), [unit(0, 0, 1, 1)])]));
      await runs.finishObject(b.lease, { status: "done" }, fx.now);

      // a.csv changes: "dropped" and "shared" are no longer in it.
      const { object } = await fx.offer("a.csv", "e2");
      const run = await fx.take(object);
      if (run.status !== "started") throw new Error("not started");
      await runs.commitBatch(await fx.batchOf(run.lease, [ingested(songRow("kept"), [unit(1, 0, 0, 1)])]));
      const dropped = (await songs.passagesOfSongs(["dropped"], model.name)).map((p) => p.id);
      const finished = await runs.finishObject(run.lease, { status: "done" }, fx.now);
      expect(finished!.removed).toEqual(dropped);
      expect(await songs.getSong("dropped")).toBeNull();
      expect(await songs.getSong("shared")).not.toBeNull();
      expect(await songs.getSong("kept")).not.toBeNull();
      expect((await objects.getObject(object.id))!.removed).toBe(1);

      // b.csv leaves the bucket: "shared" has no object left.
      const sharedPassages = (await songs.passagesOfSongs(["shared"], model.name)).map((p) => p.id);
      const gone = await objects.removeObject(b.object.id);
      expect(gone!.removed).toEqual(sharedPassages);
      expect(await songs.getSong("shared")).toBeNull();
      expect(await objects.getObject(b.object.id)).toBeNull();
      expect((await fx.stores.status.totals()).songs).toBe(1);
    });

    it("removes an object that holds no song without a change for the index", async () => {
      const { object } = await fx.ingestedObject("a.csv", []);
      expect(await fx.stores.objects.removeObject(object.id)).toBeNull();
      expect(await fx.stores.objects.getObject(object.id)).toBeNull();
    });
  });
}
