/**
 * Streams a catalog CSV into songs, one record at a time, so an object of any size is read in
 * bounded memory: a record longer than a limit (an unclosed quote would otherwise swallow the
 * rest of the file into one field) stops the object with the reason. Every row that cannot
 * become a song is reported with its line and reason; none of them stops the object. Only an
 * unreadable header does (LayoutError).
 *
 * A worker that stopped midway resumes where it left off: given the header it read before and
 * the position it reached (row, line, byte), the stream is read from that byte on.
 */
import type { Readable } from "node:stream";
import { parse, type CsvError, type InfoRecord } from "csv-parse";
import { detectLayout, LayoutError, readRow, type CsvLayout, type SongRow } from "./layout.js";
import { UnreadableObjectError } from "./unreadable.js";

/** A row read: a song (with notes on the values changed or left out on the way) or a bad row. */
export type CsvRowEvent =
  | { kind: "song"; row: number; line: number; lines: number; bytes: number; song: SongRow; notes: string[] }
  | { kind: "error"; row: number; line: number; lines: number; bytes: number; reason: string };

export interface CsvLimits {
  /** Longest record, in characters. */
  maxRecordChars: number;
  /** Longest lyrics of one song, in characters; a longer one is a bad row. */
  maxLyricsChars: number;
}

export const defaultCsvLimits: CsvLimits = { maxRecordChars: 1_000_000, maxLyricsChars: 100_000 };

export interface CsvPosition {
  /** Data rows consumed so far, bad ones included. */
  row: number;
  /** The last line consumed. */
  line: number;
  /** Bytes of the object consumed: where the stream given starts. */
  byte: number;
}

export interface CsvReadOptions {
  limits?: CsvLimits;
  /** Resuming: the header record read before, and where the given stream starts. */
  resume?: { header: string[]; position: CsvPosition };
  onLayout?: (layout: CsvLayout) => void;
}

interface Record_ {
  record: string[];
  info: { lines: number; bytes: number };
}

/** Line breaks inside a record's fields: how many lines before its last one it began. */
const innerLineBreaks = (record: readonly string[]): number =>
  record.reduce((n, field) => n + (field.match(/\r\n|\n|\r/g)?.length ?? 0), 0);

/**
 * A quote inside a field that is not quoted (`Title "live" edit`), or text after a closing
 * quote, is read as it is written, as most CSV writers mean it, rather than failing the row.
 */
const parserOptions = (limits: CsvLimits) => ({
  bom: true,
  info: true,
  relax_column_count: true,
  relax_quotes: true,
  skip_empty_lines: true,
  skip_records_with_error: true,
  max_record_size: limits.maxRecordChars,
});

/** The header record of an object, read from the start of its stream (which is then closed). */
export async function readCsvHeader(
  input: Readable,
  limits: CsvLimits = defaultCsvLimits,
): Promise<string[]> {
  const parser = parse({ ...parserOptions(limits), to_line: 1 });
  input.on("error", (error) => parser.destroy(error));
  input.pipe(parser);
  try {
    for await (const { record } of parser as AsyncIterable<Record_>) return record;
  } finally {
    input.unpipe(parser);
    input.destroy();
  }
  throw new LayoutError("the object is empty: no header row");
}

/**
 * The parser of the object's records, from where `start` is, with the bad records it skipped:
 * each once, at the line it began (a bad record may hold several errors, and may swallow the
 * lines after it into an unclosed quote: it is one bad row, that says which lines it took).
 * `tooLargeAt` is the line of a record beyond the size limit, past which nothing is trusted.
 */
function recordParser(limits: CsvLimits, start: CsvPosition) {
  const state = {
    skipped: [] as { line: number; reason: string }[],
    tooLargeAt: undefined as number | undefined,
  };
  /** As the parser goes (ahead of its reader): the last line of the last record it read, good or bad. */
  let parsedTo = start.line;
  /** The records count of the bad record last reported. */
  let reportedBadRecord: number | undefined;
  const parser = parse({
    ...parserOptions(limits),
    on_record: (record: string[], context: InfoRecord) => {
      parsedTo = start.line + context.lines;
      return record;
    },
    on_skip: (error: CsvError | undefined) => {
      const line = start.line + (typeof error?.lines === "number" ? error.lines : 0);
      if (error?.code === "CSV_MAX_RECORD_SIZE") {
        // Past such a record the parser cannot be trusted to find where the next one starts.
        state.tooLargeAt ??= line;
        return undefined;
      }
      const records = typeof error?.records === "number" ? error.records : undefined;
      if (records !== undefined && records === reportedBadRecord) return undefined;
      reportedBadRecord = records;
      const from = parsedTo + 1;
      parsedTo = Math.max(parsedTo, line);
      // The parser's message quotes the record: on the second line, for administrators only.
      const [kind = "malformed record", ...detail] = (error?.message ?? "malformed record").split(":");
      const span = line > from ? ` (lines ${from} to ${line}: an unclosed quote?)` : "";
      state.skipped.push({
        line: from,
        reason: `unreadable CSV: ${kind}${span}${detail.length > 0 ? `\n${detail.join(":").trim()}` : ""}`,
      });
      return undefined;
    },
  });
  return { parser, state };
}

export async function* readCatalogCsv(
  input: Readable,
  options: CsvReadOptions = {},
): AsyncGenerator<CsvRowEvent> {
  const limits = options.limits ?? defaultCsvLimits;
  const start = options.resume?.position ?? { row: 0, line: 0, byte: 0 };
  const { parser, state } = recordParser(limits, start);
  const { skipped } = state;
  input.on("error", (error) => parser.destroy(error));
  input.pipe(parser);

  let layout: CsvLayout | undefined;
  let width = 0;
  if (options.resume) {
    layout = detectLayout(options.resume.header);
    width = options.resume.header.length;
    options.onLayout?.(layout);
  }
  let row = start.row;
  /** Where the next record begins: the line after the one the previous record ended on. */
  let nextLine = start.line + 1;
  let lines = start.line;
  let bytes = start.byte;
  // The parser reads ahead of this loop, so a skipped record is reported when the loop gets
  // to its line: the order of rows, and so the resume position, is the same on every run.
  function* skipsBefore(line: number): Generator<CsvRowEvent> {
    while (skipped.length > 0 && skipped[0]!.line < line) {
      const skip = skipped.shift()!;
      row += 1;
      yield { kind: "error", row, line: skip.line, lines, bytes, reason: skip.reason };
    }
  }
  for await (const { record, info } of parser as AsyncIterable<Record_>) {
    // Records the parser read before the one too long are good; nothing after it is.
    if (state.tooLargeAt !== undefined && start.line + info.lines > state.tooLargeAt) break;
    // Where it began: its last line less the line breaks inside it (a bad record skipped before
    // it, or empty lines, put it further down than the line after the previous record).
    const line = Math.max(nextLine, start.line + info.lines - innerLineBreaks(record));
    lines = start.line + info.lines;
    nextLine = lines + 1;
    bytes = start.byte + info.bytes;
    if (!layout) {
      layout = detectLayout(record);
      width = record.length;
      options.onLayout?.(layout);
      continue;
    }
    yield* skipsBefore(line);
    row += 1;
    const at = { row, line, lines, bytes };
    if (record.length !== width) {
      // Over several lines, it most likely swallowed rows into a field: said, with where.
      const span = lines > line ? ` (lines ${line} to ${lines}: an unclosed quote?)` : "";
      yield {
        kind: "error",
        ...at,
        reason: `has ${record.length} fields where the header has ${width}${span}`,
      };
      continue;
    }
    const result = readRow(layout, record);
    if (result.ok && result.song.lyrics.length > limits.maxLyricsChars) {
      yield {
        kind: "error",
        ...at,
        reason: `lyrics of ${result.song.lyrics.length} characters; at most ${limits.maxLyricsChars}`,
      };
      continue;
    }
    yield result.ok
      ? { kind: "song", ...at, song: result.song, notes: result.notes }
      : { kind: "error", ...at, reason: result.reason };
  }
  if (state.tooLargeAt !== undefined) {
    input.destroy();
    throw new UnreadableObjectError(
      `line ${nextLine}: a record longer than ${limits.maxRecordChars} characters (an unclosed quote?)`,
    );
  }
  if (layout) yield* skipsBefore(Number.POSITIVE_INFINITY);
  if (!layout) throw new LayoutError("the object is empty: no header row");
}
