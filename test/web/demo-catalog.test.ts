/**
 * The web app in Chromium against one real Verso that ingested the demo catalog: the flows share
 * the server (and its minute of ingest) and run one after another.
 */
import type { Browser } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { answers } from "./flows/answers.js";
import { authMessages } from "./flows/auth-messages.js";
import type { Harness } from "./flows/harness.js";
import { keyboardUse } from "./flows/keyboard.js";
import { offline } from "./flows/offline.js";
import { pageTour } from "./flows/page-tour.js";
import { playlists } from "./flows/playlists.js";
import { roughEdges } from "./flows/rough-edges.js";
import { sharedLink } from "./flows/shared-link.js";
import { socialFlow } from "./flows/social-flow.js";
import { launchChromium } from "./support/browser.js";
import { startVerso, waitForCatalog, type RunningVerso } from "./support/verso-process.js";

let verso: RunningVerso | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
  [verso, browser] = await Promise.all([startVerso(), launchChromium()]);
  await waitForCatalog(verso.url);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await verso?.stop();
});

const harness: Harness = {
  verso() {
    if (!verso) throw new Error("the server did not start");
    return verso;
  },
  browser() {
    if (!browser) throw new Error("the browser did not start");
    return browser;
  },
};

socialFlow(harness, "en");
socialFlow(harness, "es");
sharedLink(harness);
authMessages(harness);
keyboardUse(harness);
offline(harness);
roughEdges(harness);
answers(harness);
playlists(harness);
pageTour(harness);
