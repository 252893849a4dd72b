/** The app without a mouse: every step by keyboard, with the focus always visible. */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { text } from "../support/texts.js";
import { expectNoProblems, open, type Harness } from "./harness.js";

/** The focused element's name and whether a focus ring is drawn around it. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element) return null;
    const style = getComputedStyle(element);
    return {
      tag: element.tagName.toLowerCase(),
      text: (element.getAttribute("aria-label") ?? element.textContent ?? "").trim(),
      ring: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    };
  });

async function tabTo(page: Page, matches: (f: NonNullable<Awaited<ReturnType<typeof focused>>>) => boolean) {
  for (let step = 0; step < 60; step++) {
    await page.keyboard.press("Tab");
    const now = await focused(page);
    if (now && matches(now)) return now;
  }
  throw new Error("never reached the control with Tab");
}

export function keyboardUse(harness: Harness) {
  describe("by keyboard alone", () => {
    it("skips to the content, asks, opens the lyrics and reaches every section", async () => {
      const watched = await open(harness, { theme: "dark" });
      const { page } = watched;
      try {
        await page.goto("/");
        // The page's own code loads after the document: a Tab pressed before it has rendered
        // the page would land on whatever the render then replaces.
        await page.getByRole("searchbox", { name: text("en", "ask.label") }).waitFor();
        await page.keyboard.press("Tab");
        const skip = await focused(page);
        expect(skip).toMatchObject({ tag: "a", text: text("en", "layout.skip"), ring: true });
        await page.keyboard.press("Enter");
        expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");

        const box = await tabTo(page, (f) => f.tag === "input");
        expect(box.ring).toBe(true);
        await page.keyboard.type("songs about the sea at night");
        await page.keyboard.press("Enter");
        await page.getByRole("list", { name: /Songs for/ }).waitFor({ timeout: 60_000 });

        const lyricsButton = await tabTo(page, (f) => f.text === text("en", "songs.showLyrics"));
        expect(lyricsButton.ring).toBe(true);
        await page.keyboard.press("Enter");
        await page.locator(".lyrics-passage").first().waitFor();
        expect(
          await page
            .getByRole("button", { name: text("en", "songs.hideLyrics") })
            .getAttribute("aria-expanded"),
        ).toBe("true");

        // The lyrics box scrolls, so it takes focus too.
        const region = await tabTo(page, (f) => f.tag === "div");
        expect(region.ring).toBe(true);

        await page.goto("/");
        const nav = await tabTo(page, (f) => f.text === text("en", "layout.catalog"));
        expect(nav.ring).toBe(true);
        await page.keyboard.press("Enter");
        await page.getByRole("heading", { level: 1, name: text("en", "catalog.title") }).waitFor();
        // After the move, focus is on the new page's heading, where a screen reader starts.
        await expect.poll(async () => (await focused(page))?.tag).toBe("h1");
        expectNoProblems(watched);
      } finally {
        await watched.context.close();
      }
    });
  });
}
