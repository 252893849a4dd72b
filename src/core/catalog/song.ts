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

export interface Song {
  id: string;
  title: string;
  artists: string[];
  album: string | null;
  genre: string | null;
  language: string | null;
  releaseDate: string | null;
  features: AudioFeatures;
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
