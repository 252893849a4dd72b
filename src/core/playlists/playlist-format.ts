/**
 * The port of playlist file formats: each writes a playlist as the text of one file. Adapters
 * (src/adapters/playlists/) are built by the composition root.
 */
import type { Playlist } from "./playlist.js";

export const playlistFormatNames = ["m3u8", "xspf"] as const;
export type PlaylistFormatName = (typeof playlistFormatNames)[number];

export interface PlaylistFormat {
  name: PlaylistFormatName;
  /** The Content-Type of the file, with its charset where the format has one. */
  mediaType: string;
  /** The file name's extension, without the dot. */
  extension: string;
  write(playlist: Playlist): string;
}

export type PlaylistFormats = Record<PlaylistFormatName, PlaylistFormat>;
