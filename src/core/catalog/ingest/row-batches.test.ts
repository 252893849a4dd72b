import { describe, expect, it } from "vitest";
import { songRow } from "../../../../test/catalog/fakes.js";
import type { CsvRowEvent } from "../csv.js";
import type { SongRow } from "../layout.js";
import { defaultChunking } from "../lyrics.js";
import { RowBatcher } from "./row-batches.js";

const spanish =
  "yo te quiero y no me dejas con la luz de la luna en el mar por que mi amor se va lejos de ti";

const song = (row: number, overrides: Partial<SongRow> = {}): CsvRowEvent => ({
  kind: "song",
  row,
  line: row + 1,
  lines: row + 1,
  bytes: row * 100,
  song: songRow(`s${row}`, {
    genre: null,
    language: null,
    lyrics: "words of a song about the night, the road and the long way home",
    ...overrides,
  }),
  notes: [],
});

const badRow = (row: number): CsvRowEvent => ({
  kind: "error",
  row,
  line: row + 1,
  lines: row + 1,
  bytes: row * 100,
  reason: "no title",
});

describe("gathering rows into batches", () => {
  it("guesses a missing language from the lyrics, and keeps a given one", () => {
    const batcher = new RowBatcher({ chunking: defaultChunking, batchPassages: 64 });
    batcher.add(song(1, { lyrics: spanish }));
    batcher.add(song(2, { lyrics: spanish, language: "pt" }));
    batcher.add(song(3, { lyrics: "  nan  " }));
    const batch = batcher.rest()!;
    expect(batch.songs.map((s) => [s.song.language, s.status])).toEqual([
      ["es", "ok"],
      ["pt", "ok"],
      [null, "placeholder"],
    ]);
    // Placeholder lyrics are kept as they were written, trimmed, without passages.
    expect(batch.songs[2]).toMatchObject({ song: { lyrics: "nan" }, passages: [] });
  });

  it("fills a batch at its number of passages, or at 256 rows of songs without any and bad rows", () => {
    const byPassages = new RowBatcher({ chunking: defaultChunking, batchPassages: 2 });
    expect(byPassages.add(song(1))).toBeNull();
    expect(byPassages.add(song(2))).toMatchObject({
      rowsDone: 2,
      linesDone: 3,
      bytesDone: 200,
      passageCount: 2,
    });
    expect(byPassages.rest()).toBeNull();

    const byRows = new RowBatcher({ chunking: defaultChunking, batchPassages: 64 });
    for (let row = 1; row < 256; row += 1) {
      expect(byRows.add(row % 2 === 0 ? badRow(row) : song(row, { lyrics: "" }))).toBeNull();
    }
    const full = byRows.add(badRow(256))!;
    expect(full.songs.length + full.rowErrors.length).toBe(256);
    expect(full).toMatchObject({ rowsDone: 256, passageCount: 0 });
  });

  it("ends with the rows added since the last full batch", () => {
    const batcher = new RowBatcher({ chunking: defaultChunking, batchPassages: 2 });
    batcher.add(song(1));
    batcher.add(song(2));
    batcher.add(badRow(3));
    expect(batcher.rest()).toMatchObject({
      rowsDone: 3,
      songs: [],
      rowErrors: [{ line: 4, reason: "no title" }],
    });
    expect(batcher.rest()).toBeNull();
  });
});
