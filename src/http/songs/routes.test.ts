import { afterEach, expect, it } from "vitest";
import { SongPages } from "../../core/catalog/song-pages.js";
import type { SongPagesStore } from "../../core/catalog/song-pages.js";
import { listenLinks } from "../../core/catalog/listen-links.js";
import { emptyFeatures } from "../../core/catalog/song.js";
import { buildTestApp, type TestApp } from "../../../test/support/test-app.js";
import { type SongsDeps, songsRoutes } from "./routes.js";

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

const harbour = {
  id: "harbour",
  title: "Harbour Lights",
  artists: ["The Testers"],
  album: null,
  genre: null,
  language: "en",
  releaseDate: null,
  features: emptyFeatures(),
  lyrics: "the boats come home\n\nand the harbour lights are on",
};

const store: SongPagesStore = {
  getSong: async (id) => (id === harbour.id ? harbour : null),
  passageAt: async (songId, ordinal) =>
    songId === harbour.id && ordinal === 1 ? { ordinal, text: "and the harbour lights are on" } : null,
  songsByArtist: async () => [],
};

const start = async (similar: SongsDeps["similar"] = async () => []) => {
  t = await buildTestApp({ otherRoutes: [songsRoutes({ pages: new SongPages(store), similar })] });
};

it("refuses a k that is not a finite integer before looking for similar songs", async () => {
  const asked: number[] = [];
  await start(async (_id, k) => {
    asked.push(k);
    return [];
  });
  // Ajv coerces "Infinity" and "1e400" to Infinity, which its bounds let through.
  for (const k of ["Infinity", "-Infinity", "1e400"]) {
    const reply = await t.call("GET", `/api/songs/some-song/similar?k=${k}`);
    expect([reply.status, reply.body.error.code], k).toEqual([400, "VALIDATION_FAILED"]);
  }
  expect((await t.call("GET", "/api/songs/some-song/similar?k=5")).status).toBe(200);
  expect(asked).toEqual([5]);
});

it("answers a song with its lyrics, and 404 for one the catalog does not hold", async () => {
  await start();
  const song = await t.call("GET", "/api/songs/harbour");
  expect([song.status, song.body]).toEqual([200, { ...harbour, listen: listenLinks(harbour) }]);
  const missing = await t.call("GET", "/api/songs/nowhere");
  expect([missing.status, missing.body.error.code]).toEqual([404, "SONG_NOT_FOUND"]);
});

it("answers the passage an answer matched, by its position", async () => {
  await start();
  const found = await t.call("GET", "/api/songs/harbour/passages/1");
  expect([found.status, found.body]).toEqual([200, { ordinal: 1, text: "and the harbour lights are on" }]);
  const noPassage = await t.call("GET", "/api/songs/harbour/passages/7");
  expect([noPassage.status, noPassage.body.error.code]).toEqual([404, "PASSAGE_NOT_FOUND"]);
  const noSong = await t.call("GET", "/api/songs/nowhere/passages/0");
  expect([noSong.status, noSong.body.error.code]).toEqual([404, "SONG_NOT_FOUND"]);
  for (const ordinal of ["-1", "one", "1.5", "Infinity"]) {
    const bad = await t.call("GET", `/api/songs/harbour/passages/${ordinal}`);
    expect([bad.status, bad.body.error.code], ordinal).toEqual([400, "VALIDATION_FAILED"]);
  }
});

it("answers a song and the songs like it with links out to listen to each", async () => {
  const tide = { ...harbour, id: "0017A6SJgTbfQVU2EtsPNo", title: "Low Tide" };
  await start(async () => [{ song: tide, score: 0.8, passage: { text: "low tide", ordinal: 0 } }]);
  const song = await t.call("GET", "/api/songs/harbour");
  expect(song.body.listen.map((link: { service: string }) => link.service)).toEqual([
    "Spotify",
    "YouTube Music",
    "Apple Music",
  ]);
  const similar = await t.call("GET", "/api/songs/harbour/similar");
  expect(similar.body.results[0].song.listen[0]).toEqual({
    service: "Spotify",
    kind: "song",
    url: "https://open.spotify.com/track/0017A6SJgTbfQVU2EtsPNo",
  });
});
