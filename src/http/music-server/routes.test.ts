import crypto from "node:crypto";
/**
 * Answers saved as playlists on a real Subsonic server (Debian's supysonic, started here over
 * a music folder made here), each person with their own account there. The catalog's songs
 * carry their ids on that server, as a Subsonic catalog source records them.
 */
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { makeTrack } from "../../../test/support/music-files.js";
import { playlistSearch } from "../../../test/support/playlist-songs.js";
import { startSupysonic, type SupysonicServer } from "../../../test/support/supysonic.js";
import { testDialect } from "../../../test/support/databases.js";
import { buildTestApp, type TestApp } from "../../../test/support/test-app.js";
import { createSealedBox } from "../../adapters/secrets/sealed-box.js";
import { createSqlMusicServerAccountStore } from "../../adapters/sql/music-server-accounts.js";
import { SubsonicClient } from "../../adapters/subsonic/client.js";
import { createSubsonicPlaylistServer } from "../../adapters/subsonic/playlist-server.js";
import { emptyFeatures } from "../../core/catalog/song.js";
import type { PlaylistServer } from "../../core/playlists/music-server.js";
import type { PlaylistSong } from "../../core/playlists/playlist.js";
import { PlaylistService } from "../../core/playlists/playlist-service.js";
import { ServerPlaylists } from "../../core/playlists/server-playlists.js";
import { musicServerRoutes } from "./routes.js";

const ANA = { name: "ana", password: "ana's own: password" };
const BOB = { name: "bob", password: "bob's password" };
const titles = ["Harbour", "Tide", "Lanterns"];

let folder: string;
let supysonic: SupysonicServer;
let server: PlaylistServer;
/** The catalog: the server's songs, by title, with their ids there; and one song not on it. */
let songs: Map<string, PlaylistSong>;

beforeAll(async () => {
  folder = await fs.mkdtemp(path.join(os.tmpdir(), "verso-playlists-music-"));
  for (const [i, title] of titles.entries()) {
    await makeTrack(path.join(folder, "Harbour Lights", `0${i + 1} ${title}.mp3`), {
      title,
      artist: "The Lanterns",
      album: "Harbour Lights",
    });
  }
  supysonic = await startSupysonic(folder, [ANA, BOB]);
  server = createSubsonicPlaylistServer(`subsonic://${ANA.name}@127.0.0.1:${supysonic.port}`);
  songs = new Map();
  const api = new SubsonicClient({
    baseUrl: new URL(server.address),
    username: ANA.name,
    password: ANA.password,
  });
  for await (const song of api.allSongs()) {
    songs.set(song.title, {
      id: `subsonic-${song.id}`,
      title: song.title,
      artists: song.artists,
      album: song.album ?? null,
      genre: null,
      language: "en",
      releaseDate: null,
      features: emptyFeatures(),
      origin: { server: server.address, serverSongId: song.id },
    });
  }
  expect([...songs.keys()].sort()).toEqual([...titles].sort());
});

afterAll(async () => {
  await supysonic?.close();
  if (folder) await fs.rm(folder, { recursive: true, force: true });
});

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

/** The store over the test app's own database, opened when a request comes (the app is built by then). */
const box = createSealedBox(crypto.randomBytes(32));
const accounts = () => createSqlMusicServerAccountStore({ db: t.db, dialect: testDialect }, box);

/** The server, counting the calls made to it. */
function counted(inner: PlaylistServer) {
  const calls = { check: 0, savePlaylist: 0 };
  const wrapper: PlaylistServer = {
    address: inner.address,
    check: (account) => ((calls.check += 1), inner.check(account)),
    savePlaylist: (...args) => ((calls.savePlaylist += 1), inner.savePlaylist(...args)),
  };
  return { server: wrapper, calls };
}

/** The app, its catalog answering these songs in this order. */
async function serving(answer: PlaylistSong[], playlistServer: PlaylistServer | null = server) {
  const search = playlistSearch(answer);
  t = await buildTestApp({
    otherRoutes: [
      musicServerRoutes(
        new ServerPlaylists({
          server: playlistServer,
          accounts: {
            find: (...args) => accounts().find(...args),
            save: (...args) => accounts().save(...args),
            remove: (...args) => accounts().remove(...args),
          },
          playlists: new PlaylistService({
            search,
            prompts: { visible: (id, viewer) => t.module.prompts.visible(id, viewer) },
          }),
          clock: () => new Date(),
        }),
      ),
    ],
  });
  return search;
}

const song = (title: string): PlaylistSong => {
  const found = songs.get(title);
  if (!found) throw new Error(`no song ${title} on the server`);
  return found;
};
/** A song of the catalog that is not on the server (a CSV catalog's, say). */
const notOnServer: PlaylistSong = {
  id: "v-elsewhere",
  title: "Elsewhere",
  artists: ["Nobody"],
  album: null,
  genre: null,
  language: "en",
  releaseDate: null,
  features: emptyFeatures(),
};

/** The person's playlists on the server, read with their own account: name and song ids in order. */
async function playlistsOf(user: { name: string; password: string }) {
  const api = new SubsonicClient({
    baseUrl: new URL(server.address),
    username: user.name,
    password: user.password,
  });
  const mine = (await api.getPlaylists()).filter((playlist) => playlist.owner === user.name);
  return Promise.all(
    mine.map(async (playlist) => {
      const full = await api.getPlaylist(playlist.id);
      return { id: full.id, name: full.name, songIds: full.songIds };
    }),
  );
}

const serverIds = (...list: string[]) => list.map((title) => song(title).origin?.serverSongId);

describe("my account on the music server", () => {
  it("is kept once the server accepts it, and its password is never answered", async () => {
    await serving([]);
    const me = await t.register("ana");
    expect((await t.call("GET", "/api/me/music-server", { token: me.token })).body).toEqual({
      server: server.address,
      username: null,
    });

    const refused = await t.call("PUT", "/api/me/music-server", {
      token: me.token,
      body: { username: ANA.name, password: "not my password" },
    });
    expect([refused.status, refused.body.error.code]).toEqual([400, "MUSIC_SERVER_ACCOUNT_REFUSED"]);
    expect(refused.body.error.message).not.toContain("not my password");
    expect((await t.call("GET", "/api/me/music-server", { token: me.token })).body.username).toBeNull();

    const saved = await t.call("PUT", "/api/me/music-server", {
      token: me.token,
      body: { username: ` ${ANA.name} `, password: ANA.password },
    });
    expect([saved.status, saved.body]).toEqual([200, { server: server.address, username: ANA.name }]);
    const read = await t.call("GET", "/api/me/music-server", { token: me.token });
    expect(read.body).toEqual({ server: server.address, username: ANA.name });
    expect(JSON.stringify(read.body)).not.toContain(ANA.password);

    expect((await t.call("DELETE", "/api/me/music-server", { token: me.token })).status).toBe(204);
    expect((await t.call("GET", "/api/me/music-server", { token: me.token })).body.username).toBeNull();
  });

  it("needs a session, and refuses a body it does not describe", async () => {
    await serving([]);
    const me = await t.register("ana");
    for (const [method, url] of [
      ["GET", "/api/me/music-server"],
      ["PUT", "/api/me/music-server"],
      ["DELETE", "/api/me/music-server"],
      ["POST", "/api/playlists"],
    ] as const) {
      const reply = await t.call(method, url, { body: { username: ANA.name, password: ANA.password } });
      expect([reply.status, reply.body.error.code], `${method} ${url}`).toEqual([401, "AUTH_REQUIRED"]);
    }
    for (const body of [
      {},
      { username: "ana" },
      { username: "", password: "x" },
      { username: "ana", password: "" },
    ]) {
      const reply = await t.call("PUT", "/api/me/music-server", { token: me.token, body });
      expect([reply.status, reply.body.error.code], JSON.stringify(body)).toEqual([400, "VALIDATION_FAILED"]);
    }
    for (const body of [
      {},
      { promptId: 0 },
      { promptId: "1" },
      { prompt: "rain", promptId: 1 },
      { prompt: "rain", k: 0 },
    ]) {
      const reply = await t.call("POST", "/api/playlists", { token: me.token, body });
      expect([reply.status, reply.body.error.code], JSON.stringify(body)).toEqual([400, "VALIDATION_FAILED"]);
    }
  });

  it("has nowhere to go when the catalog does not come from a music server", async () => {
    await serving([song("Tide")], null);
    const me = await t.register("ana");
    expect((await t.call("GET", "/api/me/music-server", { token: me.token })).body).toEqual({
      server: null,
      username: null,
    });
    const put = await t.call("PUT", "/api/me/music-server", {
      token: me.token,
      body: { username: ANA.name, password: ANA.password },
    });
    expect([put.status, put.body.error.code]).toEqual([404, "NO_MUSIC_SERVER"]);
    const post = await t.call("POST", "/api/playlists", { token: me.token, body: { prompt: "tides" } });
    expect([post.status, post.body.error.code]).toEqual([404, "NO_MUSIC_SERVER"]);
  });
});

describe("POST /api/playlists", () => {
  it("saves the answer as my playlist on the server, named after the prompt, its songs in order", async () => {
    const search = await serving([song("Tide"), notOnServer, song("Lanterns"), song("Harbour")]);
    const me = await t.register("ana");
    const missing = await t.call("POST", "/api/playlists", {
      token: me.token,
      body: { prompt: "night harbours" },
    });
    expect([missing.status, missing.body.error.code]).toEqual([400, "MUSIC_SERVER_ACCOUNT_MISSING"]);
    await t.call("PUT", "/api/me/music-server", {
      token: me.token,
      body: { username: ANA.name, password: ANA.password },
    });

    const saved = await t.call("POST", "/api/playlists", {
      token: me.token,
      body: { prompt: "night harbours", k: 4, filters: { language: "en" } },
    });
    expect(saved.status).toBe(200);
    expect(search.asked.at(-1)).toEqual({ prompt: "night harbours", k: 4, filters: { language: "en" } });
    expect(saved.body).toMatchObject({
      server: server.address,
      name: "night harbours",
      songIds: [song("Tide").id, song("Lanterns").id, song("Harbour").id],
      leftOut: 1,
      created: true,
    });
    expect(await playlistsOf(ANA)).toContainEqual({
      id: saved.body.playlistId,
      name: "night harbours",
      songIds: serverIds("Tide", "Lanterns", "Harbour"),
    });

    // Saved again, the same playlist is updated with the new answer.
    const again = await t.call("POST", "/api/playlists", {
      token: me.token,
      body: { prompt: "night harbours", k: 2 },
    });
    expect(again.body).toMatchObject({ playlistId: saved.body.playlistId, created: false, leftOut: 1 });
    const named = (await playlistsOf(ANA)).filter((playlist) => playlist.name === "night harbours");
    expect(named).toEqual([
      { id: saved.body.playlistId, name: "night harbours", songIds: serverIds("Tide") },
    ]);
  });

  it("saves a published prompt's songs under the prompt's text, and each person's on their own account", async () => {
    await serving([song("Harbour"), song("Tide")]);
    const ana = await t.register("ana");
    const bob = await t.register("bob");
    const id = (
      await t.call("POST", "/api/prompts", { token: ana.token, body: { text: "lanterns on the quay" } })
    ).body.id;
    await t.call("PUT", "/api/me/music-server", {
      token: ana.token,
      body: { username: ANA.name, password: ANA.password },
    });
    await t.call("PUT", "/api/me/music-server", {
      token: bob.token,
      body: { username: BOB.name, password: BOB.password },
    });

    const anas = await t.call("POST", "/api/playlists", { token: ana.token, body: { promptId: id } });
    const bobs = await t.call("POST", "/api/playlists", { token: bob.token, body: { promptId: id } });
    expect([anas.status, bobs.status]).toEqual([200, 200]);
    expect(bobs.body.playlistId).not.toBe(anas.body.playlistId);
    const expected = { name: "lanterns on the quay", songIds: serverIds("Harbour", "Tide") };
    expect(await playlistsOf(ANA)).toContainEqual({ id: anas.body.playlistId, ...expected });
    expect(await playlistsOf(BOB)).toEqual([{ id: bobs.body.playlistId, ...expected }]);

    const gone = await t.call("POST", "/api/playlists", { token: bob.token, body: { promptId: id + 1000 } });
    expect([gone.status, gone.body.error.code]).toEqual([404, "PROMPT_NOT_FOUND"]);
  });

  it("says so when the server refuses my saved password, after one attempt", async () => {
    const { server: countedServer, calls } = counted(server);
    await serving([song("Tide")], countedServer);
    const me = await t.register("ana");
    await t.call("PUT", "/api/me/music-server", {
      token: me.token,
      body: { username: ANA.name, password: ANA.password },
    });
    // The password changed on the server since: what Verso keeps is now wrong.
    const saved = await t.db
      .selectFrom("music_server_accounts")
      .select(["user_id", "server", "username", "updated_at"])
      .executeTakeFirstOrThrow();
    await accounts().save(
      saved.user_id,
      saved.server,
      { username: saved.username, password: "an old password" },
      saved.updated_at,
    );
    const before = calls.savePlaylist;
    const reply = await t.call("POST", "/api/playlists", { token: me.token, body: { prompt: "tides" } });
    expect([reply.status, reply.body.error.code]).toEqual([400, "MUSIC_SERVER_ACCOUNT_REFUSED"]);
    expect(reply.body.error.message).toContain(server.address);
    expect(reply.body.error.message).not.toContain("an old password");
    expect(calls.savePlaylist - before).toBe(1);
  });

  it("answers 503 while the server is away, and saves once it is back", async () => {
    await serving([song("Lanterns")]);
    const me = await t.register("ana");
    await t.call("PUT", "/api/me/music-server", {
      token: me.token,
      body: { username: ANA.name, password: ANA.password },
    });
    await supysonic.stop();
    try {
      const away = await t.call("POST", "/api/playlists", { token: me.token, body: { prompt: "away" } });
      expect([away.status, away.body.error.code]).toEqual([503, "DEPENDENCY_UNAVAILABLE"]);
    } finally {
      await supysonic.start();
    }
    const back = await t.call("POST", "/api/playlists", { token: me.token, body: { prompt: "away" } });
    expect(back.status).toBe(200);
    expect(await playlistsOf(ANA)).toContainEqual({
      id: back.body.playlistId,
      name: "away",
      songIds: serverIds("Lanterns"),
    });
  });

  it("refuses an answer with none of its songs on the server", async () => {
    await serving([notOnServer]);
    const me = await t.register("ana");
    await t.call("PUT", "/api/me/music-server", {
      token: me.token,
      body: { username: ANA.name, password: ANA.password },
    });
    const reply = await t.call("POST", "/api/playlists", { token: me.token, body: { prompt: "elsewhere" } });
    expect([reply.status, reply.body.error.code]).toEqual([400, "PLAYLIST_EMPTY"]);
  });
});
