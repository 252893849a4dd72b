/** Songs for playlist tests: one from a music folder, the others known by their links only. */
import { emptyFeatures, type Song } from "../../src/core/catalog/song.js";
import type { PlaylistSong } from "../../src/core/playlists/playlist.js";
import { fakeSongSearch } from "./fake-song-search.js";

const song = (fields: Partial<Song> & Pick<Song, "id" | "title" | "artists">, durationMs: number | null) => ({
  album: null,
  genre: null,
  language: "en",
  releaseDate: null,
  ...fields,
  features: { ...emptyFeatures(), durationMs },
});

/** In answer order: a Spotify track, a song of a music folder, a song of a CSV without an id of its own. */
export const playlistSongs: PlaylistSong[] = [
  song(
    { id: "4uLU6hMCjMI75M1A2tKUQC", title: "Harbour Lights", artists: ["Ana Ríos", "The Tides"] },
    201_400,
  ),
  {
    ...song({ id: "lib-1", title: "Home & Away <live>", artists: ["Kim"], album: "Rooms" }, 59_600),
    origin: { path: "Kim/Rooms/01 Home & Away #2.flac" },
  },
  song({ id: "v-3f2a", title: 'Leaving "Now"', artists: [] }, null),
];

/** A search answering the playlist songs, the first k of them, recording what it was asked. */
export const playlistSearch = (songs: readonly PlaylistSong[] = playlistSongs) => fakeSongSearch(songs);
