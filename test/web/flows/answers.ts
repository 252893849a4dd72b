/**
 * An answer, and where it leads: its filters by keyboard (axe-clean, both languages, phone and
 * desktop), more songs, how well it fits, sharing it (with the preview a shared link shows),
 * a song's page with the passage that matched, the way back and the artist's page, and where to
 * listen to a song.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { seriousViolations } from "../support/axe.js";
import { screenshot } from "../support/artifacts.js";
import type { Theme } from "../support/browser.js";
import { text, type Language } from "../support/texts.js";
import { expectNoProblems, open, songTitles, type Harness } from "./harness.js";

const prompts: Record<Language, string> = { en: "songs about the sea", es: "canciones sobre el mar" };
const locales: Record<Language, string> = { en: "en-US", es: "es-ES" };

/** Presses Tab until the focused element matches, as a keyboard user would. */
async function tabUntil(page: Page, matches: () => Promise<boolean>) {
  for (let step = 0; step < 40; step++) {
    await page.keyboard.press("Tab");
    if (await matches()) return;
  }
  throw new Error("never reached the control with Tab");
}

const violationsOf = async (page: Page, label: string) =>
  (await seriousViolations(page)).map((v) => `${label}: ${v.id} ${v.help} — ${v.targets.join(", ")}`);

/** Each song's energy, from the API, for the songs the page lists. */
const energies = (page: Page) =>
  page.evaluate(async () => {
    const links = [...document.querySelectorAll<HTMLAnchorElement>(".songs .song-title a")];
    const ids = links.map((link) => decodeURIComponent(new URL(link.href).pathname.split("/")[2]!));
    return Promise.all(
      ids.map(
        async (id) =>
          (
            (await (await fetch(`/api/songs/${encodeURIComponent(id)}`)).json()) as {
              features: { energy: number | null };
            }
          ).features.energy,
      ),
    );
  });

export function answers(harness: Harness) {
  describe("an answer and where it leads", () => {
    it("takes filters by keyboard, in the address, in both languages, on a phone and a desktop", async () => {
      const variants: { language: Language; width: number; theme: Theme }[] = [
        { language: "en", width: 1280, theme: "light" },
        { language: "es", width: 360, theme: "dark" },
        { language: "es", width: 1280, theme: "light" },
        { language: "en", width: 360, theme: "light" },
      ];
      const violations: string[] = [];
      for (const { language, width, theme } of variants) {
        const t = (key: string, values?: Record<string, string | number>) => text(language, key, values);
        const label = `filters-${language}-${width}`;
        const watched = await open(harness, { locale: locales[language], width, height: 800, theme });
        const { page } = watched;
        try {
          await page.goto(`/?q=${encodeURIComponent(prompts[language])}`);
          await songTitles(page, prompts[language], language);
          // The disclosure, reached and opened from the keyboard.
          const summary = page.locator("details.filters > summary");
          await page.getByRole("searchbox", { name: t("ask.label") }).focus();
          await tabUntil(page, () => summary.evaluate((element) => element === document.activeElement));
          await page.keyboard.press("Enter");
          await expect.poll(() => page.locator("details.filters[open]").count()).toBe(1);

          const energy = page.getByRole("group", { name: t("filters.energy") });
          const from = energy.getByLabel(t("filters.from"));
          await tabUntil(page, () => from.evaluate((element) => element === document.activeElement));
          await page.keyboard.type("20");
          await page.keyboard.press("Tab");
          await page.keyboard.type("10");
          await page.keyboard.press("Enter");
          // A range that cannot hold is said next to it, and nothing is asked.
          await energy.getByText(t("filters.reversed")).waitFor();
          expect(await from.getAttribute("aria-invalid")).toBe("true");
          violations.push(...(await violationsOf(page, `${label}-error`)));

          const asked = page.waitForResponse((response) => response.url().endsWith("/api/ask"));
          await energy.getByLabel(t("filters.to")).fill("60");
          await energy.getByLabel(t("filters.to")).press("Enter");
          expect((await asked).request().postDataJSON()).toEqual({
            prompt: prompts[language],
            filters: { energy: { min: 0.2, max: 0.6 } },
          });
          expect(new URL(page.url()).searchParams.get("energy")).toBe("0.2..0.6");
          await songTitles(page, prompts[language], language);
          // Every song listed (once the filtered answer replaced the first) is in the range.
          const inRange = (values: (number | null)[]) =>
            values.length > 0 && values.every((value) => value !== null && value >= 0.2 && value <= 0.6);
          await expect.poll(async () => inRange(await energies(page))).toBe(true);
          await screenshot(page, `${label}-${theme}`);
          violations.push(...(await violationsOf(page, label)));
          expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

          // The address is the answer: a reload brings the same filters back.
          await page.reload();
          await songTitles(page, prompts[language], language);
          expect(await summary.textContent()).toContain(t("filters.on_one", { count: 1 }));
          await summary.click();
          expect(await energy.getByLabel(t("filters.from")).inputValue()).toBe("20");
          expect(await energy.getByLabel(t("filters.to")).inputValue()).toBe("60");
          expectNoProblems(watched);
        } finally {
          await watched.context.close();
        }
      }
      expect(violations, violations.join("\n")).toEqual([]);
    });

    it("gives more songs on request, focus on the first new one", async () => {
      const watched = await open(harness);
      const { page } = watched;
      const t = (key: string) => text("en", key);
      try {
        await page.goto(`/?q=${encodeURIComponent("songs about the sea")}`);
        expect(await songTitles(page, "songs about the sea", "en")).toHaveLength(10);
        await page.getByRole("button", { name: t("ask.moreSongs") }).click();
        await expect.poll(async () => (await songTitles(page, "songs about the sea", "en")).length).toBe(20);
        expect(new URL(page.url()).searchParams.get("k")).toBe("20");
        const titles = await songTitles(page, "songs about the sea", "en");
        await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe(titles[10]);
        expectNoProblems(watched);
      } finally {
        await watched.context.close();
      }
    });

    it("says when nothing fits, as the server's answer says, and not for a prompt that fits", async () => {
      const watched = await open(harness);
      const { page } = watched;
      const t = (key: string) => text("en", key);
      try {
        for (const [prompt, nonsense] of [
          ["xqzv blorf wuggle plim", true],
          ["songs about the ocean", false],
        ] as const) {
          const asked = page.waitForResponse((response) => response.url().endsWith("/api/ask"));
          await page.goto(`/?q=${encodeURIComponent(prompt)}`);
          const { fit } = (await (await asked).json()) as { fit: string | null };
          await songTitles(page, prompt, "en");
          const nothingFits = await page.getByText(t("ask.fitNone")).count();
          // The answer's fit is the server's to say; without one there is nothing to tell.
          if (fit === null) expect(nothingFits).toBe(0);
          else
            expect([fit, nothingFits]).toEqual(
              nonsense ? ["none", 1] : [expect.not.stringMatching(/none/), 0],
            );
        }
        expectNoProblems(watched);
      } finally {
        await watched.context.close();
      }
    });

    it("copies the link of an answer, whose page a link preview describes with its songs", async () => {
      const watched = await open(harness);
      const { page, context } = watched;
      const t = (key: string, values?: Record<string, string>) => text("en", key, values);
      const prompt = "songs about the ocean";
      try {
        await context.grantPermissions(["clipboard-read", "clipboard-write"], {
          origin: harness.verso().url,
        });
        await page.goto(`/?q=${encodeURIComponent(prompt)}`);
        const titles = await songTitles(page, prompt, "en");
        expect(await page.evaluate(() => typeof navigator.share)).toBe("undefined");
        await page
          .getByRole("button", { name: t("share.copyLabel", { what: t("ask.shareAnswer") }) })
          .click();
        await page.getByText(t("share.copied")).waitFor();
        const copied = new URL(await page.evaluate(() => navigator.clipboard.readText()));
        expect([copied.origin, copied.pathname, copied.searchParams.get("q")]).toEqual([
          harness.verso().url,
          "/",
          prompt,
        ]);

        // What a crawler that runs no script reads at that address.
        const html = await (await fetch(copied)).text();
        const meta = (key: string) =>
          new RegExp(`<meta (?:property|name)="${key}" content="([^"]*)"`)
            .exec(html)?.[1]
            ?.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
        expect(meta("og:title")).toBe(`“${prompt}” · Verso`);
        expect(meta("twitter:card")).toBe("summary");
        expect(meta("og:description")).toContain(titles[0]);
        expect(meta("twitter:description")).toBe(meta("og:description"));
        expectNoProblems(watched);
      } finally {
        await context.close();
      }
    });

    it("opens where to listen to a song by keyboard, on a phone in Spanish, axe-clean", async () => {
      const watched = await open(harness, { locale: locales.es, width: 360, height: 780 });
      const { page } = watched;
      const t = (key: string, values?: Record<string, string>) => text("es", key, values);
      try {
        await page.goto(`/?q=${encodeURIComponent(prompts.es)}`);
        const [title = ""] = await songTitles(page, prompts.es, "es");
        const first = page
          .getByRole("list", { name: /Canciones para/ })
          .getByRole("article")
          .first();
        const listen = first.getByRole("button", { name: t("listen.label") });
        await first.getByRole("link", { name: title, exact: true }).focus();
        await tabUntil(page, () => listen.evaluate((element) => element === document.activeElement));
        await page.keyboard.press("Enter");
        const search = first.getByRole("link", {
          name: t("listen.searchOn", { title, service: "YouTube Music" }),
        });
        await search.waitFor();
        const url = new URL((await search.getAttribute("href")) ?? "");
        expect([url.origin, url.searchParams.get("q")?.startsWith(title)]).toEqual([
          "https://music.youtube.com",
          true,
        ]);
        expect([await search.getAttribute("target"), await search.getAttribute("rel")]).toEqual([
          "_blank",
          "noopener noreferrer",
        ]);
        expect((await seriousViolations(page)).map((v) => v.id)).toEqual([]);

        await first.getByRole("link", { name: title, exact: true }).click();
        await page
          .getByRole("region", { name: t("listen.label") })
          .getByRole("link", { name: t("listen.searchOn", { title, service: "Apple Music" }) })
          .waitFor();
        expect((await seriousViolations(page)).map((v) => v.id)).toEqual([]);
        expectNoProblems(watched);
      } finally {
        await watched.context.close();
      }
    });

    it("opens a song on the passage that matched, back to the answer, and on to the artist's songs", async () => {
      const watched = await open(harness, { width: 360, height: 780 });
      const { page } = watched;
      const t = (key: string) => text("en", key);
      const prompt = "songs about the sea";
      try {
        await page.goto(`/?q=${encodeURIComponent(prompt)}`);
        const titles = await songTitles(page, prompt, "en");
        const first = page
          .getByRole("list", { name: /Songs for/ })
          .getByRole("article")
          .first();
        const artist = (await first.locator(".song-meta a").first().textContent()) ?? "";
        await first.getByRole("link", { name: titles[0] }).click();
        await page.getByRole("heading", { level: 1, name: titles[0] }).waitFor();
        await page.locator(".lyrics-passage").waitFor();
        await page.getByText(t("songs.passageShown")).waitFor();
        await screenshot(page, "song-from-answer-light-360");

        await page.getByRole("link", { name: t("songs.backToAnswer") }).click();
        expect(await songTitles(page, prompt, "en")).toEqual(titles);
        expect(new URL(page.url()).searchParams.get("q")).toBe(prompt);

        await page.getByRole("link", { name: titles[0] }).click();
        await page.getByRole("heading", { level: 1, name: titles[0] }).waitFor();
        await page.locator(".song-page .song-meta").getByRole("link", { name: artist }).click();
        await page.getByRole("heading", { level: 1, name: artist }).waitFor();
        await page
          .getByRole("list", { name: `Songs of ${artist}` })
          .getByRole("link", { name: titles[0] })
          .waitFor();
        expect((await seriousViolations(page)).map((v) => v.id)).toEqual([]);
        expectNoProblems(watched);
      } finally {
        await watched.context.close();
      }
    });
  });
}
