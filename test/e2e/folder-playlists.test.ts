/**
 * A music folder's answer as playlist files: Verso reads a real folder of audio files as its
 * catalog, and the M3U8 and XSPF of an ask locate each song by its path in the folder (so the
 * file, kept at the folder's root, plays in any player), in the answer's order.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestOnce } from "../../src/roles/ingest-once.js";
import { makeTrack } from "../support/music-files.js";
import { parseM3u8, parseXspf, xspfSchemaErrors } from "../support/playlist-files.js";
import { openTestVerso, tempDir } from "../support/verso.js";

const lyric = (theme: string) =>
  `I sing about ${theme} in the morning\nand ${theme} again at night\n\n${theme} is all I know\nso I hold it tight`;

describe("a music folder's answer as a playlist", () => {
  const music = tempDir("verso-folder-playlists-");
  let t: Awaited<ReturnType<typeof openTestVerso>>;
  const files = {
    "Coast/01 Harbour & Home.mp3": ["Harbour & Home", "ships coming home to the harbour at night"],
    "Coast/02 Tide.flac": ["Tide", "the sea and its tide under the moon"],
    "#1 Hits/Lanterns.ogg": ["Lanterns", "lanterns on the quay as the boats come in"],
  } as const;

  beforeAll(async () => {
    for (const [file, [title, theme]] of Object.entries(files)) {
      await makeTrack(path.join(music, file), { title, artist: "The Lanterns", lyrics: lyric(theme) });
    }
    t = await openTestVerso({ libraryUrl: `file://${music}` });
    await ingestOnce(t.verso, t.verso.configuredLibrary()!.url);
  }, 300_000);

  afterAll(async () => {
    await t?.close();
    fs.rmSync(music, { recursive: true, force: true });
  });

  it("locates each song by its path in the folder, in the answer's order", async () => {
    const prompt = "boats coming home to the harbour at night";
    const answer = await t.app.inject({ method: "POST", url: "/api/ask", payload: { prompt, k: 3 } });
    expect(answer.statusCode, answer.body).toBe(200);
    const titles = (answer.json().results as { song: { title: string } }[]).map((hit) => hit.song.title);
    expect(titles).toHaveLength(3);
    const pathOf = (title: string) => Object.entries(files).find(([, [name]]) => name === title)?.[0];

    const m3u8 = await t.app.inject({ url: `/api/ask.m3u8?prompt=${encodeURIComponent(prompt)}&k=3` });
    expect(m3u8.statusCode).toBe(200);
    // A path starting with "#" is written "./#…", or a player would read a comment.
    expect(parseM3u8(m3u8.body).entries.map((entry) => entry.location)).toEqual(
      titles.map((title) => pathOf(title)!.replace(/^#/, "./#")),
    );
    for (const entry of parseM3u8(m3u8.body).entries) {
      expect(fs.existsSync(path.join(music, entry.location))).toBe(true);
      expect(entry.seconds).toBe(1);
    }

    const xspf = await t.app.inject({ url: `/api/ask.xspf?prompt=${encodeURIComponent(prompt)}&k=3` });
    expect(await xspfSchemaErrors(xspf.body)).toBeNull();
    const locations = parseXspf(xspf.body).tracks.map((track) => track.location[0]!);
    // URI references: resolved against the folder, each is the song's file.
    const folder = new URL(`file://${music}/`);
    expect(locations.map((location) => decodeURIComponent(new URL(location, folder).pathname))).toEqual(
      titles.map((title) => path.join(music, pathOf(title)!)),
    );
  });
});
