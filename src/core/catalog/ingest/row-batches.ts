/**
 * CSV rows gathered into batches for one embedding request and one commit each: songs with
 * their lyrics judged and split into passages (a song without usable lyrics has none), bad
 * rows, and the position after the batch's last row, where a restarted worker resumes.
 */
import type { CsvRowEvent } from "../csv.js";
import { guessLanguage } from "../language.js";
import { judgeLyrics, toPassages, type ChunkOptions } from "../lyrics.js";
import type { IngestedSong, RowReport } from "../store.js";

export interface RowBatch {
  songs: {
    song: IngestedSong["song"];
    line: number;
    status: IngestedSong["lyricsStatus"];
    passages: string[];
  }[];
  /** Bad rows (skipped) and the values changed or left out of the songs (changed). */
  rowErrors: RowReport[];
  /** Songs with at least one value changed or left out. */
  changedRows: number;
  rowsDone: number;
  linesDone: number;
  bytesDone: number;
  passageCount: number;
}

/** Rows (songs and bad rows together) after which a batch is full, however few passages it holds. */
const ROWS_PER_BATCH = 256;

const emptyBatch = (): RowBatch => ({
  songs: [],
  rowErrors: [],
  changedRows: 0,
  rowsDone: 0,
  linesDone: 0,
  bytesDone: 0,
  passageCount: 0,
});

export class RowBatcher {
  private pending = emptyBatch();

  constructor(
    private readonly options: {
      chunking: ChunkOptions;
      /** Passages after which a batch is full. */
      batchPassages: number;
    },
  ) {}

  /** Adds a row; answers the batch it filled, if it did. */
  add(event: CsvRowEvent): RowBatch | null {
    const pending = this.pending;
    if (event.kind === "error") {
      pending.rowErrors.push({ line: event.line, reason: event.reason, kind: "skipped" });
    } else {
      for (const note of event.notes)
        pending.rowErrors.push({ line: event.line, reason: note, kind: "changed" });
      if (event.notes.length > 0) pending.changedRows += 1;
      const lyrics = judgeLyrics(event.song.lyrics);
      const passages = lyrics.status === "ok" ? toPassages(lyrics.text, this.options.chunking) : [];
      const song = { ...event.song, lyrics: lyrics.status === "ok" ? lyrics.text : event.song.lyrics.trim() };
      if (!song.language && lyrics.status === "ok") song.language = guessLanguage(lyrics.text);
      pending.songs.push({ song, line: event.line, status: lyrics.status, passages });
      pending.passageCount += passages.length;
    }
    pending.rowsDone = event.row;
    pending.linesDone = event.lines;
    pending.bytesDone = event.bytes;
    const full =
      pending.passageCount >= this.options.batchPassages ||
      pending.songs.length + pending.rowErrors.length >= ROWS_PER_BATCH;
    if (!full) return null;
    this.pending = emptyBatch();
    return pending;
  }

  /** The batch of the rows added since the last full one, if there were any. */
  rest(): RowBatch | null {
    const pending = this.pending;
    this.pending = emptyBatch();
    return pending.rowsDone > 0 ? pending : null;
  }
}
