/** Songs as the catalog writes them, and the song attributes every indexed passage carries. */
import type { Selectable } from "kysely";
import type { SongRow } from "../../../core/catalog/layout.js";
import { songAttributes, type SongAttributes } from "../../../core/catalog/song-filter.js";
import { songColumns, type SongsTable } from "../schema/catalog.js";

/** The song columns a passage vector carries as its song's attributes. */
export const attributeColumns = [
  "s.id as song_id",
  "s.language",
  "s.genre",
  "s.release_year",
  "s.danceability",
  "s.energy",
  "s.valence",
  "s.tempo",
  "s.acousticness",
  "s.instrumentalness",
  "s.speechiness",
  "s.liveness",
] as const;

type AttributeRow = Pick<
  Selectable<SongsTable>,
  | "language"
  | "genre"
  | "release_year"
  | "danceability"
  | "energy"
  | "valence"
  | "tempo"
  | "acousticness"
  | "instrumentalness"
  | "speechiness"
  | "liveness"
> & { song_id: string };

export const toAttributes = (row: AttributeRow): SongAttributes => ({
  songId: row.song_id,
  language: row.language === null ? null : row.language.toLowerCase(),
  genre: row.genre === null ? null : row.genre.toLowerCase(),
  year: row.release_year,
  danceability: row.danceability,
  energy: row.energy,
  valence: row.valence,
  tempo: row.tempo,
  acousticness: row.acousticness,
  instrumentalness: row.instrumentalness,
  speechiness: row.speechiness,
  liveness: row.liveness,
});

/** A parsed song's own columns (the lyrics status, vector and owner are the commit's). */
export const songValues = (song: SongRow) => ({
  id: song.id,
  title: song.title,
  artists: JSON.stringify(song.artists),
  album: song.album,
  genre: song.genre,
  language: song.language,
  release_date: song.releaseDate,
  release_year: songAttributes(song).year,
  popularity: song.popularity,
  danceability: song.features.danceability,
  energy: song.features.energy,
  key: song.features.key,
  loudness: song.features.loudness,
  mode: song.features.mode,
  speechiness: song.features.speechiness,
  acousticness: song.features.acousticness,
  instrumentalness: song.features.instrumentalness,
  liveness: song.features.liveness,
  valence: song.features.valence,
  tempo: song.features.tempo,
  duration_ms: song.features.durationMs,
  origin: song.origin ? JSON.stringify(song.origin) : null,
  lyrics: song.lyrics || null,
});

/** The columns a new ingest of a song overwrites (all but its id and creation time). */
export const updatedSongColumns = [
  ...songColumns.filter((column) => column !== "id"),
  "release_year",
  "popularity",
  "lyrics",
  "lyrics_status",
  "vector",
  "model_id",
  "object_id",
  "updated_at",
] as const;
