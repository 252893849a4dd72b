/**
 * XSPF version 1 (https://xspf.org/spec), written with xmlbuilder2, which escapes every value
 * and replaces the characters XML cannot hold. Locations are URIs: a path in the music folder
 * is written as a relative URI reference, each of its segments percent-encoded.
 */
import { create } from "xmlbuilder2";
import type { XMLBuilder } from "xmlbuilder2/lib/interfaces.js";
import type { Playlist, PlaylistEntry } from "../../core/playlists/playlist.js";
import type { PlaylistFormat } from "../../core/playlists/playlist-format.js";

export const XSPF_NAMESPACE = "http://xspf.org/ns/0/";

const relativeUri = (path: string) => path.split("/").map(encodeURIComponent).join("/");

const locationUri = (entry: PlaylistEntry) =>
  entry.location.kind === "file" ? relativeUri(entry.location.path) : entry.location.url;

function addTrack(list: XMLBuilder, entry: PlaylistEntry): void {
  const track = list.ele("track");
  track.ele("location").txt(locationUri(entry));
  track.ele("title").txt(entry.title);
  if (entry.artists.length > 0) track.ele("creator").txt(entry.artists.join(", "));
  if (entry.album) track.ele("album").txt(entry.album);
  if (entry.durationSeconds !== null) track.ele("duration").txt(String(entry.durationSeconds * 1000));
}

export function writeXspf(playlist: Playlist): string {
  const root = create({ version: "1.0", encoding: "UTF-8", invalidCharReplacement: "\uFFFD" }).ele(
    XSPF_NAMESPACE,
    "playlist",
    { version: "1" },
  );
  root.ele("title").txt(playlist.title);
  if (playlist.creator) root.ele("creator").txt(playlist.creator);
  const list = root.ele("trackList");
  for (const entry of playlist.entries) addTrack(list, entry);
  return `${root.end({ prettyPrint: true })}\n`;
}

export const xspfFormat: PlaylistFormat = {
  name: "xspf",
  mediaType: "application/xspf+xml",
  extension: "xspf",
  write: writeXspf,
};
