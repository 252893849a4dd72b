/**
 * What a first session used to trip over: a console error on every signed-out load, a phone in
 * Spanish squeezing the prompt and wrapping the navigation, focus lost after publishing, prompts
 * too short or too long refused without a word or with a useless Try again, not-found pages
 * offering to try again, sign-up saying one thing at a time, the sign-in form shown to someone
 * signed in, and a scan button that only answers 403.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { text } from "../support/texts.js";
import { ask, expectNoProblems, open, signUp, uniqueUsername, type Harness } from "./harness.js";

const t = (key: string, values?: Record<string, string | number>) => text("en", key, values);

/** The top of each link of the main navigation that a person can see now. */
const visibleNavTops = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>("nav a")]
      .filter((link) => link.checkVisibility({ visibilityProperty: true }))
      .map((link) => Math.round(link.getBoundingClientRect().top)),
  );

export function roughEdges(harness: Harness) {
  describe("the rough edges of a first session", () => {
    it("logs no console error for a signed-out visitor", async () => {
      const watched = await open(harness);
      const consoleErrors: string[] = [];
      watched.page.on("console", (message) => {
        if (message.type() === "error") consoleErrors.push(message.text());
      });
      try {
        for (const path of ["/", "/prompts", "/catalog"]) {
          await watched.page.goto(path);
          await watched.page
            .getByRole("link", { name: t("auth.signIn") })
            .first()
            .waitFor();
        }
        expect(consoleErrors).toEqual([]);
        expectNoProblems(watched);
      } finally {
        await watched.context.close();
      }
    });

    it("keeps the prompt wide and the navigation on one row, or folded, on a 360 px phone in Spanish", async () => {
      const watched = await open(harness, { width: 360, height: 780, locale: "es-ES" });
      const { page } = watched;
      try {
        await page.goto("/");
        const box = page.getByRole("searchbox", { name: text("es", "ask.label") });
        await box.waitFor();
        const widths = await page.evaluate(() => ({
          input: document.querySelector("form[role=search] input")!.getBoundingClientRect().width,
          form: document.querySelector("form[role=search]")!.getBoundingClientRect().width,
        }));
        expect(widths.input).toBeGreaterThanOrEqual(widths.form * 0.9);

        const tops = await visibleNavTops(page);
        const menu = page.getByRole("button", { name: text("es", "layout.menu") });
        if (new Set(tops).size > 1 || (await menu.count()) > 0) {
          // Folded: one button opens every section, one under the other, and a choice closes it.
          expect(tops).toEqual([]);
          expect(await menu.getAttribute("aria-expanded")).toBe("false");
          await menu.click();
          expect(await menu.getAttribute("aria-expanded")).toBe("true");
          expect((await visibleNavTops(page)).length).toBe(5);
          await page.getByRole("link", { name: text("es", "layout.catalog") }).click();
          await page.getByRole("heading", { level: 1, name: text("es", "catalog.title") }).waitFor();
          expect(await visibleNavTops(page)).toEqual([]);
        }
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
        expectNoProblems(watched);
      } finally {
        await watched.context.close();
      }
    });

    it("says why an empty or too long prompt is not asked, and offers no Try again that cannot work", async () => {
      const watched = await open(harness);
      const { page } = watched;
      try {
        await page.goto("/");
        const box = page.getByRole("searchbox", { name: t("ask.label") });
        await box.press("Enter");
        await page.getByText(t("errors.promptEmpty")).waitFor();

        const long = "a song about the sea and the long nights ".repeat(50).slice(0, 2000);
        await box.fill(long);
        await box.press("Enter");
        await page
          .getByText(/at most 500 characters/)
          .first()
          .waitFor();
        expect(new URL(page.url()).searchParams.get("q")).toBeNull();

        await page.goto(`/?q=${encodeURIComponent(long)}`);
        await page
          .getByText(/at most 500 characters/)
          .first()
          .waitFor();
        expect(await page.getByRole("button", { name: t("common.retry") }).count()).toBe(0);
        expectNoProblems(watched);
      } finally {
        await watched.context.close();
      }
    });

    it("says a song or a person is not there, without a Try again", async () => {
      const watched = await open(harness);
      const { page } = watched;
      try {
        await page.goto("/songs/does-not-exist");
        await page.getByText(t("errors.songNotFound")).waitFor();
        expect(await page.getByRole("button", { name: t("common.retry") }).count()).toBe(0);
        await page.goto("/people/nobody-here");
        await page.getByText(t("errors.userNotFound")).waitFor();
        expect(await page.getByRole("button", { name: t("common.retry") }).count()).toBe(0);
      } finally {
        await watched.context.close();
      }
    });

    it("shows every sign-up error at once, and sends who is signed in past the sign-in form", async () => {
      const watched = await open(harness);
      const { page } = watched;
      try {
        await page.goto("/signup");
        await page.getByLabel(t("auth.username")).fill("Ann Smith!");
        await page.getByLabel(t("auth.password")).fill("short");
        await page.getByRole("button", { name: t("auth.signUp") }).click();
        await page.getByText(t("errors.usernameInvalid")).waitFor();
        await page.getByText(t("errors.passwordTooShort")).waitFor();
        expect(await page.getByLabel(t("auth.username")).getAttribute("aria-invalid")).toBe("true");
        expect(await page.getByLabel(t("auth.password")).getAttribute("aria-invalid")).toBe("true");

        await signUp(page, "en", uniqueUsername("eva"));
        await page.goto("/signin?next=%2Fprompts");
        await page.getByRole("heading", { level: 1, name: t("prompts.title") }).waitFor();
        expect(new URL(page.url()).pathname).toBe("/prompts");
        await page.goto("/signup");
        await page.getByRole("heading", { level: 1, name: t("ask.title") }).waitFor();
        expectNoProblems(watched);
      } finally {
        await watched.context.close();
      }
    });

    it("moves focus to what was published after Publish by keyboard, and shows no scan button to a visitor", async () => {
      const watched = await open(harness);
      const { page } = watched;
      try {
        await signUp(page, "en", uniqueUsername("fede"));
        await page.goto("/");
        await ask(page, "en", "songs about a lighthouse");
        const publish = page.getByRole("button", { name: t("ask.publish") });
        await publish.focus();
        await page.keyboard.press("Enter");
        await page.getByText(t("ask.published")).waitFor();
        await expect
          .poll(() => page.evaluate(() => document.activeElement?.closest(".publish") !== null))
          .toBe(true);
        expect(await page.evaluate(() => document.activeElement === document.body)).toBe(false);

        // Scanning is for administrators: someone else is not offered a button that says 403.
        await page.goto("/catalog");
        await page.getByRole("heading", { name: t("catalog.objects") }).waitFor();
        expect(await page.getByRole("button", { name: t("catalog.scan") }).count()).toBe(0);
        expectNoProblems(watched);
      } finally {
        await watched.context.close();
      }
    });
  });
}
