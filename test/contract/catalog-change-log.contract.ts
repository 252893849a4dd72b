/**
 * The contract of CatalogChangeLog, what a vector index follows the catalog by: every passage
 * vector of a model with its song's attributes, and what changed after a catalog version, for
 * as long as the log reaches back.
 */
import { describe, expect, it } from "vitest";
import type { PassageVector } from "../../src/core/catalog/store.js";
import {
  catalogFixture,
  collect,
  ingested,
  model,
  songRow,
  unit,
  type OpenCatalogStores,
} from "./catalog-fixtures.js";

export function describeCatalogChangeLogContract(name: string, open: OpenCatalogStores) {
  describe(`catalog change log contract: ${name}`, () => {
    const fx = catalogFixture(open);

    it("streams every passage vector of a model in batches, with its song's attributes", async () => {
      const { runs, changeLog } = fx.stores;
      const { lease } = await fx.startedObject();
      const list = Array.from({ length: 7 }, (_, i) =>
        ingested(songRow(`s${i}`), [unit(1, i, 0, 0), unit(0, 1, i, 0)]),
      );
      await runs.commitBatch(await fx.batchOf(lease, list));
      const batches: PassageVector[][] = [];
      for await (const batch of changeLog.streamPassageVectors(model.name, 5)) batches.push(batch);
      expect(batches.map((b) => b.length)).toEqual([5, 5, 4]);
      expect(new Set(batches.flat().map((e) => e.id)).size).toBe(14);
      expect(batches.flat().map((e) => e.song.songId)).toEqual(list.flatMap((s) => [s.song.id, s.song.id]));
      expect(await collect(changeLog.streamPassageVectors("unknown-model"))).toEqual([]);
    });

    it("answers what changed after a catalog version from its change log", async () => {
      const { runs, changeLog } = fx.stores;
      const { lease } = await fx.startedObject();
      const start = await changeLog.catalogVersion();
      const first = await runs.commitBatch(
        await fx.batchOf(lease, [ingested(songRow("s1"), [unit(1, 0, 0, 0)])]),
      );
      const second = await runs.commitBatch(
        await fx.batchOf(lease, [
          ingested(songRow("s1"), [unit(0, 1, 0, 0)]),
          ingested(songRow("s2"), [unit(0, 0, 1, 0)]),
        ]),
      );
      const all = await changeLog.changesSince(start, model.name);
      expect(all!.catalogVersion).toBe(second!.catalogVersion);
      expect(all!.removed).toEqual(first!.added.map((a) => a.id));
      expect((await collect(all!.added)).map((a) => a.id).sort()).toEqual(
        second!.added.map((a) => a.id).sort(),
      );
      const recent = await changeLog.changesSince(first!.catalogVersion, model.name);
      expect((await collect(recent!.added)).map((a) => a.song.songId).sort()).toEqual(["s1", "s2"]);
      const none = await changeLog.changesSince(second!.catalogVersion, model.name);
      expect(none!.removed).toEqual([]);
      expect(await collect(none!.added)).toEqual([]);
      // Newer than the catalog: something is wrong with that index.
      expect(await changeLog.changesSince(second!.catalogVersion + 5, model.name)).toBeNull();
      await changeLog.pruneChanges(0);
      expect(await changeLog.changesSince(start, model.name)).toBeNull();
      expect(await changeLog.changesSince(second!.catalogVersion, model.name)).not.toBeNull();
    });

    it("keeps the last versions it is asked to keep when pruned", async () => {
      const { runs, changeLog } = fx.stores;
      const { lease } = await fx.startedObject();
      const start = await changeLog.catalogVersion();
      for (const vector of [unit(1, 0, 0, 0), unit(0, 1, 0, 0), unit(0, 0, 1, 0)]) {
        await runs.commitBatch(await fx.batchOf(lease, [ingested(songRow("s1"), [vector])]));
      }
      await changeLog.pruneChanges(2);
      expect(await changeLog.changesSince(start, model.name)).toBeNull();
      expect(await changeLog.changesSince(start + 1, model.name)).not.toBeNull();
      // Pruning less than before never brings the log back.
      await changeLog.pruneChanges(3);
      expect(await changeLog.changesSince(start, model.name)).toBeNull();
    });

    it("logs the passages of songs that leave with their object", async () => {
      const { objects, changeLog } = fx.stores;
      const { object } = await fx.ingestedObject("a.csv", [ingested(songRow("s1"), [unit(1, 0, 0, 0)])]);
      const before = await changeLog.catalogVersion();
      const removed = await objects.removeObject(object.id);
      const changes = await changeLog.changesSince(before, model.name);
      expect(changes!.catalogVersion).toBe(removed!.catalogVersion);
      expect(changes!.removed).toEqual(removed!.removed);
      expect(changes!.removed).toHaveLength(1);
      expect(await collect(changes!.added)).toEqual([]);
    });
  });
}
