/**
 * Streams a catalog CSV into songs, one record at a time, so an object of any size is read in
 * bounded memory. Every row that cannot become a song is reported with its line and reason;
 * none of them stops the object. Only an unreadable header does (LayoutError).
 */
import type { Readable } from "node:stream";
import { parse, type CsvError } from "csv-parse";
import { detectLayout, LayoutError, readRow, type CsvLayout, type SongRow } from "./layout.js";

export type CsvRowEvent =
  | { kind: "song"; row: number; line: number; bytes: number; song: SongRow }
  | { kind: "error"; row: number; line: number; bytes: number; reason: string };

interface Record_ {
  record: string[];
  info: { lines: number; bytes: number };
}

export async function* readCatalogCsv(
  input: Readable,
  onLayout?: (layout: CsvLayout) => void,
): AsyncGenerator<CsvRowEvent> {
  const skipped: { line: number; bytes: number; reason: string }[] = [];
  const parser = parse({
    bom: true,
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    on_skip: (error: CsvError | undefined) => {
      const line = typeof error?.lines === "number" ? error.lines : 0;
      skipped.push({ line, bytes: 0, reason: `unreadable CSV: ${error?.message ?? "malformed record"}` });
      return undefined;
    },
  });
  input.on("error", (error) => parser.destroy(error));
  input.pipe(parser);

  let layout: CsvLayout | undefined;
  let width = 0;
  let row = 0;
  /** Where the next record begins: the line after the one the previous record ended on. */
  let nextLine = 1;
  // The parser reads ahead of this loop, so a skipped record is reported when the loop gets
  // to its line: the order of rows, and so the resume position, is the same on every run.
  function* skipsBefore(line: number, bytes: number): Generator<CsvRowEvent> {
    while (skipped.length > 0 && skipped[0]!.line < line) {
      const skip = skipped.shift()!;
      row += 1;
      yield { kind: "error", row, line: skip.line, bytes, reason: skip.reason };
    }
  }
  for await (const { record, info } of parser as AsyncIterable<Record_>) {
    const line = nextLine;
    nextLine = info.lines + 1;
    if (!layout) {
      layout = detectLayout(record);
      width = record.length;
      onLayout?.(layout);
      continue;
    }
    yield* skipsBefore(line, info.bytes);
    row += 1;
    const at = { row, line, bytes: info.bytes };
    if (record.length !== width) {
      yield { kind: "error", ...at, reason: `has ${record.length} fields where the header has ${width}` };
      continue;
    }
    const result = readRow(layout, record);
    yield result.ok
      ? { kind: "song", ...at, song: result.song }
      : { kind: "error", ...at, reason: result.reason };
  }
  if (layout) yield* skipsBefore(Number.POSITIVE_INFINITY, 0);
  if (!layout) throw new LayoutError("the object is empty: no header row");
}
