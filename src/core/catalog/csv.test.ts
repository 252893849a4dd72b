import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { readCatalogCsv, readCsvHeader, type CsvRowEvent } from "./csv.js";
import { UnreadableObjectError } from "./unreadable.js";
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

  it("fails the object at a record beyond the size limit, such as an unclosed quote, after the rows before it", async () => {
    const csv =
      'id,name,artists,lyrics\na,A,X,fine words\nb,B,X,"never closed\n' + "more words\n".repeat(2000);
    const events: CsvRowEvent[] = [];
    const reading = (async () => {
      const limits = { maxRecordChars: 5000, maxLyricsChars: 100_000 };
      for await (const event of readCatalogCsv(Readable.from([Buffer.from(csv)]), { limits }))
        events.push(event);
    })();
    await expect(reading).rejects.toThrow(UnreadableObjectError);
    await expect(reading).rejects.toThrow(
      /line 3: a record longer than 5000 characters \(an unclosed quote\?\)/,
    );
    expect(events.map((e) => e.kind === "song" && e.song.id)).toEqual(["a"]);
  });

  it("reports lyrics beyond the length limit as a bad row", async () => {
    const csv = `id,name,artists,lyrics\na,A,X,${"la ".repeat(200)}\nb,B,X,short words\n`;
    const events: CsvRowEvent[] = [];
    const limits = { maxRecordChars: 100_000, maxLyricsChars: 300 };
    for await (const event of readCatalogCsv(Readable.from([Buffer.from(csv)]), { limits }))
      events.push(event);
    expect(events[0]).toMatchObject({
      kind: "error",
      line: 2,
      reason: "lyrics of 600 characters; at most 300",
    });
    expect(events[1]).toMatchObject({ kind: "song", song: { id: "b" } });
  });

  it("resumes from a byte offset with the header read before, numbering rows and lines on", async () => {
    const csv = "id,name,artists,lyrics\na,A,X,one\nb,B,X,two\nc,C,X,three\n";
    const all: CsvRowEvent[] = [];
    for await (const event of readCatalogCsv(Readable.from([Buffer.from(csv)]))) all.push(event);
    const header = await readCsvHeader(Readable.from([Buffer.from(csv)]));
    expect(header).toEqual(["id", "name", "artists", "lyrics"]);
    const first = all[0]!;
    const rest: CsvRowEvent[] = [];
    const tail = Buffer.from(csv).subarray(first.bytes);
    for await (const event of readCatalogCsv(Readable.from([tail]), {
      resume: { header, position: { row: first.row, line: first.lines, byte: first.bytes } },
    }))
      rest.push(event);
    expect(rest).toEqual(all.slice(1));
  });
});
