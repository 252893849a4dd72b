import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTrack } from "../../../test/support/music-files.js";
import { startSupysonic, type SupysonicServer } from "../../../test/support/supysonic.js";
import { SubsonicClient, subsonicAccount, versionAtLeast } from "./client.js";

let folder: string;
let server: SupysonicServer;
const password = "correct: horse battery";

beforeAll(async () => {
  folder = await fs.mkdtemp(path.join(os.tmpdir(), "verso-subsonic-music-"));
  await makeTrack(path.join(folder, "Harbour Lights", "01 Harbour.mp3"), {
    title: "Harbour",
    artist: "The Lanterns",
    album: "Harbour Lights",
    lyrics: "ships come home at night\nthe lights along the quay",
  });
  await makeTrack(path.join(folder, "Harbour Lights", "02 Tide.flac"), {
    title: "Tide",
    artist: "The Lanterns",
    album: "Harbour Lights",
  });
  await fs.writeFile(
    path.join(folder, "Harbour Lights", "02 Tide.txt"),
    "the tide goes out\nand leaves us here\n",
  );
  await makeTrack(path.join(folder, "Quiet", "Nothing.ogg"), { title: "Nothing", artist: "Mute" });
  server = await startSupysonic(folder, [
    { name: "alice", password },
    { name: "bob", password: "another one" },
  ]);
});

afterAll(async () => {
  await server?.close();
  await fs.rm(folder, { recursive: true, force: true });
});

const client = (user = "alice", secret = password) =>
  new SubsonicClient(subsonicAccount(`subsonic://${user}@127.0.0.1:${server.port}`, secret));

describe("subsonicAccount", () => {
  it("reads the user, host and path, and maps the scheme to HTTP or HTTPS", () => {
    const plain = subsonicAccount("subsonic://ana%20m@music.local:4533", "pw");
    expect([plain.baseUrl.href, plain.username, plain.password]).toEqual([
      "http://music.local:4533/",
      "ana m",
      "pw",
    ]);
    expect(subsonicAccount("subsonics://ana@example.org/navidrome", "pw").baseUrl.href).toBe(
      "https://example.org/navidrome/",
    );
  });

  it("refuses a password in the URL, a missing user or password, and other schemes", () => {
    expect(() => subsonicAccount("subsonic://ana:pw@host", "pw")).toThrow(/carries no password/);
    expect(() => subsonicAccount("subsonic://host:4533", "pw")).toThrow(/names its user/);
    expect(() => subsonicAccount("subsonic://ana@host", undefined)).toThrow(/VERSO_LIBRARY_PASSWORD/);
    expect(() => subsonicAccount("http://ana@host", "pw")).toThrow(/subsonic:\/\//);
  });

  it("compares API versions by number", () => {
    expect([versionAtLeast("1.16.1", "1.13.0"), versionAtLeast("1.10.2", "1.13.0")]).toEqual([true, false]);
  });
});

describe("SubsonicClient against supysonic", () => {
  it("pings, falling back from the token to the password on a server before API 1.13", async () => {
    const info = await client().ping();
    expect(info.apiVersion).toBe("1.10.2");
    expect([...info.extensions]).toEqual([]);
  });

  it("lists every song, a page at a time, with its tags and path", async () => {
    const songs = [];
    for await (const song of client().allSongs(2)) songs.push(song);
    expect(songs.map((song) => song.title).sort()).toEqual(["Harbour", "Nothing", "Tide"]);
    const harbour = songs.find((song) => song.title === "Harbour");
    expect(harbour).toMatchObject({
      artists: ["The Lanterns"],
      album: "Harbour Lights",
      path: "Harbour Lights/01 Harbour.mp3",
      durationSeconds: 1,
    });
  });

  it("reads lyrics from the tags and from a .txt beside the track, and none where there are none", async () => {
    const api = client();
    const songs = new Map<string, Awaited<ReturnType<typeof api.songs>>[number]>();
    for await (const song of api.allSongs()) songs.set(song.title, song);
    const lyricsOf = async (title: string) => (await api.lyrics(songs.get(title)!))?.text;
    expect(await lyricsOf("Harbour")).toBe("ships come home at night\nthe lights along the quay");
    expect(await lyricsOf("Tide")).toBe("the tide goes out\nand leaves us here");
    expect(await lyricsOf("Nothing")).toBeUndefined();
  });

  it("creates, lists, reads, updates and replaces a playlist, songs in order, for its own account", async () => {
    const api = client();
    const ids = new Map<string, string>();
    for await (const song of api.allSongs()) ids.set(song.title, song.id);
    const order = [ids.get("Tide")!, ids.get("Harbour")!];
    const id = await api.createPlaylist("ships at night", order);
    expect((await api.getPlaylist(id)).songIds).toEqual(order);
    expect((await api.getPlaylists()).find((playlist) => playlist.id === id)).toMatchObject({
      name: "ships at night",
      songCount: 2,
      owner: "alice",
    });

    await api.updatePlaylist(id, {
      name: "ships",
      songIdsToAdd: [ids.get("Nothing")!],
      songIndexesToRemove: [0],
    });
    expect(await api.getPlaylist(id)).toMatchObject({
      name: "ships",
      songIds: [ids.get("Harbour"), ids.get("Nothing")],
    });

    await api.replacePlaylistSongs(id, [ids.get("Nothing")!, ids.get("Tide")!]);
    expect((await api.getPlaylist(id)).songIds).toEqual([ids.get("Nothing"), ids.get("Tide")]);

    // Another account neither sees it nor may change it.
    const bob = client("bob", "another one");
    expect((await bob.getPlaylists()).map((playlist) => playlist.id)).not.toContain(id);
    await expect(bob.updatePlaylist(id, { name: "mine now" })).rejects.toMatchObject({
      code: "SUBSONIC_AUTH_FAILED",
    });
    await api.deletePlaylist(id);
    expect((await api.getPlaylists()).map((playlist) => playlist.id)).not.toContain(id);
  });

  it("reports a wrong password clearly, without the password, and does not retry", async () => {
    const failure = await client("alice", "wrong password")
      .ping()
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: "SUBSONIC_AUTH_FAILED" });
    expect(String((failure as Error).message)).toMatch(/refused the account alice/);
    expect(String((failure as Error).message)).not.toContain("wrong password");
  });

  it("reports a server that is down as unavailable", async () => {
    await server.stop();
    try {
      await expect(client().ping()).rejects.toMatchObject({ code: "DEPENDENCY_UNAVAILABLE" });
    } finally {
      await server.start();
    }
    expect((await client().ping()).apiVersion).toBe("1.10.2");
  });
});
