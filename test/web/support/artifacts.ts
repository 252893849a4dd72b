/** Where browser tests leave what a person may want to look at: screenshots, git-ignored. */
import fs from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { repositoryRoot } from "./verso-process.js";

export const artifactsFolder = path.join(repositoryRoot, "test-artifacts", "web");

/** The whole page by default; `fullPage: false` keeps what the viewport shows. */
export async function screenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean } = {},
): Promise<string> {
  const file = path.join(artifactsFolder, "screenshots", `${name}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage: options.fullPage ?? true });
  return file;
}
