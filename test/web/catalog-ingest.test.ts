/**
 * The catalog page while a real ingest runs: an administrator scans a bucket of a few hundred
 * real songs, the progress rises, the Ask page says its answers are not final yet, and files
 * that fail or hold bad rows say why. Its own server, so the long ingest disturbs no other test.
 */
import fs from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sharedDir } from "../../src/paths.js";
import { expectNoProblems, open, signOut, signUp, uniqueUsername, type Harness } from "./flows/harness.js";
import { screenshot } from "./support/artifacts.js";
import { launchChromium } from "./support/browser.js";
import { text } from "./support/texts.js";
import { startVerso, type RunningVerso } from "./support/verso-process.js";

const t = (key: string, values?: Record<string, string | number>) => text("en", key, values);

/** A few hundred songs of four artists, read where they are (never copied into the repository). */
const realFiles = ["BillieEilish.csv", "CardiB.csv", "CharliePuth.csv", "Khalid.csv"].map((name) =>
  path.join(sharedDir, "datasets", "song-lyrics-21-artists", name),
);

const admin = uniqueUsername("admin");
let bucket: string;
let verso: RunningVerso | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  for (const file of realFiles) if (!fs.existsSync(file)) throw new Error(`missing data set file ${file}`);
  // The bucket is the data folder's own (file://<data dir>/bucket), crawled only on demand.
  verso = await startVerso({
    flags: ["--demo", "false", "--crawl-schedule", "off"],
  });
  bucket = path.join(verso.dataDir, "bucket");
  browser = await launchChromium();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await verso?.stop();
});

const harness: Harness = {
  verso() {
    if (!verso) throw new Error("the server did not start");
    return verso;
  },
  browser() {
    if (!browser) throw new Error("the browser did not start");
    return browser;
  },
};

const runProgress = (page: Page) =>
  page
    .getByRole("progressbar", { name: t("catalog.ingestProgress") })
    .getAttribute("data-progress")
    .then(Number);

/** The number under a label of the catalog's figures. */
const stat = (page: Page, label: string) =>
  page
    .locator(".stat")
    .filter({ has: page.getByText(label, { exact: true }) })
    .locator("dd")
    .textContent()
    .then((value) => Number(value?.replace(/\D/g, "")));

describe("the catalog during an ingest", () => {
  it("shows the progress rising, the answers as not final, and what failed and why", async () => {
    const watched = await open(harness);
    const { page } = watched;
    try {
      // Someone who is not an administrator is not offered a scan that would be refused.
      await signUp(page, "en", uniqueUsername("visitor"));
      await page.goto("/catalog");
      await page.getByText(t("catalog.noObjects")).waitFor();
      expect(await page.getByRole("button", { name: t("catalog.scan") }).count()).toBe(0);
      await signOut(page, "en");

      // An administrator scans two small files: one without a lyrics column, one with a bad row.
      fs.writeFileSync(path.join(bucket, "no-lyrics.csv"), "Artist,Title,Album\nNobody,Nothing,Empty\n");
      fs.writeFileSync(
        path.join(bucket, "one-bad-row.csv"),
        [
          "Artist,Title,Album,Year,Date,Lyric",
          '"The Testers","Harbour Lights","Piers","2020","2020-01-01","the boats come home at night\nand the harbour lights are on"',
          '"The Testers","","Piers","2020","2020-01-01","a song that lost its title"',
          "",
        ].join("\n"),
      );
      await signUp(page, "en", admin);
      // Granted from the command line, as an operator does, while the server runs.
      expect(await harness.verso().command(["admin", "grant", admin])).toContain("is an administrator");
      await page.goto("/catalog");
      const scan = page.getByRole("button", { name: t("catalog.scan") });
      await scan.click();
      await page.getByText("2 files listed, 2 queued to be read (new, changed or failed before).").waitFor();
      const failed = page.getByRole("article").filter({ hasText: "no-lyrics.csv" });
      await failed.getByText(t("catalog.status.failed"), { exact: true }).waitFor({ timeout: 120_000 });
      expect(await failed.textContent()).toMatch(/lyric/i);
      const withBadRow = page.getByRole("article").filter({ hasText: "one-bad-row.csv" });
      await withBadRow.getByText(t("catalog.status.done"), { exact: true }).waitFor({ timeout: 120_000 });
      await withBadRow.getByText(t("catalog.badRows_one", { formatted: 1 })).click();
      await withBadRow.getByText(/Line \d+: no title/).waitFor();
      await screenshot(page, "catalog-failures-light-1280");

      // Then a few hundred real songs: the run's progress rises while they are read.
      for (const file of realFiles) fs.copyFileSync(file, path.join(bucket, path.basename(file)));
      await scan.click();
      // The four new files, and the failed one: a scan from the API tries failed objects again.
      await page.getByText("6 files listed, 5 queued to be read (new, changed or failed before).").waitFor();
      await page.getByRole("heading", { name: t("catalog.ingestRunning") }).waitFor({ timeout: 60_000 });
      await expect.poll(() => runProgress(page), { timeout: 120_000 }).toBeGreaterThan(0);
      const firstProgress = await runProgress(page);
      const firstSongs = await stat(page, t("catalog.songs"));
      await screenshot(page, "catalog-ingesting-light-1280");
      await expect
        .poll(() => runProgress(page), { timeout: 180_000, interval: 1000 })
        .toBeGreaterThan(firstProgress);
      await expect
        .poll(() => stat(page, t("catalog.songs")), { timeout: 180_000, interval: 1000 })
        .toBeGreaterThan(firstSongs);

      // Meanwhile the Ask page says its answer is not the final one.
      const asker = await open(harness, { theme: "dark", width: 360, height: 780 });
      try {
        await asker.page.goto(`/?q=${encodeURIComponent("songs about the ocean")}`);
        await asker.page.getByRole("heading", { name: t("ingest.title") }).waitFor();
        await asker.page.getByRole("progressbar", { name: t("ingest.progressLabel") }).waitFor();
        await screenshot(asker.page, "ask-ingesting-dark-360");
        expectNoProblems(asker);
      } finally {
        await asker.context.close();
      }

      // The server goes away: the page keeps what it knew and says it cannot reach Verso.
      await harness.verso().stop();
      await page
        .getByText(/Showing the last known state\. Verso cannot be reached/)
        .waitFor({ timeout: 60_000 });
      expect(watched.problems.every((problem) => problem.startsWith("request failed"))).toBe(true);
    } finally {
      await watched.context.close();
    }
  });
});
