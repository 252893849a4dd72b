/**
 * The contract of CatalogStatusStore, what the catalog status shows: the catalog's totals, its
 * objects a page at a time (a page after the last id of the one before), and each object's
 * first bad rows.
 */
import { describe, expect, it } from "vitest";
import { catalogFixture, ingested, songRow, unit, type OpenCatalogStores } from "./catalog-fixtures.js";

export function describeCatalogStatusStoreContract(name: string, open: OpenCatalogStores) {
  describe(`catalog status store contract: ${name}`, () => {
    const fx = catalogFixture(open);

    it("counts songs, passages and objects by status, with the catalog version", async () => {
      const { status, runs, changeLog } = fx.stores;
      expect(await status.totals()).toEqual({
        songs: 0,
        songsWithPassages: 0,
        passages: 0,
        objects: { queued: 0, processing: 0, done: 0, failed: 0 },
        catalogVersion: await changeLog.catalogVersion(),
      });
      await fx.ingestedObject("done.csv", [
        ingested(songRow("s1"), [unit(1, 0, 0, 0), unit(0, 1, 0, 0)]),
        ingested(songRow("s2"), []),
      ]);
      const failing = await fx.startedObject("failed.csv");
      await runs.finishObject(failing.lease, { status: "failed", error: "unreadable" }, fx.now);
      await fx.startedObject("processing.csv");
      await fx.offer("queued.csv");
      expect(await status.totals()).toEqual({
        songs: 2,
        songsWithPassages: 1,
        passages: 2,
        objects: { queued: 1, processing: 1, done: 1, failed: 1 },
        catalogVersion: await changeLog.catalogVersion(),
      });
    });

    it("lists objects a page at a time, each page after the last id of the one before", async () => {
      const { status } = fx.stores;
      const recorded = [];
      for (const key of ["d.csv", "b.csv", "c.csv", "a.csv", "e.csv"])
        recorded.push((await fx.offer(key)).object);
      const ids = recorded.map((o) => o.id);
      const pages: number[][] = [];
      let afterId: number | undefined;
      for (;;) {
        const page = await status.listObjects({ ...(afterId !== undefined ? { afterId } : {}), limit: 2 });
        if (page.length === 0) break;
        pages.push(page.map((o) => o.id));
        afterId = page.at(-1)!.id;
      }
      expect(pages).toEqual([ids.slice(0, 2), ids.slice(2, 4), ids.slice(4)]);
      expect((await status.listObjects()).map((o) => o.key)).toEqual([
        "d.csv",
        "b.csv",
        "c.csv",
        "a.csv",
        "e.csv",
      ]);
    });

    it("answers the first bad rows of each object asked for, by line", async () => {
      const { status, runs } = fx.stores;
      const rowsOf = async (key: string, lines: number[]) => {
        const { object, lease } = await fx.startedObject(key);
        const rowErrors = lines.map((line) => ({
          line,
          reason: `bad line ${line}`,
          kind: "skipped" as const,
        }));
        await runs.commitBatch(
          await fx.batchOf(lease, [], {
            rowErrors,
            counts: { songs: 0, passages: 0, skipped: 0, errors: lines.length, changed: 0 },
          }),
        );
        return object.id;
      };
      const a = await rowsOf("a.csv", [9, 3, 5]);
      const b = await rowsOf("b.csv", [2]);
      const clean = await rowsOf("clean.csv", []);
      const errors = await status.rowErrors([a, b, clean], 2);
      expect(errors.get(a)).toEqual([
        { line: 3, reason: "bad line 3", kind: "skipped" },
        { line: 5, reason: "bad line 5", kind: "skipped" },
      ]);
      expect(errors.get(b)).toEqual([{ line: 2, reason: "bad line 2", kind: "skipped" }]);
      expect(errors.has(clean)).toBe(false);
      expect((await status.rowErrors([b], 10)).has(a)).toBe(false);
      expect((await status.rowErrors([], 10)).size).toBe(0);
      expect((await status.rowErrors([a], 0)).size).toBe(0);
    });
  });
}
