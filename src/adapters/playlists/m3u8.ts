/**
 * Extended M3U in UTF-8 (`.m3u8`), as players read it: `#EXTM3U`, then for each song an
 * `#EXTINF:<seconds>,<artists> - <title>` line and the line of its location (a path relative
 * to the playlist, or a URL). Every value is kept on its one line.
 */
import type { Playlist, PlaylistEntry } from "../../core/playlists/playlist.js";
import type { PlaylistFormat } from "../../core/playlists/playlist-format.js";

/** Line breaks and other control characters would start a line of their own: a space instead. */
const oneLine = (text: string) => text.replace(/[\p{Cc}\u2028\u2029]+/gu, " ").trim();

/**
 * A path as its line: one with a control character is percent-encoded as a relative URI, which
 * players also read; one starting with `#` (a comment line otherwise) is written `./#…`.
 */
function pathLine(path: string): string {
  if (/\p{Cc}/u.test(path)) return path.split("/").map(encodeURIComponent).join("/");
  return path.startsWith("#") ? `./${path}` : path;
}

function entryLines(entry: PlaylistEntry): string[] {
  const artists = entry.artists.join(", ");
  const name = artists === "" ? entry.title : `${artists} - ${entry.title}`;
  const location = entry.location.kind === "file" ? pathLine(entry.location.path) : entry.location.url;
  return [`#EXTINF:${entry.durationSeconds ?? -1},${oneLine(name)}`, location];
}

export function writeM3u8(playlist: Playlist): string {
  const lines = ["#EXTM3U", `#PLAYLIST:${oneLine(playlist.title)}`, ...playlist.entries.flatMap(entryLines)];
  return `${lines.join("\n")}\n`;
}

export const m3u8Format: PlaylistFormat = {
  name: "m3u8",
  mediaType: "audio/x-mpegurl; charset=utf-8",
  extension: "m3u8",
  write: writeM3u8,
};
