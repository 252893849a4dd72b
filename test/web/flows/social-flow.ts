/**
 * The social network end to end, in one language: sign up, ask, publish; a second person finds
 * the first, follows them, sees the prompt in the feed and likes it; the first sees the like;
 * unlike; rename; the prompt shows the new name and the old name's page leads to it; both sign out.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { text, type Language } from "../support/texts.js";
import {
  ask,
  expectNoProblems,
  goToSection,
  open,
  PASSWORD,
  signOut,
  signUp,
  uniqueUsername,
  type Harness,
} from "./harness.js";

const prompts: Record<Language, string> = { en: "songs about the sea", es: "canciones sobre el mar" };
const locales: Record<Language, string> = { en: "en-US", es: "es-ES" };

const likeCount = (page: Page) => page.getByTestId("like-count").first();

export function socialFlow(harness: Harness, language: Language) {
  describe(`the social network, in ${language === "en" ? "English" : "Spanish"}`, () => {
    it("goes from a first prompt to a like seen by its author, through a rename, to signing out", async () => {
      const t = (key: string, values?: Record<string, string | number>) => text(language, key, values);
      const prompt = prompts[language];
      const first = uniqueUsername(`ana_${language}`);
      const second = uniqueUsername(`bruno_${language}`);
      const renamed = uniqueUsername(`ana_new_${language}`);

      // The first person's browser is set to the language; the UI follows it without being asked.
      const a = await open(harness, { locale: locales[language] });
      const b = await open(harness, { locale: locales[language], width: 390, height: 844 });
      try {
        await a.page.goto("/");
        await expect.poll(() => a.page.evaluate(() => document.documentElement.lang)).toBe(language);
        await signUp(a.page, language, first);

        // Ask, and the prompt goes into the address.
        await a.page.goto("/");
        await ask(a.page, language, prompt);
        expect(new URL(a.page.url()).searchParams.get("q")).toBe(prompt);
        // Songs come with their passage, the prompt's words marked in some, and their mood.
        const songs = a.page.getByRole("list", { name: t("songs.listLabel", { prompt }) });
        await expect.poll(() => songs.locator("blockquote mark").count()).toBeGreaterThan(0);
        expect(await songs.getByRole("list", { name: t("mood.label") }).count()).toBeGreaterThan(0);

        // Publish it, and open it.
        await a.page.getByRole("button", { name: t("ask.publish") }).click();
        await a.page.getByRole("link", { name: t("ask.seePublished") }).click();
        await a.page.getByRole("heading", { level: 1, name: prompt }).waitFor();
        const promptPath = new URL(a.page.url()).pathname;
        expect(promptPath).toMatch(/^\/prompts\/\d+$/);
        expect(await likeCount(a.page).textContent()).toBe(t("prompts.likes_other", { formatted: 0 }));

        // A second person: the name taken is refused, then they find the first person and follow.
        await b.page.goto("/signup");
        await b.page.getByLabel(t("auth.username")).fill(first);
        await b.page.getByLabel(t("auth.password")).fill(PASSWORD);
        await b.page.getByRole("button", { name: t("auth.signUp") }).click();
        await b.page.getByText(t("errors.usernameTaken")).waitFor();
        await signUp(b.page, language, second);

        await goToSection(b.page, language, "layout.people");
        await b.page.getByLabel(t("people.searchLabel")).fill(first);
        await b.page.getByRole("button", { name: t("common.search") }).click();
        await b.page.getByRole("link", { name: `@${first}` }).click();
        await b.page.getByRole("heading", { level: 1, name: `@${first}` }).waitFor();
        await b.page.getByRole("link", { name: t("profile.prompts_one", { formatted: 1 }) }).waitFor();
        await b.page.getByRole("button", { name: t("people.followLabel", { username: first }) }).click();
        await b.page.getByRole("button", { name: t("people.unfollowLabel", { username: first }) }).waitFor();
        await b.page.getByRole("link", { name: t("profile.followers_one", { formatted: 1 }) }).waitFor();

        // The prompt is in their feed; they like it, and the count moves at once.
        await goToSection(b.page, language, "layout.feed");
        const inFeed = b.page.getByRole("list", { name: t("feed.title") });
        await inFeed.getByRole("link", { name: prompt }).waitFor();
        expect(await inFeed.getByRole("link", { name: `@${first}` }).count()).toBeGreaterThan(0);
        const like = b.page.getByRole("button", { name: t("prompts.likeLabel", { text: prompt }) }).first();
        await like.click();
        await expect.poll(() => like.getAttribute("aria-pressed")).toBe("true");
        expect(await likeCount(b.page).textContent()).toBe(t("prompts.likes_one", { formatted: 1 }));

        // The first person sees the like on their prompt.
        await a.page.reload();
        await expect
          .poll(() => likeCount(a.page).textContent(), { timeout: 15_000 })
          .toBe(t("prompts.likes_one", { formatted: 1 }));

        // Unlike: the count goes back.
        await like.click();
        await expect.poll(() => like.getAttribute("aria-pressed")).toBe("false");
        expect(await likeCount(b.page).textContent()).toBe(t("prompts.likes_other", { formatted: 0 }));
        await a.page.reload();
        await expect
          .poll(() => likeCount(a.page).textContent(), { timeout: 15_000 })
          .toBe(t("prompts.likes_other", { formatted: 0 }));

        // The first person renames themselves, with their password.
        await a.page.getByRole("link", { name: t("layout.myAccount", { username: first }) }).click();
        await a.page.getByLabel(t("me.newUsername")).fill(renamed);
        await a.page
          .getByRole("form", { name: t("me.renameTitle") })
          .getByLabel(t("me.currentPassword"))
          .fill(PASSWORD);
        await a.page.getByRole("button", { name: t("me.rename") }).click();
        await a.page.getByText(t("me.renamed", { username: renamed })).waitFor();
        await a.page.getByRole("link", { name: t("layout.myAccount", { username: renamed }) }).waitFor();

        // The prompt still shows, under the new name, in the feed and on its own page.
        await b.page.reload();
        await inFeed.getByRole("link", { name: prompt }).first().waitFor();
        await expect.poll(() => inFeed.getByRole("link", { name: `@${renamed}` }).count()).toBeGreaterThan(0);
        expect(await inFeed.getByRole("link", { name: `@${first}` }).count()).toBe(0);
        await b.page.goto(promptPath);
        await b.page.getByRole("heading", { level: 1, name: prompt }).waitFor();
        await b.page.getByRole("link", { name: `@${renamed}` }).waitFor();

        // A link to the old name still reaches the person, at the name they go by now.
        await b.page.goto(`/people/${first}/followers`);
        await b.page.waitForURL(`**/people/${renamed}/followers`);
        await b.page.getByRole("heading", { level: 1, name: `@${renamed}` }).waitFor();

        // Both sign out; the feed asks to sign in again.
        await signOut(a.page, language);
        await signOut(b.page, language);
        await b.page.goto("/feed");
        await b.page.getByText(t("feed.signIn")).waitFor();

        expectNoProblems(a);
        expectNoProblems(b);
      } finally {
        await a.context.close();
        await b.context.close();
      }
    });
  });
}
