import { afterEach, describe, expect, it } from "vitest";
import { catalogNotReady } from "../../../test/support/fake-song-search.js";
import { parseM3u8, parseXspf, xspfSchemaErrors } from "../../../test/support/playlist-files.js";
import { playlistSearch } from "../../../test/support/playlist-songs.js";
import { buildTestApp, type TestApp } from "../../../test/support/test-app.js";
import { m3u8Format } from "../../adapters/playlists/m3u8.js";
import { xspfFormat } from "../../adapters/playlists/xspf.js";
import { defaultRequestRules } from "../../core/limits/request-limits.js";
import { PlaylistService } from "../../core/playlists/playlist-service.js";
import { searchRoutes } from "../search/routes.js";
import { playlistRoutes } from "./routes.js";

let t: TestApp;
let search: ReturnType<typeof playlistSearch>;
afterEach(async () => {
  await t?.close();
});

async function serving(options: Parameters<typeof buildTestApp>[0] = {}): Promise<TestApp> {
  search = playlistSearch();
  // The prompts are the test app's own, as its prompt routes see them (read when asked).
  const playlists = new PlaylistService({
    search,
    prompts: { visible: (id, viewer) => t.module.prompts.visible(id, viewer) },
  });
  t = await buildTestApp({
    ...options,
    otherRoutes: [
      searchRoutes(search),
      playlistRoutes({ playlists, formats: { m3u8: m3u8Format, xspf: xspfFormat } }),
    ],
  });
  return t;
}

const SPOTIFY_TRACK = "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC";

describe("GET /api/ask.m3u8 and /api/ask.xspf", () => {
  it("answers the ask's songs as an M3U8 file, in the answer's order, with the ask's query", async () => {
    await serving();
    const reply = await t.call(
      "GET",
      "/api/ask.m3u8?prompt=the+sea+at+night&k=3&language=en&energy=0.2..0.9&year=1990..",
    );
    expect(reply.status).toBe(200);
    expect(search.asked).toEqual([
      {
        prompt: "the sea at night",
        k: 3,
        filters: { language: "en", energy: { min: 0.2, max: 0.9 }, year: { min: 1990 } },
      },
    ]);
    expect(reply.headers["content-type"]).toBe("audio/x-mpegurl; charset=utf-8");
    expect(reply.headers["content-disposition"]).toBe('attachment; filename="the sea at night.m3u8"');
    const file = parseM3u8(reply.body);
    expect(file.title).toBe("the sea at night");
    expect(file.entries).toEqual([
      { seconds: 201, name: "Ana Ríos, The Tides - Harbour Lights", location: SPOTIFY_TRACK },
      { seconds: 60, name: "Kim - Home & Away <live>", location: "Kim/Rooms/01 Home & Away #2.flac" },
      { seconds: -1, name: 'Leaving "Now"', location: expect.stringContaining("open.spotify.com/search/") },
    ]);
  });

  it("answers the same songs as an XSPF file valid against the XSPF 1 schema", async () => {
    await serving();
    const reply = await t.call("GET", "/api/ask.xspf?prompt=harbours&k=2");
    expect(reply.status).toBe(200);
    expect(reply.headers["content-type"]).toBe("application/xspf+xml");
    expect(reply.headers["content-disposition"]).toBe("attachment; filename=harbours.xspf");
    expect(await xspfSchemaErrors(reply.body)).toBeNull();
    const file = parseXspf(reply.body);
    expect(file.title).toBe("harbours");
    expect(file.tracks.map((track) => [track.title, track.location])).toEqual([
      ["Harbour Lights", [SPOTIFY_TRACK]],
      ["Home & Away <live>", ["Kim/Rooms/01%20Home%20%26%20Away%20%232.flac"]],
    ]);
  });

  it("names the file after the prompt safely, with the prompt's own letters as the UTF-8 name", async () => {
    await serving();
    const reply = await t.call(
      "GET",
      `/api/ask.m3u8?prompt=${encodeURIComponent('canción "triste"/../\r\nx')}`,
    );
    expect(reply.status).toBe(200);
    expect(reply.headers["content-disposition"]).toBe(
      `attachment; filename="cancion triste x.m3u8"; filename*=UTF-8''canci%C3%B3n%20triste%20x.m3u8`,
    );
  });

  it("refuses a query the ask would refuse, or one it does not describe, with 400 and without asking", async () => {
    await serving();
    for (const query of [
      "",
      "k=3",
      "prompt=rain&k=0",
      "prompt=rain&k=51",
      "prompt=rain&k=three",
      "prompt=rain&k=Infinity",
      "prompt=rain&energy=0.5",
      "prompt=rain&energy=..",
      "prompt=rain&energy=0.2..1.5",
      "prompt=rain&tempo=abc..",
      "prompt=rain&year=..99999",
      "prompt=rain&language=",
      "prompt=rain&mood=sad",
      "prompt=rain&prompt=snow",
      `prompt=${"a".repeat(2001)}`,
    ]) {
      const reply = await t.call("GET", `/api/ask.m3u8?${query}`);
      expect([reply.status, reply.body.error?.code], query).toEqual([400, "VALIDATION_FAILED"]);
    }
    expect(search.asked).toEqual([]);
  });

  it("fails with the search's own error, never an empty playlist, when the search cannot answer", async () => {
    await serving();
    search.failWith = catalogNotReady();
    const reply = await t.call("GET", "/api/ask.xspf?prompt=rain");
    expect([reply.status, reply.body.error.code]).toEqual([503, "CATALOG_NOT_READY"]);
  });

  it("spends the one search budget the ask spends: a refused ask is not had as a playlist", async () => {
    const rules = {
      ...defaultRequestRules,
      search: { ...defaultRequestRules.search, perAddress: { limit: 2, windowSeconds: 60 } },
    };
    await serving({ requestRules: rules });
    expect((await t.call("POST", "/api/ask", { body: { prompt: "rain" } })).status).toBe(200);
    expect((await t.call("GET", "/api/ask.m3u8?prompt=rain")).status).toBe(200);
    const refused = await t.call("GET", "/api/ask.xspf?prompt=rain");
    expect([refused.status, refused.body.error.code]).toEqual([429, "RATE_LIMITED"]);
    expect(refused.headers["retry-after"]).toBeDefined();
    expect((await t.call("POST", "/api/ask", { body: { prompt: "rain" } })).status).toBe(429);
    for (const format of ["m3u8", "xspf"]) {
      expect(t.routeLimits.get(`GET /api/ask.${format}`)).toEqual(["search"]);
      expect(t.routeLimits.get(`GET /api/prompts/:id.${format}`)).toEqual(["search"]);
    }
  });
});

describe("GET /api/prompts/:id.m3u8 and .xspf", () => {
  it("answers a published prompt's songs, named after it, by its author, to anyone who may read it", async () => {
    await serving();
    const ana = await t.register("ana");
    const published = await t.call("POST", "/api/prompts", {
      token: ana.token,
      body: { text: "  songs about harbours " },
    });
    expect(published.status).toBe(201);
    const id = published.body.id as number;

    const m3u8 = await t.call("GET", `/api/prompts/${id}.m3u8`);
    expect(m3u8.status).toBe(200);
    expect(m3u8.headers["content-disposition"]).toBe('attachment; filename="songs about harbours.m3u8"');
    expect(parseM3u8(m3u8.body).entries.map((e) => e.name)).toEqual([
      "Ana Ríos, The Tides - Harbour Lights",
      "Kim - Home & Away <live>",
      'Leaving "Now"',
    ]);

    const xspf = await t.call("GET", `/api/prompts/${id}.xspf`, { token: ana.token });
    expect(await xspfSchemaErrors(xspf.body)).toBeNull();
    expect(parseXspf(xspf.body)).toMatchObject({ title: "songs about harbours", creator: "ana" });
    expect(search.asked.map((asked) => asked.prompt)).toEqual([
      "songs about harbours",
      "songs about harbours",
    ]);
  });

  it("answers 404 where the prompt's page does, and 400 for an id that is not one", async () => {
    await serving();
    const ana = await t.register("ana");
    const id = (await t.call("POST", "/api/prompts", { token: ana.token, body: { text: "gone soon" } })).body
      .id;
    expect((await t.call("DELETE", `/api/prompts/${id}`, { token: ana.token })).status).toBe(204);
    for (const url of [
      `/api/prompts/${id}`,
      `/api/prompts/${id}.m3u8`,
      `/api/prompts/${id}.xspf`,
      "/api/prompts/999.xspf",
    ]) {
      const reply = await t.call("GET", url, { token: ana.token });
      expect([reply.status, reply.body.error.code], url).toEqual([404, "PROMPT_NOT_FOUND"]);
    }
    for (const url of ["/api/prompts/0.m3u8", "/api/prompts/-1.xspf", "/api/prompts/1e400.m3u8"]) {
      const reply = await t.call("GET", url);
      expect([reply.status, reply.body.error.code], url).toEqual([400, "VALIDATION_FAILED"]);
    }
    expect(search.asked).toEqual([]);
  });

  it("fails with the search's error rather than a playlist without songs", async () => {
    await serving();
    const ana = await t.register("ana");
    const id = (await t.call("POST", "/api/prompts", { token: ana.token, body: { text: "rain" } })).body.id;
    search.failWith = catalogNotReady();
    const reply = await t.call("GET", `/api/prompts/${id}.m3u8`);
    expect([reply.status, reply.body.error.code]).toEqual([503, "CATALOG_NOT_READY"]);
  });
});

describe("the API documentation", () => {
  it("documents every playlist route with its file's media type and its errors", async () => {
    await serving();
    const paths = (await t.call("GET", "/api/docs/json")).body.paths;
    for (const [path, format, mediaType] of [
      ["/api/ask.m3u8", "m3u8", "audio/x-mpegurl; charset=utf-8"],
      ["/api/ask.xspf", "xspf", "application/xspf+xml"],
      ["/api/prompts/{id}.m3u8", "m3u8", "audio/x-mpegurl; charset=utf-8"],
      ["/api/prompts/{id}.xspf", "xspf", "application/xspf+xml"],
    ] as const) {
      const operation = paths[path]?.get;
      expect(operation?.tags, path).toEqual(["playlists"]);
      expect(Object.keys(operation.responses[200].content), `${path} ${format}`).toEqual([mediaType]);
      expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(["400", "429", "503"]));
    }
  });
});
