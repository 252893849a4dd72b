import { afterEach, expect, it } from "vitest";
import { SongPages, type SongPagesStore } from "../../core/catalog/song-pages.js";
import { listenLinks } from "../../core/catalog/listen-links.js";
import type { ArtistSongPosition } from "../../core/catalog/store.js";
import { songRow } from "../../../test/catalog/fakes.js";
import { buildTestApp, type TestApp } from "../../../test/support/test-app.js";
import { artistRoutes } from "./routes.js";

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

/** Three songs of "Ana María", newest first, and what the routes asked the store. */
const asked: { artist: string; after?: ArtistSongPosition; limit: number }[] = [];
const store: SongPagesStore = {
  getSong: async () => null,
  passageAt: async () => null,
  songsByArtist: async (artist, page) => {
    asked.push({ artist, ...page });
    const rows = ["c", "b", "a"].map((id, row) => {
      const { lyrics: _lyrics, popularity: _popularity, ...song } = songRow(id, { artists: [artist] });
      return { song, position: [2020 - row, row] as ArtistSongPosition };
    });
    const start = page.after ? rows.findIndex((row) => row.position[1] === page.after![1]) + 1 : 0;
    return artist === "Ana María" ? rows.slice(start, start + page.limit) : [];
  },
};

it("pages an artist's songs with the cursor of the previous page", async () => {
  t = await buildTestApp({ otherRoutes: [artistRoutes(new SongPages(store))] });
  const first = await t.call("GET", `/api/artists/${encodeURIComponent("Ana María")}/songs?limit=2`);
  expect(first.status).toBe(200);
  expect(first.body.items.map((song: { id: string }) => song.id)).toEqual(["c", "b"]);
  expect(first.body.items[0]).toEqual({
    id: "c",
    title: "Title c",
    artists: ["Ana María"],
    album: null,
    genre: "pop",
    language: "en",
    releaseDate: "2020-01-01",
    features: expect.objectContaining({ energy: 0.5, tempo: null }),
    listen: listenLinks({ id: "c", title: "Title c", artists: ["Ana María"] }),
  });
  const second = await t.call(
    "GET",
    `/api/artists/${encodeURIComponent("Ana María")}/songs?limit=2&cursor=${first.body.nextCursor}`,
  );
  expect(second.body).toEqual({ items: [expect.objectContaining({ id: "a" })], nextCursor: null });
  expect(asked.at(-1)).toEqual({ artist: "Ana María", after: [2019, 1], limit: 3 });

  // A name with a slash is one segment of the path, encoded.
  await t.call("GET", `/api/artists/${encodeURIComponent("AC/DC")}/songs`);
  expect(asked.at(-1)?.artist).toBe("AC/DC");

  const nobody = await t.call("GET", "/api/artists/Nobody/songs");
  expect([nobody.status, nobody.body]).toEqual([200, { items: [], nextCursor: null }]);
  const badCursor = await t.call("GET", "/api/artists/Nobody/songs?cursor=abc");
  expect([badCursor.status, badCursor.body.error.code]).toEqual([400, "INVALID_CURSOR"]);
  const tooLong = await t.call("GET", `/api/artists/${"x".repeat(101)}/songs`);
  expect([tooLong.status, tooLong.body.error.code]).toEqual([414, expect.any(String)]);
});
