/** Offline, the app says so, waits, and carries on by itself when the network is back. */
import { describe, expect, it } from "vitest";
import { text } from "../support/texts.js";
import { expectNoProblems, open, songTitles, type Harness } from "./harness.js";

export function offline(harness: Harness) {
  describe("without a network", () => {
    it("says it is offline, and answers once the network is back", async () => {
      const watched = await open(harness, { width: 360, height: 780 });
      const { page, context } = watched;
      try {
        await page.goto(`/?q=${encodeURIComponent("songs about rain")}`);
        await songTitles(page, "songs about rain", "en");

        await context.setOffline(true);
        await page.getByText(text("en", "errors.offlineBanner")).waitFor();
        const box = page.getByRole("searchbox", { name: text("en", "ask.label") });
        await box.fill("a lullaby for a child");
        await box.press("Enter");
        await page.getByText(text("en", "errors.offline")).waitFor();

        await context.setOffline(false);
        const titles = await songTitles(page, "a lullaby for a child", "en");
        expect(titles.length).toBeGreaterThan(0);
        await expect.poll(() => page.getByText(text("en", "errors.offlineBanner")).count()).toBe(0);
        expectNoProblems(watched);
      } finally {
        await context.close();
      }
    });
  });
}
