/**
 * A Subsonic server as a catalog: a real Supysonic over audio files made by ffmpeg, synced by
 * Verso through the API (songs, then each one's lyrics), answering an ask with the server's song
 * ids; then the failure modes: a wrong password, and the server gone in the middle of a sync.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { librarySongId } from "../../src/adapters/library/track-song.js";
import { SubsonicClient, subsonicAccount } from "../../src/adapters/subsonic/client.js";
import type { CatalogObject } from "../../src/core/catalog/store.js";
import { ingestOnce } from "../../src/roles/ingest-once.js";
import { startWorker } from "../../src/roles/worker.js";
import { makeTrack } from "../support/music-files.js";
import { startSupysonic, type SupysonicServer } from "../support/supysonic.js";
import { openTestVerso, tempDir } from "../support/verso.js";

const lyric = (theme: string) =>
  `I sing about ${theme} in the morning\nand ${theme} again at night\n\n${theme} is all I know\nso I hold it tight`;
const password = "correct horse battery";

describe("a Subsonic server as a catalog", () => {
  const music = tempDir("verso-subsonic-library-");
  let server: SupysonicServer;
  let t: Awaited<ReturnType<typeof openTestVerso>>;
  let source: string;
  let first: CatalogObject[];
  const serverIds = new Map<string, string>();

  beforeAll(async () => {
    await makeTrack(path.join(music, "Coast", "01 Harbour.mp3"), {
      title: "Harbour",
      artist: "The Lanterns",
      album: "Coast",
      lyrics: lyric("ships coming home to the harbour"),
    });
    await makeTrack(path.join(music, "Coast", "02 Tide.flac"), {
      title: "Tide",
      artist: "The Lanterns",
      album: "Coast",
      lyrics: lyric("the tide that pulls the moon"),
    });
    await makeTrack(path.join(music, "Other", "Window.ogg"), { title: "Window", artist: "Mira" });
    fs.writeFileSync(path.join(music, "Other", "Window.txt"), lyric("rain against the kitchen window"));
    await makeTrack(path.join(music, "Other", "Silence.flac"), { title: "Silence", artist: "Mira" });
    server = await startSupysonic(music, [{ name: "alice", password }]);
    const api = new SubsonicClient(subsonicAccount(server.subsonicUrl, password));
    for await (const song of api.allSongs()) serverIds.set(song.title, song.id);

    t = await openTestVerso({
      libraryUrl: server.subsonicUrl,
      libraryPassword: password,
      // A song whose server is away fails at once (the next crawl takes it again), so the
      // test sees where a sync stopped instead of waiting through retries.
      ingestRetrySeconds: "0",
      failedRetrySeconds: "0",
    });
    source = t.verso.configuredLibrary()!.url;
    first = (await ingestOnce(t.verso, source)).objects;
  }, 300_000);

  afterAll(async () => {
    await t?.close();
    await server?.close();
    fs.rmSync(music, { recursive: true, force: true });
  });

  const songOf = async (title: string) =>
    (await t.verso.songStore()).getSong(librarySongId("s", source, serverIds.get(title)!));

  it("lists every song of the account as an object keyed by its server id", () => {
    expect(source).toBe(`subsonic://alice@127.0.0.1:${server.port}`);
    expect(first.map((o) => [o.key, o.status]).sort()).toEqual(
      [...serverIds.values()].map((id) => [`songs/${id}`, "done"]).sort(),
    );
  });

  it("reads each song's tags and its lyrics from the server, keeping the server's song id", async () => {
    const harbour = await songOf("Harbour");
    expect(harbour).toMatchObject({ title: "Harbour", artists: ["The Lanterns"], album: "Coast" });
    expect(harbour?.lyrics).toBe(lyric("ships coming home to the harbour"));
    expect(harbour?.origin).toMatchObject({
      server: `http://127.0.0.1:${server.port}/`,
      serverSongId: serverIds.get("Harbour"),
      path: "Coast/01 Harbour.mp3",
      lyricsFrom: "server",
    });
    expect((await songOf("Window"))?.lyrics).toBe(lyric("rain against the kitchen window"));
    expect(await songOf("Silence")).toMatchObject({ lyrics: null });
    const totals = await (await t.verso.catalogStores()).status.totals();
    expect([totals.songs, totals.songsWithPassages]).toEqual([4, 3]);
  });

  it("answers an ask with the server's song", async () => {
    const reply = await t.app.inject({
      method: "POST",
      url: "/api/ask",
      payload: { prompt: "the tide that pulls the moon", k: 2 },
    });
    expect(reply.statusCode, reply.body).toBe(200);
    const top = reply.json().results[0];
    expect(top.song).toMatchObject({ title: "Tide", origin: { serverSongId: serverIds.get("Tide") } });
  });

  it("reads nothing again on a re-sync of an unchanged server", async () => {
    const again = await ingestOnce(t.verso, source);
    expect([again.listed, again.objects]).toEqual([4, []]);
  });

  it("refuses a wrong password with a clear error: the crawl fails at once and queues nothing", async () => {
    const wrong = await openTestVerso({ libraryUrl: server.subsonicUrl, libraryPassword: "not it" });
    try {
      const crawl = (await wrong.verso.crawler()).crawl(wrong.verso.configuredLibrary()!);
      await expect(crawl).rejects.toMatchObject({
        code: "SUBSONIC_AUTH_FAILED",
        message: expect.stringMatching(/refused the account alice/),
      });
      const error = await (
        await wrong.verso.crawler()
      )
        .crawl(wrong.verso.configuredLibrary()!)
        .catch((e) => e);
      expect(String(error.message)).not.toContain("not it");
      expect(await (await wrong.verso.catalogStores()).objects.listObjects({ source })).toEqual([]);
    } finally {
      await wrong.close();
    }
  });

  it("loses and doubles nothing when the server goes away in the middle of a sync", async () => {
    await makeTrack(path.join(music, "New", "Lantern.mp3"), {
      title: "Lantern",
      artist: "Mira",
      lyrics: lyric("a lantern swinging in the dark"),
    });
    await makeTrack(path.join(music, "New", "Gull.ogg"), {
      title: "Gull",
      artist: "Mira",
      lyrics: lyric("gulls"),
    });
    await server.scan();
    const api = new SubsonicClient(subsonicAccount(server.subsonicUrl, password));
    for await (const song of api.allSongs()) serverIds.set(song.title, song.id);

    // The listing gets through; the server goes before the new songs' lyrics are read.
    const crawler = await t.verso.crawler();
    const listed = await crawler.crawl(t.verso.configuredLibrary()!);
    expect(listed.queued.map((o) => o.key).sort()).toEqual(
      [`songs/${serverIds.get("Gull")}`, `songs/${serverIds.get("Lantern")}`].sort(),
    );
    await server.stop();
    const stores = await t.verso.catalogStores();
    const worker = await startWorker(t.verso);
    try {
      for (;;) {
        const objects = await stores.objects.listObjects({ source });
        if (objects.every((o) => o.status === "done" || o.status === "failed")) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await worker.stop();
    }
    const failed = (await stores.objects.listObjects({ source })).filter((o) => o.status === "failed");
    expect(failed.map((o) => o.key).sort()).toEqual(listed.queued.map((o) => o.key).sort());
    expect(failed[0]!.error).toMatch(/could not be reached/);

    // A crawl while it is away changes nothing: it fails, and no song leaves the catalog.
    await expect(crawler.crawl(t.verso.configuredLibrary()!)).rejects.toMatchObject({
      code: "DEPENDENCY_UNAVAILABLE",
    });
    expect((await stores.objects.listObjects({ source })).length).toBe(6);

    // Back: the next sync resumes, and every song is there once.
    await server.start();
    const resumed = await ingestOnce(t.verso, source);
    expect(resumed.objects.map((o) => o.status)).toEqual(["done", "done"]);
    const objects = await stores.objects.listObjects({ source });
    expect(objects.map((o) => o.status)).toEqual(Array(6).fill("done"));
    expect(new Set(objects.map((o) => o.key)).size).toBe(6);
    expect((await stores.status.totals()).songs).toBe(6);
    expect((await songOf("Lantern"))?.lyrics).toBe(lyric("a lantern swinging in the dark"));
  });
});
