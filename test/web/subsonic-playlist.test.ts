/**
 * Saving an answer as a playlist on the music server, in the browser: a Verso whose catalog is a
 * real Supysonic, a person who saves their own account there on their account page, then saves
 * an answer with "Save to"; the server's getPlaylists and getPlaylist then hold it, the songs in
 * the order the page shows them. Its own server, since its catalog is another.
 */
import fs from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SubsonicClient, subsonicAccount } from "../../src/adapters/subsonic/client.js";
import { makeTrack } from "../support/music-files.js";
import { startSupysonic, type SupysonicServer } from "../support/supysonic.js";
import { tempDir } from "../support/verso.js";
import { expectNoProblems, open, signUp, songTitles, uniqueUsername, type Harness } from "./flows/harness.js";
import { screenshot } from "./support/artifacts.js";
import { launchChromium } from "./support/browser.js";
import { text } from "./support/texts.js";
import { startVerso, waitForCatalog, type RunningVerso } from "./support/verso-process.js";

const t = (key: string, values?: Record<string, string | number>) => text("en", key, values);
const lyric = (theme: string) =>
  `I sing about ${theme} in the morning\nand ${theme} again at night\n\n${theme} is all I know\nso I hold it tight`;
const library = { name: "library", password: "the catalog's own account" };
const ana = { name: "ana", password: "ana's own password" };

const music = tempDir("verso-web-subsonic-");
let supysonic: SupysonicServer | undefined;
let verso: RunningVerso | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  const songs = [
    ["Harbour", "ships coming home to the harbour at night"],
    ["Tide", "the sea and its tide under the moon"],
    ["Lanterns", "lanterns on the quay as the boats come in"],
  ];
  for (const [i, [title, theme]] of songs.entries()) {
    await makeTrack(path.join(music, `0${i + 1} ${title}.mp3`), {
      title: title!,
      artist: "The Lanterns",
      lyrics: lyric(theme!),
    });
  }
  supysonic = await startSupysonic(music, [library, ana]);
  [verso, browser] = await Promise.all([
    startVerso({
      flags: ["--demo", "false"],
      env: {
        VERSO_LIBRARY_URL: `subsonic://${library.name}@127.0.0.1:${supysonic.port}`,
        VERSO_LIBRARY_PASSWORD: library.password,
      },
    }),
    launchChromium(),
  ]);
  await waitForCatalog(verso.url);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await verso?.stop();
  await supysonic?.close();
  fs.rmSync(music, { recursive: true, force: true });
});

const harness: Harness = {
  verso: () => verso!,
  browser: () => browser!,
};

describe("an answer saved on the music server", () => {
  it("saves my account on my account page, then the answer as my playlist there, in the page's order", async () => {
    const server = `127.0.0.1:${supysonic!.port}`;
    const watched = await open(harness);
    const { page } = watched;
    try {
      await signUp(page, "en", uniqueUsername("lists"));
      await page.goto("/me");
      await page.getByLabel(t("me.musicServerUsername")).fill(ana.name);
      await page.getByLabel(t("me.musicServerPassword")).fill(ana.password);
      await page.getByRole("button", { name: t("me.musicServerSave") }).click();
      await page.getByText(t("me.musicServerSaved", { username: ana.name, server })).waitFor();

      const prompt = "boats coming home to the harbour at night";
      await page.goto(`/?q=${encodeURIComponent(prompt)}`);
      const titles = await songTitles(page, prompt, "en");
      await page.getByText(t("playlist.save"), { exact: true }).click();
      await page.getByRole("button", { name: t("playlist.saveTo", { server }) }).click();
      await page
        .getByText(
          t(titles.length === 1 ? "playlist.savedTo_one" : "playlist.savedTo_other", {
            server,
            count: titles.length,
          }),
        )
        .waitFor();

      await screenshot(page, "save-playlist-light-1280", { fullPage: false });

      const client = new SubsonicClient(
        subsonicAccount(`subsonic://${ana.name}@127.0.0.1:${supysonic!.port}`, ana.password),
      );
      const ids = new Map<string, string>();
      for await (const song of client.allSongs()) ids.set(song.title, song.id);
      const saved = (await client.getPlaylists()).find((playlist) => playlist.name === prompt);
      expect(saved).toMatchObject({ owner: ana.name, songCount: titles.length });
      expect((await client.getPlaylist(saved!.id)).songIds).toEqual(titles.map((title) => ids.get(title)));
      expectNoProblems(watched);
    } finally {
      await watched.context.close();
    }
  });
});
