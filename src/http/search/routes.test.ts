import { afterEach, describe, expect, it } from "vitest";
import { fakeSongSearch, type FakeSongSearch } from "../../../test/support/fake-song-search.js";
import { buildTestApp, type TestApp } from "../../../test/support/test-app.js";
import { listenLinks } from "../../core/catalog/listen-links.js";
import { VersoError } from "../../core/errors.js";
import { searchRoutes } from "./routes.js";

let t: TestApp;
let search: FakeSongSearch;
afterEach(async () => {
  await t?.close();
});

async function serving(): Promise<TestApp> {
  search = fakeSongSearch();
  t = await buildTestApp({ otherRoutes: [searchRoutes(search)] });
  return t;
}

describe("POST /api/ask", () => {
  it("asks the search with the prompt, k and filters, and answers its songs", async () => {
    await serving();
    const filters = { language: "es", energy: { min: 0.5 }, year: { min: 1990, max: 1999 } };
    const reply = await t.call("POST", "/api/ask", { body: { prompt: "the sea at night", k: 3, filters } });
    expect(reply.status).toBe(200);
    expect(search.asked).toEqual([{ prompt: "the sea at night", k: 3, filters }]);
    expect(reply.body).toMatchObject({ prompt: "the sea at night", k: 3, cached: false, catalogVersion: 1 });
    expect(reply.body.results[0].song.title).toBe("A song about the sea at night");
    expect(reply.body.results[0].song.features.energy).toBe(0.5);
    expect(reply.body.results[0].passage).toEqual({ text: "a line about the sea at night", ordinal: 0 });
  });

  it("says, while the catalog is being re-embedded, how many songs the answer covers", async () => {
    await serving();
    expect((await t.call("POST", "/api/ask", { body: { prompt: "rain" } })).body.reembedding).toBeNull();
    search.reembedding = { model: "e5-small", done: 3, total: 8 };
    const reply = await t.call("POST", "/api/ask", { body: { prompt: "rain" } });
    expect([reply.status, reply.body.reembedding]).toEqual([200, { model: "e5-small", done: 3, total: 8 }]);
  });

  it("answers each song with links out to listen to it", async () => {
    await serving();
    const reply = await t.call("POST", "/api/ask", { body: { prompt: "rain" } });
    expect(reply.status).toBe(200);
    expect(reply.body.results[0].song.listen).toEqual(listenLinks(reply.body.results[0].song));
    expect(reply.body.results[0].song.listen).toContainEqual({
      service: "YouTube Music",
      kind: "search",
      url: "https://music.youtube.com/search?q=A+song+about+rain+The+Fakes",
    });
  });

  it("refuses a body the schema does not describe, without asking", async () => {
    await serving();
    for (const body of [
      {},
      { prompt: 42 },
      { prompt: "rain", k: "5" },
      { prompt: "rain", k: 0 },
      { prompt: "rain", userId: 2 },
      { prompt: "rain", filters: { energy: { min: 2 } } },
      { prompt: "rain", filters: { mood: "sad" } },
    ]) {
      const reply = await t.call("POST", "/api/ask", { body });
      expect([reply.status, reply.body.error.code], JSON.stringify(body)).toEqual([400, "VALIDATION_FAILED"]);
    }
    expect(search.asked).toEqual([]);
  });

  it("answers the search's own refusal with its code", async () => {
    await serving();
    search.failWith = new VersoError("PROMPT_EMPTY", "a prompt needs words");
    const reply = await t.call("POST", "/api/ask", { body: { prompt: "   " } });
    expect([reply.status, reply.body.error.code]).toEqual([400, "PROMPT_EMPTY"]);
  });
});
