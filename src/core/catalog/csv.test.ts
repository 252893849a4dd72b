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
    // The unclosed quote swallowed the next line: one bad row, that says which lines it took.
    expect(errors[2]).toMatchObject({
      line: 5,
      reason: "has 2 fields where the header has 4 (lines 5 to 6: an unclosed quote?)",
    });
    expect(events.map((e) => e.row)).toEqual([1, 2, 3, 4]);
  });

  it("reads a stray quote as written: one bad quote is never six bad rows, nor rows lost after it", async () => {
    const csv = [
      "id,name,artists,lyrics",
      "s1,A,Ann,la la",
      's2,Title "quoted" wrong,Ann,la la',
      's3,"Quoted" then more,Ann,la la',
      's4,D,Ann,"bad "quote" inside"',
      "s5,E,Ann,la la",
    ].join("\n");
    const events = await collect(`${csv}\n`);
    expect(events.map((e) => [e.kind, e.line])).toEqual([
      ["song", 2],
      ["song", 3],
      ["song", 4],
      ["song", 5],
      ["song", 6],
    ]);
    expect(events[1]).toMatchObject({ song: { title: 'Title "quoted" wrong' } });
    expect(events[3]).toMatchObject({ song: { lyrics: expect.stringContaining('bad "quote" inside') } });
  });

  it("reports one bad record once, at the line it began, and numbers the rows after it right", async () => {
    // A quote never closed to the end of the object: the parser's own error, reported once.
    const csv = 'id,name,artists,lyrics\ns1,A,Ann,la\ns2,B,Ann,"never closed\nmore\nand more\n';
    const events = await collect(csv);
    expect(events.map((e) => [e.kind, e.line])).toEqual([
      ["song", 2],
      ["error", 3],
    ]);
    expect(events[1]).toMatchObject({ reason: expect.stringMatching(/^unreadable CSV: Quote Not Closed/) });
  });

  it("tells every value it changed or left out, on the row's own line", async () => {
    const csv = [
      "id,name,artists,tempo,duration_ms,energy,lyrics",
      "s1,A,Ann,-100,-1,1e309,la",
      "s2,B,\"['=cmd|' /C calc'!A0']\",NaN,Infinity,0.5,la",
      "s3,C\u200b,Ann,120,200000,0.5,la",
    ].join("\n");
    const events = await collect(`${csv}\n`);
    const notes = events.map((e) => (e.kind === "song" ? e.notes.map((n) => n.split("\n")[0]) : []));
    expect(notes[0]).toEqual([
      "energy is not a finite number: left out",
      "tempo is outside 0 to 400: left out",
      "duration_ms is outside 0 to 86400000: left out",
    ]);
    expect(notes[1]).toEqual([
      "artists is not a list as written: kept whole, as one name",
      "tempo is not a finite number: left out",
      "duration_ms is not a finite number: left out",
    ]);
    expect(events[1]).toMatchObject({ song: { artists: ["['=cmd|' /C calc'!A0']"] } });
    expect(notes[2]).toEqual(["zero-width characters taken out of title"]);
  });

  it("refuses a row with a NUL character in a cell it stores, as a bad row, and goes on", async () => {
    const events = await collect("id,name,artists,lyrics\ns1,Bad\u0000Title,Ann,la\ns2,Good,Ann,la\n");
    expect(events.map((e) => e.kind)).toEqual(["error", "song"]);
    expect(events[0]).toMatchObject({ line: 2, reason: "title holds a NUL character (U+0000)" });
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
