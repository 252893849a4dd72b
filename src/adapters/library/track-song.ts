/**
 * A song of a music library as the catalog stores it: its tags, its lyrics (timestamps kept in
 * its origin for display, taken out of what is searched), its id stable for its place in the
 * library, and the row event a catalog object's reader yields.
 */
import { createHash } from "node:crypto";
import type { IAudioMetadata } from "music-metadata";
import type { CsvRowEvent } from "../../core/catalog/csv.js";
import type { SongRow } from "../../core/catalog/layout.js";
import { emptyFeatures, type SongOrigin } from "../../core/catalog/song.js";
import { isTimedLyrics, toLrc, untimedLyrics } from "../../core/catalog/timed-lyrics.js";

export interface TrackFacts {
  title: string;
  artists: readonly string[];
  album?: string | undefined;
  genre?: string | undefined;
  year?: number | undefined;
  /** A full date when the tags have one (YYYY-MM-DD), else the year alone is used. */
  date?: string | undefined;
  durationSeconds?: number | undefined;
}

export interface FoundLyrics {
  /** As found: plain, or LRC with its timestamps. */
  text: string;
  from: NonNullable<SongOrigin["lyricsFrom"]>;
}

/** A song id no other source or place gives: its prefix tells the kind of library. */
export function librarySongId(prefix: "f" | "s", source: string, place: string): string {
  const digest = createHash("sha256").update(`${source}\u0000${place}`).digest("base64url");
  return `${prefix}-${digest.slice(0, 22)}`;
}

const clean = (value: string | undefined) => {
  const trimmed = value?.replace(/\s+/g, " ").trim();
  return trimmed ? trimmed : undefined;
};

/** The catalog's song for a track: its facts, its lyrics (or none), where it is. */
export function trackSongRow(
  id: string,
  facts: TrackFacts,
  lyrics: FoundLyrics | undefined,
  origin: SongOrigin,
): SongRow {
  const timed = lyrics !== undefined && isTimedLyrics(lyrics.text);
  const searched = lyrics === undefined ? "" : timed ? untimedLyrics(lyrics.text) : lyrics.text.trim();
  const date = facts.date && /^\d{4}-\d{2}-\d{2}/.test(facts.date) ? facts.date.slice(0, 10) : undefined;
  const year =
    facts.year && facts.year > 0 && facts.year < 10_000 ? String(facts.year).padStart(4, "0") : undefined;
  const fullOrigin: SongOrigin = {
    ...origin,
    ...(lyrics && searched ? { lyricsFrom: lyrics.from } : {}),
    ...(timed && searched ? { timedLyrics: lyrics.text.replace(/\r\n?/g, "\n").trim() } : {}),
  };
  return {
    id,
    title: clean(facts.title) ?? "Untitled",
    artists: [...new Set(facts.artists.flatMap((artist) => clean(artist) ?? []))],
    album: clean(facts.album) ?? null,
    genre: clean(facts.genre) ?? null,
    language: null,
    releaseDate: date ?? year ?? null,
    features: {
      ...emptyFeatures(),
      durationMs:
        facts.durationSeconds && facts.durationSeconds > 0 ? Math.round(facts.durationSeconds * 1000) : null,
    },
    popularity: null,
    lyrics: searched,
    origin: fullOrigin,
  };
}

/** A one-song object's row event: the whole object is its one row. */
export const trackRowEvent = (song: SongRow, bytes: number): CsvRowEvent => ({
  kind: "song",
  row: 1,
  line: 1,
  lines: 1,
  bytes,
  song,
  notes: [],
});

/** What music-metadata read of a file's tags, as track facts. */
export function tagFacts(metadata: IAudioMetadata, fallbackTitle: string): TrackFacts {
  const { common, format } = metadata;
  const artists = common.artists?.length ? common.artists : common.artist ? [common.artist] : [];
  return {
    title: common.title ?? fallbackTitle,
    artists,
    album: common.album,
    genre: common.genre?.[0],
    year: common.year,
    date: common.date,
    durationSeconds: format.duration,
  };
}

/** The lyrics in a file's tags: unsynchronized text, or synchronized lines written as LRC. */
export function tagLyrics(metadata: IAudioMetadata): FoundLyrics | undefined {
  for (const tag of metadata.common.lyrics ?? []) {
    if (tag.text?.trim()) return { text: tag.text, from: "tags" };
    const lines = (tag.syncText ?? []).filter((line) => line.text.trim());
    if (lines.length > 0) {
      const text = toLrc(lines.map((line) => ({ startMs: line.timestamp ?? 0, text: line.text })));
      return { text, from: "tags" };
    }
  }
  return undefined;
}
