/** A song of the catalog as the rest of Verso sees it. */
export interface AudioFeatures {
  danceability: number | null;
  energy: number | null;
  key: number | null;
  loudness: number | null;
  mode: number | null;
  speechiness: number | null;
  acousticness: number | null;
  instrumentalness: number | null;
  liveness: number | null;
  valence: number | null;
  tempo: number | null;
  durationMs: number | null;
}

/**
 * Where a song of a music library is, for links back to it and for playlists: its file in a
 * music folder, or its id on a Subsonic server. Songs of CSV catalogs have none.
 */
export interface SongOrigin {
  /** The track file's path relative to the music folder, with "/" between folders. */
  path?: string;
  /** The Subsonic server's address (without credentials) and the song's id there. */
  server?: string;
  serverSongId?: string;
  /** A page of the song on the server's own web player, where the server has one. */
  webUrl?: string;
  musicBrainzRecordingId?: string;
  /** Where the lyrics were found: the file's tags, an .lrc or .txt file beside it, or the server. */
  lyricsFrom?: "tags" | "lrc" | "txt" | "server";
  /** The lyrics with their timestamps (LRC lines), kept for display; `lyrics` has them without. */
  timedLyrics?: string;
}

export interface Song {
  id: string;
  title: string;
  artists: string[];
  album: string | null;
  genre: string | null;
  language: string | null;
  releaseDate: string | null;
  features: AudioFeatures;
  /** Set for songs of a music library (a folder, a Subsonic server). */
  origin?: SongOrigin;
}

export interface SongWithLyrics extends Song {
  lyrics: string | null;
}

/**
 * Why a song has no passages, when it has none: no lyrics, a placeholder ("NA", "Instrumental",
 * "lyrics not yet released"), or a fragment (a line or two: too little to tell what a song is
 * about, and its vector matches prompts by chance).
 */
export type LyricsStatus = "ok" | "missing" | "placeholder" | "fragment";

export const emptyFeatures = (): AudioFeatures => ({
  danceability: null,
  energy: null,
  key: null,
  loudness: null,
  mode: null,
  speechiness: null,
  acousticness: null,
  instrumentalness: null,
  liveness: null,
  valence: null,
  tempo: null,
  durationMs: null,
});
