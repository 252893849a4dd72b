/**
 * The whole way from a Subsonic server to a playlist on it: Verso syncs a real Supysonic as its
 * catalog, answers an ask with the server's songs, and a signed-in person saves that answer with
 * their own account there; the server's getPlaylists and getPlaylist then give the playlist with
 * the answer's songs in the answer's order. The same answer downloads as an M3U8.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SubsonicClient, subsonicAccount } from "../../src/adapters/subsonic/client.js";
import { ingestOnce } from "../../src/roles/ingest-once.js";
import { makeTrack } from "../support/music-files.js";
import { parseM3u8 } from "../support/playlist-files.js";
import { startSupysonic, type SupysonicServer } from "../support/supysonic.js";
import { lightHasher, PASSWORD } from "../support/test-app.js";
import { openTestVerso, tempDir } from "../support/verso.js";

const lyric = (theme: string) =>
  `I sing about ${theme} in the morning\nand ${theme} again at night\n\n${theme} is all I know\nso I hold it tight`;
const library = { name: "library", password: "the catalog's own account" };
const ana = { name: "ana", password: "ana's own password" };

describe("an answer saved as a playlist on the Subsonic server it came from", () => {
  const music = tempDir("verso-subsonic-playlists-");
  let server: SupysonicServer;
  let t: Awaited<ReturnType<typeof openTestVerso>>;
  let token: string;

  beforeAll(async () => {
    const songs = [
      ["Harbour", "ships coming home to the harbour at night"],
      ["Tide", "the sea and its tide under the moon"],
      ["Lanterns", "lanterns on the quay as the boats come in"],
    ];
    for (const [i, [title, theme]] of songs.entries()) {
      await makeTrack(path.join(music, "Coast", `0${i + 1} ${title}.mp3`), {
        title: title!,
        artist: "The Lanterns",
        album: "Coast",
        lyrics: lyric(theme!),
      });
    }
    server = await startSupysonic(music, [library, ana]);
    t = await openTestVerso(
      {
        libraryUrl: `subsonic://${library.name}@127.0.0.1:${server.port}`,
        libraryPassword: library.password,
      },
      { hasher: lightHasher() },
    );
    await ingestOnce(t.verso, t.verso.configuredLibrary()!.url);
    const registered = await call("POST", "/api/auth/register", { username: "ana", password: PASSWORD });
    token = registered.json().token;
  }, 300_000);

  afterAll(async () => {
    await t?.close();
    await server?.close();
    fs.rmSync(music, { recursive: true, force: true });
  });

  const call = (method: "GET" | "POST" | "PUT", url: string, payload?: object) =>
    t.app.inject({
      method,
      url,
      ...(payload ? { payload } : {}),
      ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
    });

  it("saves the answer with the person's own account, its songs in the answer's order", async () => {
    const address = `http://127.0.0.1:${server.port}/`;
    expect((await call("GET", "/api/me/music-server")).json()).toEqual({ server: address, username: null });
    const saved = await call("PUT", "/api/me/music-server", { username: ana.name, password: ana.password });
    expect(saved.statusCode, saved.body).toBe(200);

    const ask = { prompt: "boats coming home to the harbour at night", k: 3 };
    const answer = await call("POST", "/api/ask", ask);
    expect(answer.statusCode, answer.body).toBe(200);
    const hits = answer.json().results as {
      song: { id: string; title: string; origin: { serverSongId: string } };
    }[];
    expect(hits.map((hit) => hit.song.title)).toHaveLength(3);

    const playlist = await call("POST", "/api/playlists", ask);
    expect(playlist.statusCode, playlist.body).toBe(200);
    expect(playlist.json()).toMatchObject({
      server: address,
      name: ask.prompt,
      songIds: hits.map((hit) => hit.song.id),
      leftOut: 0,
      created: true,
    });

    // What every Subsonic client of the person's account sees.
    const client = new SubsonicClient(
      subsonicAccount(`subsonic://${ana.name}@127.0.0.1:${server.port}`, ana.password),
    );
    const listed = (await client.getPlaylists()).find((entry) => entry.id === playlist.json().playlistId);
    expect(listed).toMatchObject({ name: ask.prompt, owner: ana.name, songCount: 3 });
    expect((await client.getPlaylist(listed!.id)).songIds).toEqual(
      hits.map((hit) => hit.song.origin.serverSongId),
    );
    // Not made with the catalog's own account.
    const catalogAccount = new SubsonicClient(
      subsonicAccount(`subsonic://${library.name}@127.0.0.1:${server.port}`, library.password),
    );
    expect((await catalogAccount.getPlaylists()).filter((entry) => entry.owner === library.name)).toEqual([]);

    const m3u8 = await call("GET", `/api/ask.m3u8?prompt=${encodeURIComponent(ask.prompt)}&k=3`);
    expect(m3u8.statusCode).toBe(200);
    expect(parseM3u8(m3u8.body).entries.map((entry) => entry.name)).toEqual(
      hits.map((hit) => `The Lanterns - ${hit.song.title}`),
    );
  });
});
