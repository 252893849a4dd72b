/**
 * The same song often sits in a catalog twice (a single and its album, a remaster, a second
 * file under another id): an answer lists it once, where it ranked best.
 */
import type { Song } from "../catalog/song.js";

const fold = (text: string) =>
  text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    // "(feat. X)", "[Remastered 2011]", "- Radio Edit": the same song under another label.
    .replace(/\s*[([].*?[)\]]/g, "")
    .replace(/\s+-\s+.*$/, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();

/** Songs with the same identity are one song: title and artists, folded. */
export const songIdentity = (song: Pick<Song, "title" | "artists">): string =>
  `${fold(song.title)}\u0000${song.artists.map(fold).sort().join("\u0000")}`;

/** Keeps the first of each song, in order. */
export function oneSongOneResult<T extends { songId: string }>(ranked: T[], songs: Map<string, Song>): T[] {
  const seen = new Set<string>();
  return ranked.filter((candidate) => {
    const song = songs.get(candidate.songId);
    if (!song) return false;
    const identity = songIdentity(song);
    if (seen.has(identity)) return false;
    seen.add(identity);
    return true;
  });
}
