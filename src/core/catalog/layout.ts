/**
 * Maps the columns of a catalog CSV to songs. Columns are matched by header name,
 * case-insensitively, so the three known layouts (the original system's, the Kaggle Spotify
 * one, the per-artist one) and any column order of them are read by the same code.
 */
import { createHash } from "node:crypto";
import { emptyFeatures, type AudioFeatures, type Song } from "./song.js";
import { unstorableText } from "../text.js";
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

/**
 * A row read as a song, with a note for every value Verso changed or left out on the way (a
 * feature out of its range, a number that is not one, zero-width characters taken out, an
 * artist list that does not read as a list), or the reason it cannot be a song. Notes and
 * reasons say what happened on their first line and quote the file only on the next.
 */
export type RowResult = { ok: true; song: SongRow; notes: string[] } | { ok: false; reason: string };

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

const isMissing = (value: string | undefined): boolean =>
  value === undefined || missingMarkers.has(stripInvisible(value).trim().toLowerCase());

const text = (value: string | undefined): string | null =>
  value === undefined || isMissing(value) ? null : stripInvisible(value).trim();

/** Zero-width characters that sneak into scraped titles. */
const hasInvisible = /[\u200B-\u200D\u2060\uFEFF]/;
const stripInvisible = (value: string) => value.replace(/[\u200B-\u200D\u2060\uFEFF]/g, "");

/** The first value of a cell, quoted for the second line of a note (never the first). */
const quoted = (value: string) => JSON.stringify(value.trim().slice(0, 80));

/** A number within [min, max], or null with a note saying why the cell's value was left out. */
function number(
  value: string | undefined,
  [min, max]: [number, number],
  column: string,
  notes: string[],
): number | null {
  // "NaN" in a column of numbers is a value that is not one, not a missing value: it is told.
  const raw = value === undefined ? "" : stripInvisible(value).trim();
  if (raw.toLowerCase() !== "nan" && isMissing(raw)) return null;
  const parsed = Number(raw);
  if (!Number.isFinite(parsed)) {
    notes.push(`${column} is not a finite number: left out\nvalue: ${quoted(raw)}`);
    return null;
  }
  if (parsed < min || parsed > max) {
    notes.push(`${column} is outside ${min} to ${max}: left out\nvalue: ${quoted(raw)}`);
    return null;
  }
  return parsed;
}

/** One item of a Python list literal: 'text' or "text", with backslash escapes. */
const listItem = /\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*(,|$)/y;

/** The names of a list literal such as `['A', 'B']`, or null when the text is not one, strictly. */
function listLiteral(inner: string): string[] | null {
  const names: string[] = [];
  listItem.lastIndex = 0;
  while (listItem.lastIndex < inner.length) {
    const at = listItem.lastIndex;
    const match = listItem.exec(inner);
    if (!match || match.index !== at) return inner.slice(at).trim() === "" ? names : null;
    const name = (match[1] ?? match[2] ?? "").replace(/\\(.)/g, "$1").trim();
    if (name) names.push(name);
    if (match[3] === "") break;
  }
  return names;
}

/**
 * `['A', 'B']` or `["A", "B"]` (a Python list literal) or a plain name, even one in brackets.
 * Brackets around quotes that do not make a list (`['=cmd|' /C calc'!A0']`) are kept as one
 * name, whole, rather than guessed at; `malformed` is then true.
 */
export function parseArtists(value: string): string[] & { malformed?: boolean } {
  const trimmed = value.trim();
  if (/^\[.*\]$/s.test(trimmed) && /['"]/.test(trimmed)) {
    const names = listLiteral(trimmed.slice(1, -1));
    if (names !== null) return names;
    return Object.assign([trimmed], { malformed: true });
  }
  if (/^\[\s*\]$/.test(trimmed)) return [];
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

function releaseDate(date: string | null, year: string | null, notes: string[]): string | null {
  if (date && /^\d{4}(-\d{2}(-\d{2})?)?/.test(date)) return date.slice(0, 10);
  if (year && /^\d{4}(\.0)?$/.test(year)) return year.slice(0, 4);
  const given = [date, year].filter((v): v is string => v !== null);
  if (given.length > 0)
    notes.push(
      `release date not read (YYYY, YYYY-MM or YYYY-MM-DD): left out\nvalue: ${quoted(given.join(" "))}`,
    );
  return null;
}

const idPattern = /^[\w.:-]{1,64}$/;

/** The fields Verso stores as text, and the column names a note gives them. */
const textFields = ["title", "artists", "album", "genre", "language", "releaseDate", "year", "id"] as const;

/** Why a row's cells cannot be stored (a NUL character, say), or undefined. */
function unstorableCell(layout: CsvLayout, record: readonly string[]): string | undefined {
  const read = [...Object.entries(layout.columns), ...Object.entries(layout.features)];
  for (const [field, index] of read) {
    const problem = unstorableText(record[index] ?? "");
    if (problem !== undefined) return `${field === "durationMs" ? "duration_ms" : field} holds ${problem}`;
  }
  return undefined;
}

/** One CSV record to a song, with what was changed on the way, or the reason it cannot be one. */
export function readRow(layout: CsvLayout, record: readonly string[]): RowResult {
  const cell = (field: Field) => {
    const index = layout.columns[field];
    return index === undefined ? undefined : record[index];
  };
  const unstorable = unstorableCell(layout, record);
  if (unstorable !== undefined) return { ok: false, reason: unstorable };
  const notes: string[] = [];
  const changed = textFields.filter((f) => !isMissing(cell(f)) && hasInvisible.test(cell(f) ?? ""));
  if (changed.length > 0) notes.push(`zero-width characters taken out of ${changed.join(", ")}`);

  const title = text(cell("title"));
  if (!title) return { ok: false, reason: "no title" };
  const artistCell = text(cell("artists"));
  const parsedArtists = artistCell ? parseArtists(artistCell) : [];
  if (parsedArtists.malformed)
    notes.push(
      `artists is not a list as written: kept whole, as one name\nvalue: ${quoted(artistCell ?? "")}`,
    );
  const artists = parsedArtists.map(stripInvisible);
  if (artists.length === 0) return { ok: false, reason: "no artist" };

  let id = text(cell("id"));
  if (layout.columns.id === undefined) id = derivedSongId(artists, title);
  else if (!id) return { ok: false, reason: "no id" };
  else if (!idPattern.test(id))
    return {
      ok: false,
      reason: `not a valid id: 1 to 64 letters, digits, ".", "_", ":" or "-"\nid: ${quoted(id)}`,
    };

  const features = emptyFeatures();
  for (const [feature, index] of Object.entries(layout.features) as [keyof AudioFeatures, number][]) {
    features[feature] = number(record[index], featureBounds[feature], featureColumns[feature], notes);
  }
  if (features.key === -1) features.key = null;

  return {
    ok: true,
    notes,
    song: {
      id,
      title,
      artists,
      album: text(cell("album")),
      genre: text(cell("genre")),
      language: text(cell("language"))?.toLowerCase() ?? null,
      releaseDate: releaseDate(text(cell("releaseDate")), text(cell("year")), notes),
      popularity: number(cell("popularity"), [0, 100], "popularity", notes),
      features,
      lyrics: cell("lyrics") ?? "",
    },
  };
}
