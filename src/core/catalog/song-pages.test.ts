import { describe, expect, it } from "vitest";
import { songRow } from "../../../test/catalog/fakes.js";
import { isVersoError } from "../errors.js";
import { SongPages, type SongPagesStore } from "./song-pages.js";
import type { ArtistSongPosition } from "./store.js";

/** Songs by year; the store's order is newest first, then by row. */
function memoryStore(songs: { id: string; artists: string[]; year: number }[]): SongPagesStore & {
  asked: { artist: string; after?: ArtistSongPosition; limit: number }[];
} {
  const asked: { artist: string; after?: ArtistSongPosition; limit: number }[] = [];
  const rows = songs.map((song, row) => ({
    song: { ...songRow(song.id, { artists: song.artists }), lyrics: `lyrics of ${song.id}` },
    position: [song.year, row] as ArtistSongPosition,
  }));
  const before = (a: ArtistSongPosition, b: ArtistSongPosition) =>
    a[0] > b[0] || (a[0] === b[0] && a[1] < b[1]);
  return {
    asked,
    getSong: async (id) => rows.find((row) => row.song.id === id)?.song ?? null,
    passageAt: async (songId, ordinal) =>
      songId === "a" && ordinal === 2 ? { ordinal, text: "the chorus" } : null,
    songsByArtist: async (artist, page) => {
      asked.push({ artist, ...page });
      return rows
        .filter((row) => row.song.artists.includes(artist))
        .sort((x, y) => (before(x.position, y.position) ? -1 : 1))
        .filter((row) => !page.after || before(page.after, row.position))
        .slice(0, page.limit);
    },
  };
}

const codeOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => "no error",
    (error: unknown) => (isVersoError(error) ? error.code : String(error)),
  );

describe("the songs' pages", () => {
  const store = memoryStore([
    { id: "a", artists: ["Ana"], year: 2001 },
    { id: "b", artists: ["Ana", "Bruno"], year: 2020 },
    { id: "c", artists: ["Bruno"], year: 2010 },
    { id: "d", artists: ["Ana"], year: 2015 },
  ]);
  const pages = new SongPages(store);

  it("reads a song, and says when there is none", async () => {
    expect((await pages.song("a")).lyrics).toBe("lyrics of a");
    expect(await codeOf(pages.song("zz"))).toBe("SONG_NOT_FOUND");
  });

  it("reads a passage, telling a missing song from a missing passage", async () => {
    expect(await pages.passage("a", 2)).toEqual({ ordinal: 2, text: "the chorus" });
    expect(await codeOf(pages.passage("a", 9))).toBe("PASSAGE_NOT_FOUND");
    expect(await codeOf(pages.passage("zz", 0))).toBe("SONG_NOT_FOUND");
  });

  it("pages an artist's songs with cursors, to the last page", async () => {
    const first = await pages.byArtist("Ana", { limit: 2 });
    expect(first.items.map((song) => song.id)).toEqual(["b", "d"]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await pages.byArtist("Ana", { limit: 2, cursor: first.nextCursor! });
    expect(second).toEqual({ items: [expect.objectContaining({ id: "a" })], nextCursor: null });
    // One more row than the page is asked for: it only tells whether another page exists.
    expect(store.asked.map((ask) => ask.limit)).toEqual([3, 3]);
    expect(await codeOf(pages.byArtist("Ana", { limit: 2, cursor: "not-a-cursor" }))).toBe("INVALID_CURSOR");
  });
});
