/**
 * An answer saved as a playlist: "Save as playlist" beside the answer downloads its M3U8 (and
 * its XSPF), named after the prompt, with the songs the page shows in the page's order; a
 * published prompt's page downloads the same way, in Spanish.
 */
import { readFile } from "node:fs/promises";
import type { Download, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { parseM3u8, parseXspf, xspfSchemaErrors } from "../../support/playlist-files.js";
import { text } from "../support/texts.js";
import { expectNoProblems, open, PASSWORD, songTitles, uniqueUsername, type Harness } from "./harness.js";

/** Clicks the link and answers the file the browser downloaded: its name and its text. */
async function downloaded(page: Page, name: string): Promise<{ file: string; content: string }> {
  const [download] = await Promise.all([
    page.waitForEvent("download") as Promise<Download>,
    page.getByRole("link", { name }).click(),
  ]);
  const path = await download.path();
  return { file: download.suggestedFilename(), content: await readFile(path, "utf8") };
}

/** Publishes a prompt as a new person, through the API. */
async function publish(base: string, prompt: string): Promise<{ id: number; text: string }> {
  const call = async (path: string, body: unknown, token?: string) => {
    const response = await fetch(new URL(path, base), {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  };
  const { token } = await call("/api/auth/register", {
    username: uniqueUsername("lists"),
    password: PASSWORD,
  });
  return (await call("/api/prompts", { text: prompt }, String(token))) as { id: number; text: string };
}

export function playlists(harness: Harness) {
  describe("an answer as a playlist", () => {
    it("downloads the answer as M3U8 and XSPF, its songs in the page's order", async () => {
      const watched = await open(harness);
      const { page } = watched;
      const t = (key: string, values?: Record<string, string>) => text("en", key, values);
      const prompt = "songs about the sea";
      try {
        await page.goto(`/?q=${encodeURIComponent(prompt)}`);
        const titles = await songTitles(page, prompt, "en");
        expect(titles.length).toBeGreaterThan(1);
        await page.getByText(t("playlist.save"), { exact: true }).click();

        const m3u8 = await downloaded(page, t("playlist.download", { format: "M3U8" }));
        expect(m3u8.file).toBe(`${prompt}.m3u8`);
        const list = parseM3u8(m3u8.content);
        expect([list.header, list.title]).toEqual(["#EXTM3U", prompt]);
        expect(list.entries.map((entry) => entry.name.split(" - ").slice(1).join(" - "))).toEqual(titles);
        for (const entry of list.entries) expect(entry.location).toMatch(/^https:\/\//);

        const xspf = await downloaded(page, t("playlist.download", { format: "XSPF" }));
        expect(xspf.file).toBe(`${prompt}.xspf`);
        expect(await xspfSchemaErrors(xspf.content)).toBeNull();
        expect(parseXspf(xspf.content).tracks.map((track) => track.title)).toEqual(titles);
        expectNoProblems(watched);
      } finally {
        await watched.context.close();
      }
    });

    it("downloads a published prompt's songs from its page, in Spanish", async () => {
      const watched = await open(harness, { locale: "es-ES", width: 360, height: 780 });
      const { page } = watched;
      const t = (key: string, values?: Record<string, string>) => text("es", key, values);
      try {
        const published = await publish(harness.verso().url, "canciones sobre el mar");
        await page.goto(`/prompts/${published.id}`);
        const titles = await songTitles(page, published.text, "es");
        await page.getByText(t("playlist.save"), { exact: true }).click();
        const m3u8 = await downloaded(page, t("playlist.download", { format: "M3U8" }));
        expect(m3u8.file.endsWith(".m3u8")).toBe(true);
        const list = parseM3u8(m3u8.content);
        expect(list.title).toBe(published.text);
        expect(list.entries.map((entry) => entry.name.split(" - ").slice(1).join(" - "))).toEqual(titles);
        expectNoProblems(watched);
      } finally {
        await watched.context.close();
      }
    });
  });
}
