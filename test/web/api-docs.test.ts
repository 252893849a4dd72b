/**
 * The API docs page in Chromium: it renders under its own Content-Security-Policy with no
 * violation (no inline style or script), and "Try it out" on POST /api/ask sends a sensible
 * request as it stands: a prompt, a count and a filter with real values, never "string".
 */
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { searchRoutes } from "../../src/http/search/routes.js";
import { fakeSongSearch } from "../support/fake-song-search.js";
import { buildTestApp, type TestApp } from "../support/test-app.js";
import { launchChromium, openPage } from "./support/browser.js";

const search = fakeSongSearch();
let t: TestApp | undefined;
let browser: Browser | undefined;
let baseUrl = "";

beforeAll(async () => {
  [t, browser] = await Promise.all([buildTestApp({ otherRoutes: [searchRoutes(search)] }), launchChromium()]);
  await t.app.listen({ port: 0, host: "127.0.0.1" });
  baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

it("renders without a CSP violation, and Try it out on POST /api/ask sends a sensible request", async () => {
  const { page, problems, context } = await openPage(browser!, baseUrl);
  try {
    await page.goto("/api/docs");
    const ask = page.locator("#operations-search-post_api_ask");
    await ask.locator(".opblock-summary").click();
    await ask.locator("button.try-out__btn").click();
    const body = JSON.parse(await ask.locator("textarea.body-param__text").inputValue());
    expect(body).toEqual({ prompt: expect.any(String), k: expect.any(Number), filters: expect.any(Object) });
    expect(JSON.stringify(body)).not.toContain('"string"');

    await ask.locator("button.execute").click();
    const status = ask.locator(".live-responses-table tbody .response-col_status").first();
    await status.waitFor();
    expect((await status.innerText()).trim()).toBe("200");
    expect(search.asked.at(-1)).toEqual(body);
    expect(problems).toEqual([]);
  } finally {
    await context.close();
  }
});
