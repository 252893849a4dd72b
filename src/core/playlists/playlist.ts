/**
 * An answer as a playlist: its songs in the answer's order, each with where a player finds it.
 * A song of a music folder is found at its path inside the folder (the playlist file is meant
 * to be kept at the folder's root); any other song at the best of its links out to listen.
 */
import { listenLinks } from "../catalog/listen-links.js";
import type { Song } from "../catalog/song.js";

/**
 * Where a song of a music library is, as its catalog source records it (the song's `origin`):
 * its file's path relative to the music folder (`/` between folders), or its id on a Subsonic
 * server; absent for songs of CSV catalogs.
 */
export interface LibraryPlace {
  origin?: { path?: string; server?: string; serverSongId?: string };
}

export type PlaylistSong = Song & LibraryPlace;

export interface PlaylistEntry {
  songId: string;
  title: string;
  artists: string[];
  album: string | null;
  /** Whole seconds, when the catalog knows the song's length. */
  durationSeconds: number | null;
  /** `file`: a path relative to the music folder; `link`: an absolute URL. */
  location: { kind: "file"; path: string } | { kind: "link"; url: string };
  /** The song on a Subsonic server (the server's address and the song's id there), when it is on one. */
  serverSong: { server: string; id: string } | null;
}

export interface Playlist {
  /** What the playlist is called: the prompt it answers. */
  title: string;
  /** Who published the prompt, for a published one. */
  creator: string | null;
  entries: PlaylistEntry[];
}

function locationOf(song: PlaylistSong): PlaylistEntry["location"] {
  // A Subsonic server's song also knows its path, but in the server's folder, not the listener's.
  if (song.origin?.path && !song.origin.server) return { kind: "file", path: song.origin.path };
  // listenLinks always gives a search at least; the song's own page leads when known.
  const [best] = listenLinks(song);
  return { kind: "link", url: best?.url ?? "" };
}

const serverSongOf = ({ origin }: PlaylistSong): PlaylistEntry["serverSong"] =>
  origin?.server && origin.serverSongId ? { server: origin.server, id: origin.serverSongId } : null;

const seconds = (song: Song): number | null =>
  song.features.durationMs === null ? null : Math.round(song.features.durationMs / 1000);

export function playlistOf(
  title: string,
  creator: string | null,
  hits: readonly { song: PlaylistSong }[],
): Playlist {
  return {
    title,
    creator,
    entries: hits.map(({ song }) => ({
      songId: song.id,
      title: song.title,
      artists: song.artists,
      album: song.album,
      durationSeconds: seconds(song),
      location: locationOf(song),
      serverSong: serverSongOf(song),
    })),
  };
}

/**
 * A file name for the playlist, from its title: letters, digits, spaces and a few marks kept
 * (any script), everything else a space, at most 80 characters; "playlist" when nothing is left.
 */
export function playlistFileName(title: string, extension: string): string {
  const kept = title
    .normalize("NFC")
    .replace(/[^\p{L}\p{M}\p{N} _\-'(),]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  const stem = [...kept].slice(0, 80).join("").trim();
  return `${stem === "" ? "playlist" : stem}.${extension}`;
}
