/**
 * The costly routes are limited per address and, for someone signed in, per account: the
 * request past a limit is refused with 429, a Retry-After until a request would pass and a
 * counted metric. Everything that can cost an embedding or a search (ask, a prompt's page,
 * editing a prompt, similar songs, finding people) spends one budget, whichever way it comes.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  defaultRequestRules,
  limitedActions,
  scaledRequestRules,
  type RequestRules,
} from "../../src/core/limits/request-limits.js";
import { SongPages } from "../../src/core/catalog/song-pages.js";
import type { SongPageStore, SongStore } from "../../src/core/catalog/store.js";
import { searchRoutes } from "../../src/http/search/routes.js";
import { songsRoutes } from "../../src/http/songs/routes.js";
import { fakeSongSearch } from "../support/fake-song-search.js";
import { manualClock } from "../support/manual-clock.js";
import { buildTestApp, type TestApp } from "../support/test-app.js";

const rule = (perAccount: number, perAddress: number) => ({
  perAccount: { limit: perAccount, windowSeconds: 60 },
  perAddress: { limit: perAddress, windowSeconds: 60 },
});

const tightRules: RequestRules = {
  search: rule(100, 3),
  publish: rule(2, 100),
  like: rule(3, 100),
  follow: rule(100, 100),
};

/** No songs at all: enough for routes whose limit is counted before they look. */
const emptySongStore = (): SongStore & SongPageStore =>
  new Proxy({} as SongStore & SongPageStore, {
    get: (_target, name) => (name === "fullTextIndex" ? "none" : async () => null),
  });

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const rateLimitedCount = async (app: TestApp, route: string) => {
  const metric = await app.metrics.registry.getSingleMetricAsString("verso_rate_limited_total");
  const line = metric.split("\n").find((l) => l.startsWith(`verso_rate_limited_total{route="${route}"}`));
  return line ? Number(line.split(" ").at(-1)) : 0;
};

describe("request limits", () => {
  it("refuses the ask past an address's limit with 429 and Retry-After, and lets it through after that", async () => {
    const time = manualClock(new Date("2026-12-01T12:00:15.000Z"));
    t = await buildTestApp({
      requestRules: tightRules,
      clock: time.clock,
      otherRoutes: [searchRoutes(fakeSongSearch())],
    });
    const ask = (address: string) =>
      t!.call("POST", "/api/ask", { address, body: { prompt: "songs about the sea" } });
    for (let i = 0; i < 3; i++) expect((await ask("203.0.113.7")).status).toBe(200);
    const refused = await ask("203.0.113.7");
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("RATE_LIMITED");
    // Not before the three asks are a minute old.
    const wait = Number(refused.headers["retry-after"]);
    expect(wait).toBeGreaterThanOrEqual(60);
    expect(refused.body.error.message).toMatch(new RegExp(`${wait} s`));
    expect(await rateLimitedCount(t, "/api/ask")).toBe(1);

    // Someone else is not held back by that address.
    expect((await ask("198.51.100.2")).status).toBe(200);

    time.advance(wait * 1000);
    expect((await ask("203.0.113.7")).status).toBe(200);
  });

  it("counts a signed-in account wherever it asks from", async () => {
    t = await buildTestApp({ requestRules: tightRules });
    const author = await t.register("author");
    const fan = await t.register("fan");
    const prompt = await t.call("POST", "/api/prompts", {
      token: author.token,
      body: { text: "rainy day songs" },
    });
    expect(prompt.status).toBe(201);
    const like = (address: string) =>
      t!.call("PUT", `/api/prompts/${prompt.body.id}/like`, { token: fan.token, address });
    expect((await like("192.0.2.1")).status).toBe(200);
    expect((await like("192.0.2.2")).status).toBe(200);
    expect((await like("192.0.2.3")).status).toBe(200);
    const refused = await like("192.0.2.4");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
    // Another account from the same address still may.
    expect(
      (
        await t.call("PUT", `/api/prompts/${prompt.body.id}/like`, {
          token: author.token,
          address: "192.0.2.4",
        })
      ).status,
    ).toBe(200);

    expect(
      (await t.call("POST", "/api/prompts", { token: author.token, body: { text: "a second" } })).status,
    ).toBe(201);
    const thirdPublish = await t.call("POST", "/api/prompts", {
      token: author.token,
      body: { text: "a third" },
    });
    expect(thirdPublish.status).toBe(429);
    // What was refused was not written.
    const mine = await t.call("GET", `/api/users/author/prompts`);
    expect(mine.body.items.map((item: { text: string }) => item.text).sort()).toEqual([
      "a second",
      "rainy day songs",
    ]);
    expect(await rateLimitedCount(t, "/api/prompts")).toBe(1);
    expect(await rateLimitedCount(t, "/api/prompts/:id/like")).toBe(1);
  });

  it("counts the addresses of one IPv6 /64 as one", async () => {
    t = await buildTestApp({ requestRules: tightRules, otherRoutes: [searchRoutes(fakeSongSearch())] });
    const ask = (address: string) => t!.call("POST", "/api/ask", { address, body: { prompt: "rain" } });
    for (const host of ["1", "2", "3"]) expect((await ask(`2001:db8:5:6::${host}`)).status).toBe(200);
    expect((await ask("2001:db8:5:6:ffff::4")).status).toBe(429);
    expect((await ask("2001:db8:5:7::1")).status).toBe(200);
  });

  it("believes X-Forwarded-For only from the proxies it is told to trust", async () => {
    t = await buildTestApp({
      requestRules: tightRules,
      trustProxy: ["10.0.0.0/8"],
      otherRoutes: [searchRoutes(fakeSongSearch())],
    });
    const ask = (address: string, forwardedFor: string) =>
      t!.call("POST", "/api/ask", {
        address,
        headers: { "x-forwarded-for": forwardedFor },
        body: { prompt: "rain" },
      });
    // Through the proxy, each client is counted as itself.
    for (let i = 0; i < 3; i++) expect((await ask("10.1.2.3", "198.51.100.1")).status).toBe(200);
    expect((await ask("10.1.2.3", "198.51.100.1")).status).toBe(429);
    expect((await ask("10.1.2.3", "198.51.100.2")).status).toBe(200);
    // A client that is not the proxy cannot name a new address for itself each time.
    for (let i = 0; i < 3; i++) expect((await ask("203.0.113.50", `192.0.2.${i}`)).status).toBe(200);
    expect((await ask("203.0.113.50", "192.0.2.99")).status).toBe(429);
  });

  it("spends one budget on everything that costs a search: a refused ask is not had through prompts, similar songs or people", async () => {
    const songs = songsRoutes({ pages: new SongPages(emptySongStore()), similar: async () => [] });
    t = await buildTestApp({
      requestRules: { ...tightRules, search: rule(4, 1000) },
      otherRoutes: [searchRoutes(fakeSongSearch()), songs],
    });
    const { token } = await t.register("prober");
    const prompt = await t.call("POST", "/api/prompts", { token, body: { text: "first text" } });
    for (let i = 0; i < 4; i++)
      expect((await t.call("POST", "/api/ask", { token, body: { prompt: `ask ${i}` } })).status).toBe(200);
    expect((await t.call("POST", "/api/ask", { token, body: { prompt: "one more" } })).status).toBe(429);
    // The probe's way around it: edit a prompt, then read its page, again and again.
    const edited = await t.call("PATCH", `/api/prompts/${prompt.body.id}`, {
      token,
      body: { text: "new text" },
    });
    expect(edited.status).toBe(429);
    for (const url of [`/api/prompts/${prompt.body.id}`, "/api/songs/s1/similar", "/api/users?q=pro"])
      expect((await t.call("GET", url, { token })).status, url).toBe(429);
    // Reads that cost no search are not held back.
    expect((await t.call("GET", "/api/users/prober", { token })).status).toBe(200);
  });

  it("counts a prompt's page against the reader's address, signed in or not", async () => {
    t = await buildTestApp({ requestRules: tightRules });
    const { token } = await t.register("author");
    const prompt = await t.call("POST", "/api/prompts", { token, body: { text: "rain songs" } });
    const read = () => t!.call("GET", `/api/prompts/${prompt.body.id}`, { address: "203.0.113.20" });
    for (let i = 0; i < 3; i++) expect((await read()).status).toBe(200);
    expect((await read()).status).toBe(429);
    expect(t.search.asked.length).toBe(3);
  });

  it("counts an edit as a write too: edits are not unlimited", async () => {
    t = await buildTestApp({ requestRules: { ...tightRules, search: rule(1000, 1000) } });
    const { token } = await t.register("author");
    const prompt = await t.call("POST", "/api/prompts", { token, body: { text: "v0" } });
    const edit = (text: string) =>
      t!.call("PATCH", `/api/prompts/${prompt.body.id}`, { token, body: { text } });
    // The publish budget is 2 a minute per account, and publishing spent one.
    expect((await edit("v1")).status).toBe(200);
    expect((await edit("v2")).status).toBe(429);
  });

  it("leaves routes without a limit alone", async () => {
    t = await buildTestApp({ requestRules: tightRules });
    for (let i = 0; i < 10; i++)
      expect((await t.call("GET", "/api/prompts?q=rain", { address: "203.0.113.9" })).status).toBe(200);
  });
});

describe("scaledRequestRules", () => {
  it("multiplies every limit, keeps at least one request, and turns the limits off at 0", () => {
    expect(scaledRequestRules(0)).toBeNull();
    const doubled = scaledRequestRules(2)!;
    const tiny = scaledRequestRules(0.0001)!;
    for (const action of limitedActions) {
      expect(doubled[action].perAccount.limit).toBe(defaultRequestRules[action].perAccount.limit * 2);
      expect(doubled[action].perAddress.windowSeconds).toBe(
        defaultRequestRules[action].perAddress.windowSeconds,
      );
      expect(tiny[action].perAddress.limit).toBe(1);
    }
  });
});
