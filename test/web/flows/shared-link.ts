/** An answer lives at its address: reloading it, or opening it elsewhere, gives the same songs. */
import { describe, expect, it } from "vitest";
import { expectNoProblems, open, songTitles, type Harness } from "./harness.js";

export function sharedLink(harness: Harness) {
  describe("a shared /?q= link", () => {
    it("reloads to the same results, and opens to them in another browser", async () => {
      const prompt = "top 5 songs about leaving home";
      const link = `/?q=${encodeURIComponent(prompt)}`;
      const first = await open(harness);
      const second = await open(harness, { theme: "dark", width: 360, height: 780 });
      try {
        await first.page.goto(link);
        const titles = await songTitles(first.page, prompt, "en");
        expect(titles).toHaveLength(5);
        await expect.poll(() => first.page.getByRole("searchbox").inputValue()).toBe(prompt);

        await first.page.reload();
        expect(await songTitles(first.page, prompt, "en")).toEqual(titles);

        await second.page.goto(link);
        expect(await songTitles(second.page, prompt, "en")).toEqual(titles);

        // Back goes to the previous prompt, and its songs come back with it.
        await first.page.getByRole("searchbox").fill("songs about rain");
        await first.page.getByRole("searchbox").press("Enter");
        await songTitles(first.page, "songs about rain", "en");
        await first.page.goBack();
        expect(await songTitles(first.page, prompt, "en")).toEqual(titles);

        expectNoProblems(first);
        expectNoProblems(second);
      } finally {
        await first.context.close();
        await second.context.close();
      }
    });
  });
}
