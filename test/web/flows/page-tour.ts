/**
 * Every page of the app, in the light and the dark theme, at a phone's 360 px and on a desktop:
 * a screenshot of each (test-artifacts/web/screenshots), axe-core's verdict on each, and no
 * page wider than the phone.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { seriousViolations, type Violation } from "../support/axe.js";
import { screenshot } from "../support/artifacts.js";
import type { Theme } from "../support/browser.js";
import { text } from "../support/texts.js";
import {
  ask,
  expectNoProblems,
  open,
  PASSWORD,
  signUp,
  songTitles,
  uniqueUsername,
  type Harness,
} from "./harness.js";

const t = (key: string, values?: Record<string, string | number>) => text("en", key, values);

interface Stop {
  name: string;
  path: string;
  /** Waits until the page shows what it is for, not a spinner. */
  ready(page: Page): Promise<unknown>;
}

const variants: { theme: Theme; width: number; height: number }[] = [
  { theme: "light", width: 1280, height: 900 },
  { theme: "dark", width: 1280, height: 900 },
  { theme: "light", width: 360, height: 780 },
  { theme: "dark", width: 360, height: 780 },
];

export function pageTour(harness: Harness) {
  describe("every page, in both themes, on a phone and a desktop", () => {
    it("is screenshotted, has no serious accessibility violation, and fits 360 px", async () => {
      const owner = uniqueUsername("tour");
      const prompt = "songs about the ocean";

      // Something to show on every page: an account with a published prompt.
      const setup = await open(harness);
      await signUp(setup.page, "en", owner);
      await setup.page.goto("/");
      await ask(setup.page, "en", prompt);
      await setup.page.getByRole("button", { name: t("ask.publish") }).click();
      await setup.page.getByRole("link", { name: t("ask.seePublished") }).click();
      await setup.page.getByRole("heading", { level: 1, name: prompt }).waitFor();
      const promptPath = new URL(setup.page.url()).pathname;
      const firstSong = setup.page
        .getByRole("list", { name: t("songs.listLabel", { prompt }) })
        .getByRole("article")
        .first();
      const songHref = await firstSong
        .getByRole("heading", { level: 3 })
        .getByRole("link")
        .getAttribute("href");
      const artistHref = await firstSong.locator(".song-meta a").first().getAttribute("href");
      await setup.context.close();

      const heading = (name: string | RegExp) => (page: Page) =>
        page.getByRole("heading", { level: 1, name }).waitFor();
      const signedOut: Stop[] = [
        {
          name: "ask-empty",
          path: "/",
          ready: (page) => page.getByRole("heading", { name: t("ask.suggestedTitle") }).waitFor(),
        },
        {
          name: "ask-results",
          path: `/?q=${encodeURIComponent(prompt)}`,
          ready: async (page) => {
            await songTitles(page, prompt, "en");
            await page
              .getByRole("button", { name: t("songs.showLyrics") })
              .first()
              .click();
            await page.locator(".lyrics-passage").first().waitFor();
          },
        },
        {
          name: "ask-filters",
          path: `/?q=${encodeURIComponent(prompt)}&energy=0.2..0.8`,
          ready: async (page) => {
            await songTitles(page, prompt, "en");
            await page.locator("details.filters > summary").click();
            await page.getByRole("group", { name: t("filters.energy") }).waitFor();
          },
        },
        {
          name: "song",
          path: songHref ?? "/",
          ready: async (page) => {
            await page.getByRole("heading", { name: t("songs.similar") }).waitFor();
            await page.locator(".lyrics-passage").waitFor();
          },
        },
        {
          name: "artist",
          path: artistHref ?? "/",
          ready: (page) => page.getByRole("heading", { level: 2, name: t("artist.songs") }).waitFor(),
        },
        { name: "sign-in", path: "/signin", ready: heading(t("auth.signInTitle")) },
        { name: "sign-up", path: "/signup", ready: heading(t("auth.signUpTitle")) },
        { name: "not-found", path: "/no/such/page", ready: heading(t("notFound.title")) },
      ];
      const signedIn: Stop[] = [
        {
          name: "prompts",
          path: "/prompts",
          ready: (page) => page.getByRole("link", { name: prompt }).first().waitFor(),
        },
        {
          name: "prompt",
          path: promptPath,
          ready: (page) => page.getByRole("list", { name: /Songs for/ }).waitFor(),
        },
        {
          name: "feed",
          path: "/feed",
          ready: (page) => page.getByRole("link", { name: prompt }).first().waitFor(),
        },
        {
          name: "people",
          path: "/people",
          ready: (page) => page.getByRole("heading", { name: t("people.suggestions") }).waitFor(),
        },
        {
          name: "people-search",
          path: `/people?q=${owner}`,
          ready: (page) =>
            page
              .getByRole("list", { name: t("people.matching", { q: owner }) })
              .getByRole("link", { name: `@${owner}` })
              .waitFor(),
        },
        {
          name: "profile",
          path: `/people/${owner}`,
          ready: (page) => page.getByRole("link", { name: prompt }).waitFor(),
        },
        {
          name: "profile-followers",
          path: `/people/${owner}/followers`,
          ready: (page) => page.getByText(t("profile.noFollowers")).waitFor(),
        },
        {
          name: "me",
          path: "/me",
          ready: (page) => page.getByRole("heading", { name: t("me.promptsTitle") }).waitFor(),
        },
        {
          name: "me-delete-prompt",
          path: "/me",
          ready: async (page) => {
            await page.getByRole("button", { name: t("me.deleteLabel", { text: prompt }) }).click();
            await page.getByRole("dialog", { name: t("me.deletePromptTitle") }).waitFor();
          },
        },
        {
          name: "catalog",
          path: "/catalog",
          ready: (page) => page.getByRole("heading", { name: t("catalog.objects") }).waitFor(),
        },
      ];

      const violations: string[] = [];
      const tooWide: string[] = [];
      for (const variant of variants) {
        const watched = await open(harness, variant);
        const { page } = watched;
        const visit = async (stop: Stop) => {
          const label = `${stop.name}-${variant.theme}-${variant.width}`;
          await page.goto(stop.path);
          await stop.ready(page);
          await page.evaluate(() => document.fonts.ready);
          await screenshot(page, label);
          const found: Violation[] = await seriousViolations(page);
          for (const v of found)
            violations.push(`${label}: ${v.id} (${v.impact}) ${v.help} — ${v.targets.join(", ")}`);
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          if (width > variant.width) tooWide.push(`${label}: ${width} px wide`);
        };
        try {
          for (const stop of signedOut) await visit(stop);
          if (showsInReadme(variant)) {
            await page.goto(`/?q=${encodeURIComponent(prompt)}`);
            await songTitles(page, prompt, "en");
            await screenshot(page, `readme-ask-${variant.width === 360 ? "phone" : "desktop"}`, {
              fullPage: false,
            });
          }
          await page.goto("/signin");
          await page.getByLabel(t("auth.username")).fill(owner);
          await page.getByLabel(t("auth.password")).fill(PASSWORD);
          await page.getByRole("button", { name: t("auth.signIn") }).click();
          await page.getByRole("link", { name: t("layout.myAccount", { username: owner }) }).waitFor();
          for (const stop of signedIn) await visit(stop);
          expectNoProblems(watched);
        } finally {
          await watched.context.close();
        }
      }
      expect(violations, violations.join("\n")).toEqual([]);
      expect(tooWide, tooWide.join("\n")).toEqual([]);
    });
  });
}

/** The README shows the Ask page on a light desktop and a dark phone. */
const showsInReadme = (variant: (typeof variants)[number]) =>
  (variant.theme === "light" && variant.width === 1280) ||
  (variant.theme === "dark" && variant.width === 360);
