import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readCatalogCsv, type CsvRowEvent } from "./csv.js";
import { LayoutError } from "./layout.js";

const collect = async (text: string) => {
  const events: CsvRowEvent[] = [];
  for await (const event of readCatalogCsv(Readable.from([Buffer.from(text)]))) events.push(event);
  return events;
};

describe("readCatalogCsv", () => {
  it("streams rows with their line numbers, across quoted line breaks and CRLF", async () => {
    const csv =
      "track_id,track_name,track_artist,lyrics\r\n" +
      'a1,One,Ann,"first line\nsecond line"\r\n' +
      "b2,Two,Bo,plain words\r\n";
    const events = await collect(csv);
    expect(events.map((e) => e.kind)).toEqual(["song", "song"]);
    expect(events[0]).toMatchObject({
      row: 1,
      line: 2,
      song: { id: "a1", lyrics: "first line\nsecond line" },
    });
    expect(events[1]).toMatchObject({ row: 2, line: 4, song: { id: "b2", title: "Two" } });
  });

  it("reports every malformed row with its line and reason, and goes on", async () => {
    const csv = [
      "id,name,artists,lyrics",
      "a,Good,['X'],words",
      "b,Short row",
      ",No id,['X'],words",
      "c,\"Unclosed,['X'],words",
    ].join("\n");
    const csvTail = '\nd,Also good,X,"more words"\n';
    const events = await collect(csv + csvTail);
    const errors = events.filter((e) => e.kind === "error");
    expect(events.filter((e) => e.kind === "song").map((e) => e.kind === "song" && e.song.id)).toContain("a");
    expect(errors[0]).toMatchObject({ line: 3, reason: "has 2 fields where the header has 4" });
    expect(errors[1]).toMatchObject({ line: 4, reason: "no id" });
    expect(errors[2]).toMatchObject({
      line: 6,
      reason: expect.stringMatching(/^unreadable CSV: Invalid Closing Quote/),
    });
    expect(events.map((e) => e.row)).toEqual([1, 2, 3, 4]);
  });

  it("skips a byte order mark", async () => {
    const events = await collect("\uFEFFid,name,artists,lyrics\nx,T,A,l\n");
    expect(events[0]).toMatchObject({ kind: "song", song: { id: "x" } });
  });

  it("fails the object when the header has no lyrics column", async () => {
    await expect(collect("id,name,artists\nx,T,A\n")).rejects.toThrow(LayoutError);
  });

  it("fails an empty object", async () => {
    await expect(collect("")).rejects.toThrow(/empty/);
  });
});
