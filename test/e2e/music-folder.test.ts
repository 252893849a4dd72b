/**
 * A music folder as a catalog: real audio files made by ffmpeg in MP3, FLAC, Ogg and M4A with
 * lyrics in each format's tags, an .lrc and a .txt beside tracks, a track without lyrics, a
 * corrupt file and a symbolic link out of the folder; then a second scan after a rename and a
 * removal, and an ask answered from the library with the track's place and links.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MusicFolder } from "../../src/adapters/library/music-folder.js";
import { librarySongId } from "../../src/adapters/library/track-song.js";
import type { ListenLink } from "../../src/core/catalog/listen-links.js";
import type { Song } from "../../src/core/catalog/song.js";
import type { CatalogObject } from "../../src/core/catalog/store.js";
import { RACY_MS } from "../../src/adapters/bucket/folder.js";
import { ingestOnce } from "../../src/roles/ingest-once.js";
import { makeTrack } from "../support/music-files.js";
import { openTestVerso, tempDir } from "../support/verso.js";

const lyric = (theme: string) =>
  `I sing about ${theme} in the morning\nand ${theme} again at night\n\n${theme} is all I know\nso I hold it tight`;
const recording = "b1a9c0e9-d987-4042-ae91-78d6a3267d69";

const walkFiles = (folder: string): string[] =>
  fs
    .readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));

describe("a music folder as a catalog", () => {
  const music = tempDir("verso-music-");
  const outside = tempDir("verso-outside-");
  let t: Awaited<ReturnType<typeof openTestVerso>>;
  let source: string;
  let first: Record<string, CatalogObject>;
  const byKey = (objects: CatalogObject[]) => Object.fromEntries(objects.map((o) => [o.key, o]));
  const ask = async (prompt: string, k = 3) => {
    const reply = await t.app.inject({ method: "POST", url: "/api/ask", payload: { prompt, k } });
    expect(reply.statusCode, reply.body).toBe(200);
    return reply.json() as {
      results: { song: Song & { listen: ListenLink[] }; passage: { text: string } }[];
    };
  };
  const songAt = async (key: string) => {
    const id = librarySongId("f", source, key);
    return (await t.verso.songStore()).getSong(id);
  };

  beforeAll(async () => {
    const artist = "The Lanterns";
    await makeTrack(path.join(music, "Coast", "01 Harbour.mp3"), {
      title: "Harbour",
      artist,
      album: "Coast",
      year: 2019,
      genre: "Folk",
      lyrics: lyric("ships coming home to the harbour"),
    });
    await makeTrack(path.join(music, "Coast", "02 Tide.flac"), {
      title: "Tide",
      artist,
      album: "Coast",
      lyrics: lyric("the tide that pulls the moon"),
      musicBrainzTrackId: recording,
    });
    await makeTrack(path.join(music, "Coast", "03 Drift.ogg"), {
      title: "Drift",
      artist,
      lyrics: lyric("driftwood on a grey beach"),
    });
    await makeTrack(path.join(music, "Coast", "04 Shore.m4a"), {
      title: "Shore",
      artist,
      lyrics: lyric("footprints washed from the shore"),
    });
    await makeTrack(path.join(music, "Other", "Lantern.mp3"), { title: "Lantern", artist: "Mira" });
    fs.writeFileSync(
      path.join(music, "Other", "Lantern.lrc"),
      "[ar:Mira]\n[ti:Lantern]\n[00:01.00]a lantern swinging in the dark\n[00:04.50]a lantern for my mother\n[00:08.00]\n[00:09.00]she waits up every night\n[00:12.00]until the boats are in\n",
    );
    await makeTrack(path.join(music, "Other", "Window.ogg"), { title: "Window", artist: "Mira" });
    fs.writeFileSync(path.join(music, "Other", "Window.txt"), lyric("rain against the kitchen window"));
    await makeTrack(path.join(music, "Other", "Silence.flac"), { title: "Silence", artist: "Mira" });
    fs.writeFileSync(path.join(music, "Other", "broken.mp3"), "not audio at all ".repeat(100));
    fs.writeFileSync(path.join(music, "Other", "cover.jpg"), "not a track");
    await makeTrack(path.join(outside, "secret.mp3"), {
      title: "Secret",
      artist: "Nobody",
      lyrics: lyric("secrets"),
    });
    fs.symlinkSync(path.join(outside, "secret.mp3"), path.join(music, "Other", "secret.mp3"));

    t = await openTestVerso({ libraryUrl: `file://${music}` });
    source = t.verso.configuredLibrary()!.url;
    first = byKey((await ingestOnce(t.verso, source)).objects);
  }, 300_000);

  afterAll(async () => {
    await t?.close();
    fs.rmSync(music, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it("lists every audio file as an object, and only those", () => {
    expect(source).toBe(`music+file://${path.resolve(music)}`);
    expect(Object.keys(first).sort()).toEqual([
      "Coast/01 Harbour.mp3",
      "Coast/02 Tide.flac",
      "Coast/03 Drift.ogg",
      "Coast/04 Shore.m4a",
      "Other/Lantern.mp3",
      "Other/Silence.flac",
      "Other/Window.ogg",
      "Other/broken.mp3",
      "Other/secret.mp3",
    ]);
  });

  it("reads each track's tags, and its lyrics from the tags of each format", async () => {
    for (const key of [
      "Coast/01 Harbour.mp3",
      "Coast/02 Tide.flac",
      "Coast/03 Drift.ogg",
      "Coast/04 Shore.m4a",
    ]) {
      expect(first[key], key).toMatchObject({ status: "done", songs: 1, passages: 1 });
      const song = await songAt(key);
      expect(song?.origin, key).toMatchObject({ path: key, lyricsFrom: "tags" });
      expect(song?.lyrics, key).toMatch(/^I sing about .* in the morning\nand /);
      expect(song?.artists, key).toEqual(["The Lanterns"]);
    }
    expect(await songAt("Coast/01 Harbour.mp3")).toMatchObject({
      title: "Harbour",
      album: "Coast",
      genre: "Folk",
      releaseDate: "2019",
      features: { durationMs: expect.any(Number) },
    });
    expect((await songAt("Coast/02 Tide.flac"))?.origin?.musicBrainzRecordingId).toBe(recording);
  });

  it("reads lyrics from an .lrc beside a track, timestamps out of the text and kept for display", async () => {
    const lantern = await songAt("Other/Lantern.mp3");
    expect(lantern?.lyrics).toBe(
      "a lantern swinging in the dark\na lantern for my mother\n\nshe waits up every night\nuntil the boats are in",
    );
    expect(lantern?.origin).toMatchObject({ lyricsFrom: "lrc", path: "Other/Lantern.mp3" });
    expect(lantern?.origin?.timedLyrics).toMatch(
      /^\[ar:Mira\]\n\[ti:Lantern\]\n\[00:01.00\]a lantern swinging/,
    );
    const window = await songAt("Other/Window.ogg");
    expect([window?.origin?.lyricsFrom, window?.lyrics]).toEqual([
      "txt",
      lyric("rain against the kitchen window"),
    ]);
  });

  it("lists and counts a track without lyrics, without embedding it", async () => {
    expect(first["Other/Silence.flac"]).toMatchObject({ status: "done", songs: 1, passages: 0 });
    expect(await songAt("Other/Silence.flac")).toMatchObject({ title: "Silence", lyrics: null });
    const totals = await (await t.verso.catalogStores()).status.totals();
    expect([totals.songs, totals.songsWithPassages]).toEqual([7, 6]);
  });

  it("fails the corrupt file and the link out of the folder alone, each with why", () => {
    expect(first["Other/broken.mp3"]).toMatchObject({ status: "failed", songs: 0 });
    expect(first["Other/broken.mp3"]!.error).toMatch(/cannot be read as audio/);
    expect(first["Other/secret.mp3"]).toMatchObject({ status: "failed", songs: 0 });
    expect(first["Other/secret.mp3"]!.error).toMatch(/symbolic link to a file outside/);
  });

  it("answers an ask from the library, each song with its place in the folder and its links", async () => {
    const answer = await ask("ships coming home to the harbour");
    const top = answer.results[0]!;
    expect(top.song.title).toBe("Harbour");
    expect(top.song.origin).toMatchObject({ path: "Coast/01 Harbour.mp3" });
    expect(top.passage.text).toMatch(/ships coming home/);
    const tide = (await ask("the tide that pulls the moon")).results[0]!;
    expect(tide.song.listen[0]).toEqual({
      service: "MusicBrainz",
      kind: "song",
      url: `https://musicbrainz.org/recording/${recording}`,
    });
  });

  it("reads nothing again when nothing changed, not even to hash it", async () => {
    // A file changed within the file system's timestamp granularity is hashed again until it
    // is older than that (see RACY_MS): wait until every file of the library is.
    const newest = Math.max(...walkFiles(music).map((file) => fs.statSync(file).ctimeMs));
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, newest + RACY_MS + 50 - Date.now())));
    const library = t.verso.configuredLibrary() as MusicFolder;
    expect((await ingestOnce(t.verso, source)).objects).toEqual([]);
    const hashed = library.hashStats().files;
    const again = await ingestOnce(t.verso, source);
    expect([again.listed, again.objects]).toEqual([9, []]);
    expect(library.hashStats().files).toBe(hashed);
  });

  it("follows a rename and a removal: the old entries leave the catalog, the renamed track comes back", async () => {
    fs.renameSync(
      path.join(music, "Coast", "03 Drift.ogg"),
      path.join(music, "Coast", "03 Drift (live).ogg"),
    );
    fs.rmSync(path.join(music, "Coast", "04 Shore.m4a"));
    const run = await ingestOnce(t.verso, source);
    expect(run.objects.map((o) => [o.key, o.status])).toEqual([["Coast/03 Drift (live).ogg", "done"]]);
    const keys = (await (await t.verso.catalogStores()).objects.listObjects({ source })).map((o) => o.key);
    expect(keys).not.toContain("Coast/03 Drift.ogg");
    expect(keys).not.toContain("Coast/04 Shore.m4a");
    expect(await songAt("Coast/04 Shore.m4a")).toBeNull();
    expect(await songAt("Coast/03 Drift.ogg")).toBeNull();
    expect((await songAt("Coast/03 Drift (live).ogg"))?.title).toBe("Drift");
    expect(
      (await ask("footprints washed from the shore", 10)).results.map((r) => r.song.title),
    ).not.toContain("Shore");
  });

  it("reads a track again when its lyrics file beside it changes", async () => {
    fs.writeFileSync(path.join(music, "Other", "Window.txt"), lyric("snow on the kitchen window"));
    const run = await ingestOnce(t.verso, source);
    expect(run.objects.map((o) => o.key)).toEqual(["Other/Window.ogg"]);
    expect((await songAt("Other/Window.ogg"))?.lyrics).toBe(lyric("snow on the kitchen window"));
  });
});
