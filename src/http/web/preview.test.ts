import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { VersoError } from "../../core/errors.js";
import type { PromptService } from "../../core/social/prompts.js";
import { createMetrics } from "../../observability/metrics.js";
import { fakeSongSearch } from "../../../test/support/fake-song-search.js";
import { buildHttpApp, type HttpApp } from "../app.js";
import { pagePreviews } from "./preview.js";
import { webAppRoutes } from "./routes.js";

const indexHtml = [
  "<!doctype html>",
  '<html lang="en">',
  "  <head>",
  '    <meta name="description" content="Find songs by what their lyrics mean." />',
  "    <title>Verso</title>",
  "  </head>",
  '  <body><div id="root"></div></body>',
  "</html>",
].join("\n");

/** The content of each <meta> tag of the page, by its property or name, entities decoded. */
function metaTags(html: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [, key, value] of html.matchAll(/<meta (?:property|name)="([^"]+)" content="([^"]*)"/g)) {
    tags[key!] = value!.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
  }
  return tags;
}

const search = fakeSongSearch();
let slowSearch = false;
const prompts: Pick<PromptService, "read"> = {
  async read(id) {
    if (id !== 7) throw new VersoError("PROMPT_NOT_FOUND", "no such prompt");
    const answer = await search.ask({ prompt: "songs about the sea" });
    return {
      prompt: {
        id: 7,
        text: "songs about the sea",
        author: { id: 1, username: "ana" },
        createdAt: "2026-01-01T00:00:00.000Z",
        updatedAt: "2026-01-01T00:00:00.000Z",
        likeCount: 0,
        likedByMe: false,
      },
      results: answer.results,
      resultsError: null,
    };
  },
};

describe("a shared link's preview", () => {
  let root: string;
  let app: HttpApp;
  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), "verso-web-preview-"));
    fs.writeFileSync(path.join(root, "index.html"), indexHtml);
    const slowable = {
      ask: async (request: Parameters<typeof search.ask>[0]) => {
        if (slowSearch) await new Promise((resolve) => setTimeout(resolve, 2000));
        return search.ask(request);
      },
    };
    app = await buildHttpApp({
      metrics: createMetrics({ defaultMetrics: false }),
      routes: [
        webAppRoutes({
          root,
          previews: pagePreviews({ search: slowable, prompts, limits: null, budgetMs: 300 }),
        }),
      ],
    });
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    search.asked.length = 0;
    search.failWith = null;
    slowSearch = false;
  });

  it("names the prompt and its first songs in Open Graph and Twitter card tags on /?q=", async () => {
    const reply = await app.inject({ method: "GET", url: "/?q=songs%20about%20rain" });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers["content-type"]).toMatch(/^text\/html/);
    expect(reply.headers["cache-control"]).toBe("no-cache");
    const tags = metaTags(reply.body);
    expect(tags).toEqual({
      description: "Songs whose lyrics fit: A song about songs about rain (The Fakes).",
      "og:type": "website",
      "og:site_name": "Verso",
      "og:title": "“songs about rain” · Verso",
      "og:description": "Songs whose lyrics fit: A song about songs about rain (The Fakes).",
      "twitter:card": "summary",
      "twitter:title": "“songs about rain” · Verso",
      "twitter:description": "Songs whose lyrics fit: A song about songs about rain (The Fakes).",
    });
    expect(reply.body).toContain("<title>“songs about rain” · Verso</title>");
    expect(reply.body).toContain('<div id="root"></div>');
    expect(search.asked).toEqual([{ prompt: "songs about rain" }]);
  });

  it("escapes what the link carries, so a prompt cannot write into the page", async () => {
    const attack = `"><script>alert(1)</script><meta property="og:title" content="x`;
    const reply = await app.inject({ method: "GET", url: `/?q=${encodeURIComponent(attack)}` });
    expect(reply.body).not.toContain("<script>alert");
    expect(reply.body.match(/property="og:title"/g)).toHaveLength(1);
    expect(metaTags(reply.body)["og:title"]).toBe(`“${attack}” · Verso`);
  });

  it("previews a published prompt with its author, and leaves a missing one as the built page", async () => {
    const reply = await app.inject({ method: "GET", url: "/prompts/7" });
    const tags = metaTags(reply.body);
    expect(tags["og:title"]).toBe("“songs about the sea” — @ana · Verso");
    expect(tags["twitter:description"]).toBe(
      "Songs whose lyrics fit: A song about songs about the sea (The Fakes).",
    );
    const missing = await app.inject({ method: "GET", url: "/prompts/8" });
    expect([missing.statusCode, missing.body]).toEqual([200, indexHtml]);
  });

  it("keeps the prompt alone when the search fails, is slow, or the link narrows the answer", async () => {
    search.failWith = new VersoError("CATALOG_NOT_READY", "loading");
    const failed = metaTags((await app.inject({ method: "GET", url: "/?q=rain" })).body);
    expect([failed["og:title"], failed["og:description"]]).toEqual([
      "“rain” · Verso",
      "Songs whose lyrics fit this prompt.",
    ]);

    search.failWith = null;
    slowSearch = true;
    const started = Date.now();
    const slow = metaTags((await app.inject({ method: "GET", url: "/?q=snow" })).body);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(slow["og:description"]).toBe("Songs whose lyrics fit this prompt.");

    slowSearch = false;
    search.asked.length = 0;
    const filtered = metaTags((await app.inject({ method: "GET", url: "/?q=sun&energy=0.7..1" })).body);
    expect(filtered["og:title"]).toBe("“sun” · Verso");
    expect(search.asked).toEqual([]);
  });

  it("serves every other page as built, without asking anything", async () => {
    for (const url of ["/", "/?q=", "/feed", "/songs/abc", "/prompts/7/likes"]) {
      const reply = await app.inject({ method: "GET", url });
      expect(reply.body, url).toBe(indexHtml);
    }
    expect(search.asked).toEqual([]);
  });
});
