/**
 * Maps the columns of a catalog CSV to songs. Columns are matched by header name,
 * case-insensitively, so the three known layouts (the original system's, the Kaggle Spotify
 * one, the per-artist one) and any column order of them are read by the same code.
 */
import { createHash } from "node:crypto";
import { emptyFeatures, type AudioFeatures, type Song } from "./song.js";
import { UnreadableObjectError } from "./unreadable.js";

export type LayoutName = "original" | "spotify" | "per-artist" | "custom";

type Field =
  | "id"
  | "title"
  | "artists"
  | "album"
  | "genre"
  | "language"
  | "releaseDate"
  | "year"
  | "popularity"
  | "lyrics";

/** Header names that feed each field, in order of preference. */
const aliases: Record<Field, string[]> = {
  id: ["id", "track_id"],
  title: ["name", "track_name", "title"],
  artists: ["artists", "track_artist", "artist"],
  album: ["album_name", "track_album_name", "album"],
  genre: ["playlist_genre", "genre"],
  language: ["language"],
  releaseDate: ["track_album_release_date", "release_date", "date"],
  year: ["year"],
  popularity: ["track_popularity", "popularity"],
  lyrics: ["lyrics", "lyric"],
};

const featureColumns: Record<keyof AudioFeatures, string> = {
  danceability: "danceability",
  energy: "energy",
  key: "key",
  loudness: "loudness",
  mode: "mode",
  speechiness: "speechiness",
  acousticness: "acousticness",
  instrumentalness: "instrumentalness",
  liveness: "liveness",
  valence: "valence",
  tempo: "tempo",
  durationMs: "duration_ms",
};

/** Plausible bounds of each feature; a value outside is noise and is dropped. */
const featureBounds: Record<keyof AudioFeatures, [number, number]> = {
  danceability: [0, 1],
  energy: [0, 1],
  key: [-1, 11],
  loudness: [-80, 10],
  mode: [0, 1],
  speechiness: [0, 1],
  acousticness: [0, 1],
  instrumentalness: [0, 1],
  liveness: [0, 1],
  valence: [0, 1],
  tempo: [0, 400],
  durationMs: [0, 24 * 3600 * 1000],
};

export class LayoutError extends UnreadableObjectError {
  constructor(message: string) {
    super(message);
    this.name = "LayoutError";
  }
}

export interface CsvLayout {
  name: LayoutName;
  /** Column index of each field present. */
  columns: Partial<Record<Field, number>>;
  features: Partial<Record<keyof AudioFeatures, number>>;
}

/** A song read from one CSV row, before its lyrics are judged and split. */
export interface SongRow extends Song {
  popularity: number | null;
  lyrics: string;
}

export type RowResult = { ok: true; song: SongRow } | { ok: false; reason: string };

const normalizeHeader = (h: string) =>
  h
    .replace(/^\uFEFF/, "")
    .trim()
    .toLowerCase();

/** Reads the header row; throws LayoutError when a song cannot be read from these columns. */
export function detectLayout(header: readonly string[]): CsvLayout {
  const names = header.map(normalizeHeader);
  const find = (candidates: string[]) => {
    for (const candidate of candidates) {
      const index = names.indexOf(candidate);
      if (index >= 0) return index;
    }
    return undefined;
  };
  const columns: CsvLayout["columns"] = {};
  for (const field of Object.keys(aliases) as Field[]) {
    const index = find(aliases[field]);
    if (index !== undefined) columns[field] = index;
  }
  const features: CsvLayout["features"] = {};
  for (const [feature, column] of Object.entries(featureColumns) as [keyof AudioFeatures, string][]) {
    const index = names.indexOf(column);
    if (index >= 0) features[feature] = index;
  }
  const missing = (["lyrics", "title", "artists"] as const).filter((f) => columns[f] === undefined);
  if (missing.length > 0) {
    const wanted = missing.map((f) => `${f} (${aliases[f].join(" / ")})`).join(", ");
    // What the file says goes on the second line: administrators see it, strangers see the first.
    throw new LayoutError(
      `no ${wanted} column in the header\ncolumns: ${names.map((n) => JSON.stringify(n.slice(0, 80))).join(", ")}`,
    );
  }
  return { name: layoutName(names), columns, features };
}

function layoutName(names: string[]): LayoutName {
  if (names.includes("track_id") && names.includes("track_name")) return "spotify";
  if (names.includes("id") && names.includes("album_name")) return "original";
  if (names.includes("artist") && names.includes("lyric")) return "per-artist";
  return "custom";
}

const missingMarkers = new Set(["", "nan", "none", "null", "na", "n/a"]);

const text = (value: string | undefined): string | null => {
  if (value === undefined) return null;
  const trimmed = stripInvisible(value).trim();
  return missingMarkers.has(trimmed.toLowerCase()) ? null : trimmed;
};

/** Zero-width characters that sneak into scraped titles. */
const stripInvisible = (value: string) => value.replace(/[\u200B-\u200D\u2060\uFEFF]/g, "");

const number = (value: string | undefined, [min, max]: [number, number]): number | null => {
  const raw = text(value);
  if (raw === null) return null;
  const parsed = Number(raw);
  return Number.isFinite(parsed) && parsed >= min && parsed <= max ? parsed : null;
};

/** `['A', 'B']` or `["A", "B"]` (a Python list literal) or a plain name, even one in brackets. */
export function parseArtists(value: string): string[] {
  const trimmed = value.trim();
  if (/^\[\s*(['"].*['"])?\s*\]$/s.test(trimmed)) {
    const names: string[] = [];
    const item = /'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g;
    for (const match of trimmed.slice(1, -1).matchAll(item)) {
      const name = (match[1] ?? match[2] ?? "").replace(/\\(.)/g, "$1").trim();
      if (name) names.push(name);
    }
    return names;
  }
  return trimmed ? [trimmed] : [];
}

/** Lower-case, no accents, no punctuation, single spaces: the key under which two spellings meet. */
export const normalizeForKey = (value: string) =>
  stripInvisible(value)
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();

/** A stable id for a song of a layout without ids: the same artist and title meet as one song. */
export function derivedSongId(artists: readonly string[], title: string): string {
  const digest = createHash("sha256")
    .update(`${normalizeForKey(artists[0] ?? "")}\u0000${normalizeForKey(title)}`)
    .digest("base64url");
  return `v-${digest.slice(0, 22)}`;
}

const releaseDate = (date: string | null, year: string | null): string | null => {
  if (date && /^\d{4}(-\d{2}(-\d{2})?)?/.test(date)) return date.slice(0, 10);
  if (year && /^\d{4}(\.0)?$/.test(year)) return year.slice(0, 4);
  return null;
};

const idPattern = /^[\w.:-]{1,64}$/;

/** One CSV record to a song, or the reason it cannot be one. */
export function readRow(layout: CsvLayout, record: readonly string[]): RowResult {
  const cell = (field: Field) => {
    const index = layout.columns[field];
    return index === undefined ? undefined : record[index];
  };
  const title = text(cell("title"));
  if (!title) return { ok: false, reason: "no title" };
  const artistCell = text(cell("artists"));
  const artists = artistCell ? parseArtists(artistCell).map(stripInvisible) : [];
  if (artists.length === 0) return { ok: false, reason: "no artist" };

  let id = text(cell("id"));
  if (layout.columns.id === undefined) id = derivedSongId(artists, title);
  else if (!id) return { ok: false, reason: "no id" };
  else if (!idPattern.test(id))
    return {
      ok: false,
      reason: `not a valid id: 1 to 64 letters, digits, ".", "_", ":" or "-"\nid: ${JSON.stringify(id.slice(0, 80))}`,
    };

  const features = emptyFeatures();
  for (const [feature, index] of Object.entries(layout.features) as [keyof AudioFeatures, number][]) {
    features[feature] = number(record[index], featureBounds[feature]);
  }
  if (features.key === -1) features.key = null;

  return {
    ok: true,
    song: {
      id,
      title,
      artists,
      album: text(cell("album")),
      genre: text(cell("genre")),
      language: text(cell("language"))?.toLowerCase() ?? null,
      releaseDate: releaseDate(text(cell("releaseDate")), text(cell("year"))),
      popularity: number(cell("popularity"), [0, 100]),
      features,
      lyrics: cell("lyrics") ?? "",
    },
  };
}
