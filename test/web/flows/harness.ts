/** What the flows of one test file share: one server, one browser, and helpers over both. */
import { randomBytes } from "node:crypto";
import type { Browser, Page } from "playwright-core";
import { expect } from "vitest";
import { openPage, type ContextOptions, type WatchedPage } from "../support/browser.js";
import { text, type Language } from "../support/texts.js";
import type { RunningVerso } from "../support/verso-process.js";

export interface Harness {
  verso(): RunningVerso;
  browser(): Browser;
}

export const PASSWORD = "a quiet harbour at dusk";

/** A username no other run uses: 3–32 of a-z 0-9 _ . - */
export const uniqueUsername = (prefix: string) => `${prefix}_${randomBytes(3).toString("hex")}`;

export async function open(harness: Harness, options: ContextOptions = {}): Promise<WatchedPage> {
  return openPage(harness.browser(), harness.verso().url, options);
}

/** Fails the test with what went wrong in the page: uncaught errors, CSP refusals, failed loads. */
export function expectNoProblems(watched: WatchedPage): void {
  expect(watched.problems, watched.problems.join("\n")).toEqual([]);
}

export async function signUp(page: Page, language: Language, username: string, password = PASSWORD) {
  await page.goto("/signup");
  await page.getByLabel(text(language, "auth.username")).fill(username);
  await page.getByLabel(text(language, "auth.password")).fill(password);
  await page.getByRole("button", { name: text(language, "auth.signUp") }).click();
  await expect
    .poll(() => page.getByRole("link", { name: text(language, "layout.myAccount", { username }) }).count())
    .toBe(1);
}

export async function signOut(page: Page, language: Language) {
  await page.getByRole("button", { name: text(language, "auth.signOut") }).click();
  await page
    .getByRole("link", { name: text(language, "auth.signIn") })
    .first()
    .waitFor();
}

/** Asks from the home page's prompt box, as a person would. */
export async function ask(page: Page, language: Language, prompt: string) {
  const box = page.getByRole("searchbox", { name: text(language, "ask.label") });
  await box.fill(prompt);
  await box.press("Enter");
  await songTitles(page, prompt, language);
}

/** The titles of the songs listed for a prompt, once they are there. */
export async function songTitles(page: Page, prompt: string, language: Language): Promise<string[]> {
  const list = page.getByRole("list", { name: text(language, "songs.listLabel", { prompt }) });
  await list.waitFor({ timeout: 60_000 });
  return list.getByRole("heading", { level: 3 }).allTextContents();
}

/**
 * Follows a link of the main navigation, as a person would: on a narrow screen, where the
 * sections are folded behind the Menu button, by opening it first.
 */
export async function goToSection(page: Page, language: Language, section: string) {
  const nav = page.getByRole("navigation", { name: text(language, "layout.sections") });
  const menu = nav.getByRole("button", { name: text(language, "layout.menu") });
  if ((await menu.count()) > 0 && (await menu.getAttribute("aria-expanded")) !== "true") await menu.click();
  await nav.getByRole("link", { name: text(language, section) }).click();
}
