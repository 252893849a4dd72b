/**
 * A folder of CSV objects through the pipeline: three layouts, bad rows, a broken object,
 * the same song in two objects; then a second run that finds nothing new, and a change to
 * one object that re-ingests that object only.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CatalogObject } from "../../src/core/catalog/store.js";
import { ingestOnce } from "../../src/roles/ingest-once.js";
import { openTestVerso, tempDir, writeCsv } from "../support/verso.js";

const lyric = (theme: string) =>
  `I sing about ${theme} in the morning\nand ${theme} again at night\n\n${theme} is all I know\nso I hold it tight`;

const original = ["id", "name", "album_name", "artists", "energy", "valence", "lyrics"];
const perArtist = ["", "Artist", "Title", "Album", "Year", "Date", "Lyric"];
const perArtistReordered = ["Artist", "Title", "Album", "Date", "Lyric", "Year"];

describe("ingesting a folder", () => {
  const bucket = tempDir("verso-bucket-");
  let t: Awaited<ReturnType<typeof openTestVerso>>;
  const byKey = (objects: CatalogObject[]) => Object.fromEntries(objects.map((o) => [o.key, o]));
  let first: Record<string, CatalogObject>;

  beforeAll(async () => {
    writeCsv(path.join(bucket, "original.csv"), original, [
      ["s1", "Harbour", "Coast", "['Ann Lee', 'Bo']", "0.4", "0.5", lyric("the sea")],
      ["s2", "", "Coast", "['Ann Lee']", "0.4", "0.5", lyric("a missing title")],
      ["s3", "Quiet", "Coast", "['Ann Lee']", "0.1", "0.2", "Instrumental"],
      ["s4", "Nothing", "Coast", "['Ann Lee']", "0.1", "0.2", ""],
      ["s5", "Mother", "Home", "['Cy']", "0.3", "0.8", lyric("my mother")],
    ]);
    writeCsv(path.join(bucket, "artists", "one.csv"), perArtist, [
      [0, "Dee", "Shared Song", "X", "2019", "2019-05-01", lyric("the road")],
      [1, "Dee", "Own Song", "X", "2018", "nan", lyric("the rain")],
    ]);
    writeCsv(path.join(bucket, "artists", "two.csv"), perArtistReordered, [
      ["dee", "shared  song", "X", "None", lyric("the road"), "2019"],
    ]);
    writeCsv(path.join(bucket, "no-lyrics.csv"), ["id", "name", "artists"], [["z1", "Z", "['Z']"]]);
    fs.writeFileSync(path.join(bucket, "notes.txt"), "not a catalog object");

    t = await openTestVerso();
    const run = await ingestOnce(t.verso, `file://${bucket}`);
    first = byKey(run.objects);
  }, 300_000);
  afterAll(async () => {
    await t?.close();
    fs.rmSync(bucket, { recursive: true, force: true });
  });

  it("processes every CSV object, accounting for each row", () => {
    expect(Object.keys(first).sort()).toEqual([
      "artists/one.csv",
      "artists/two.csv",
      "no-lyrics.csv",
      "original.csv",
    ]);
    expect(first["original.csv"]).toMatchObject({ status: "done", songs: 4, skipped: 2, errors: 1 });
    expect(first["artists/one.csv"]).toMatchObject({ status: "done", songs: 2, skipped: 0, errors: 0 });
    expect(first["artists/two.csv"]).toMatchObject({ status: "done", songs: 1 });
  });

  it("marks an object without a lyrics column as failed, with the reason, and goes on", async () => {
    expect(first["no-lyrics.csv"]).toMatchObject({ status: "failed", songs: 0 });
    expect(first["no-lyrics.csv"]!.error).toMatch(/no lyrics \(lyrics \/ lyric\) column/);
    const status = (await t.app.inject({ method: "GET", url: "/api/catalog/status" })).json();
    expect(status.objects).toMatchObject({ done: 3, failed: 1 });
  });

  it("reports each bad row with its line and reason", async () => {
    const id = first["original.csv"]!.id;
    expect((await (await t.verso.catalogStores()).status.rowErrors([id], 10)).get(id)).toEqual([
      { line: 7, reason: "no title", kind: "skipped" }, // the row before spans lines 2-6
    ]);
  });

  it("stores songs without lyrics, without passages", async () => {
    for (const id of ["s3", "s4"]) {
      expect(await (await t.verso.songStore()).getSong(id)).toMatchObject({ id });
      expect(
        await (await t.verso.songStore()).passagesOfSongs([id], (await t.verso.embedder()).model.name),
      ).toEqual([]);
    }
    expect(
      (await (await t.verso.songStore()).passagesOfSongs(["s1"], (await t.verso.embedder()).model.name))
        .length,
    ).toBeGreaterThan(0);
  });

  it("keeps the same song from two objects as one song", async () => {
    const totals = await (await t.verso.catalogStores()).status.totals();
    expect(totals.songs).toBe(4 + 2);
  });

  it("processes nothing when nothing changed, even if a file was touched", async () => {
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(path.join(bucket, "original.csv"), later, later);
    const again = await ingestOnce(t.verso, `file://${bucket}`);
    expect(again.objects).toEqual([]);
    expect(again.listed).toBe(4);
  });

  it("re-ingests only the object that changed", async () => {
    const version = await (await t.verso.catalogStores()).changeLog.catalogVersion();
    writeCsv(path.join(bucket, "artists", "one.csv"), perArtist, [
      [0, "Dee", "Shared Song", "X", "2019", "2019-05-01", lyric("the road")],
      [1, "Dee", "Own Song", "X", "2018", "nan", lyric("the rain")],
      [2, "Dee", "New Song", "X", "2020", "2020-01-01", lyric("the snow")],
    ]);
    const run = await ingestOnce(t.verso, `file://${bucket}`);
    expect(run.objects.map((o) => o.key)).toEqual(["artists/one.csv"]);
    expect(run.objects[0]).toMatchObject({ status: "done", songs: 3 });
    expect(await (await t.verso.catalogStores()).changeLog.catalogVersion()).toBeGreaterThan(version);
    const original = (await (await t.verso.catalogStores()).objects.listObjects()).find(
      (o) => o.key === "original.csv",
    )!;
    expect(original.finishedAt).toBe(first["original.csv"]!.finishedAt);
    expect((await (await t.verso.catalogStores()).status.totals()).songs).toBe(7);
  });
});
