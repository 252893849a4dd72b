import { describe, expect, it } from "vitest";
import { catalogObject } from "../test/fixtures.js";
import { ingestRun, type CatalogObject } from "./catalog.js";

let lastId = 0;
const object = (key: string, values: Partial<CatalogObject>): CatalogObject =>
  catalogObject(key, { id: ++lastId, ...values });

describe("the ingest under way", () => {
  it("is none when nothing waits or is read", () => {
    expect(ingestRun([object("a.csv", {}), object("b.csv", { status: "failed" })])).toBeNull();
    expect(ingestRun([])).toBeNull();
  });

  it("weighs each file of the run by its size, and counts finished ones whole", () => {
    const run = ingestRun([
      object("old.csv", {
        queuedAt: "2025-12-01T00:00:00.000Z",
        finishedAt: "2025-12-01T00:01:00.000Z",
        songs: 130,
      }),
      // Queued first by the same scan, and done while the next one is read.
      object("done.csv", {
        queuedAt: "2026-01-02T00:00:00.000Z",
        finishedAt: "2026-01-02T00:00:30.000Z",
        size: 1000,
        songs: 40,
      }),
      object("half.csv", {
        queuedAt: "2026-01-02T00:00:01.000Z",
        status: "processing",
        size: 3000,
        progress: 0.5,
        songs: 20,
      }),
      object("next.csv", { queuedAt: "2026-01-02T00:00:02.000Z", status: "queued", size: 4000, progress: 0 }),
    ]);
    // The file ingested a month ago is not part of this run.
    expect(run).toEqual({
      progress: (1000 + 1500) / 8000,
      objects: { total: 3, done: 1, failed: 0 },
      songs: 60,
    });
  });

  it("rises as the files are read", () => {
    const at = (progress: number) =>
      ingestRun([
        object("a.csv", { status: "processing", progress }),
        object("b.csv", { status: "queued", progress: 0 }),
      ])!.progress;
    expect(at(0.1)).toBeLessThan(at(0.6));
    expect(at(0.6)).toBeLessThan(at(1));
    expect(at(1)).toBe(0.5);
  });

  it("does not fall back when the first file of a scan is done before the others", () => {
    const queued = (key: string, second: number) =>
      object(key, { queuedAt: `2026-01-02T00:00:0${second}.000Z` });
    const reading = ingestRun([
      { ...queued("a.csv", 0), status: "processing", progress: 0.9 },
      { ...queued("b.csv", 1), status: "queued", progress: 0 },
    ])!;
    const firstDone = ingestRun([
      { ...queued("a.csv", 0), status: "done", finishedAt: "2026-01-02T00:00:40.000Z" },
      { ...queued("b.csv", 1), status: "processing", progress: 0.1 },
    ])!;
    expect(firstDone.progress).toBeGreaterThan(reading.progress);
    expect(firstDone.objects).toEqual({ total: 2, done: 1, failed: 0 });
  });
});
