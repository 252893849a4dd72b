/**
 * End to end: a real shared CSV goes through the whole pipeline (bucket → crawler → queue →
 * worker → embedder → database + vector index), then the HTTP API answers prompts over it.
 */
import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { judgeLyrics } from "../../src/core/catalog/lyrics.js";
import { ingestOnce } from "../../src/roles/ingest-once.js";
import { openTestVerso, sharedDatasets } from "../support/verso.js";

const csvFile = path.join(sharedDatasets, "song-lyrics-21-artists", "Khalid.csv");
const rows = parse(fs.readFileSync(csvFile), { columns: true }) as Record<string, string>[];

describe("search slice, end to end over a real CSV", () => {
  let t: Awaited<ReturnType<typeof openTestVerso>>;
  let objects: Awaited<ReturnType<typeof ingestOnce>>["objects"];

  beforeAll(async () => {
    t = await openTestVerso();
    ({ objects } = await ingestOnce(t.verso, `file://${csvFile}`));
  }, 600_000);
  afterAll(async () => t?.close());

  const ask = (body: unknown) =>
    t.app.inject({ method: "POST", url: "/api/ask", payload: body as Record<string, unknown> });

  it("stores every song of the file, with passages for every song that has lyrics", async () => {
    expect(objects).toHaveLength(1);
    // Lyrics of a line or two ("fragments") are stored without passages, like missing ones.
    const withLyrics = rows.filter((r) => judgeLyrics(r.Lyric ?? "").status === "ok").length;
    expect(rows.filter((r) => r.Lyric?.trim()).length - withLyrics).toBeLessThan(5);
    expect(objects[0]).toMatchObject({ status: "done", songs: rows.length, errors: 0 });
    expect(objects[0]!.skipped).toBe(rows.length - withLyrics);
    const totals = await (await t.verso.catalogStores()).status.totals();
    expect(totals.songs).toBe(rows.length);
    expect(totals.songsWithPassages).toBe(withLyrics);
    expect(await (await t.verso.index()).index.size()).toBe(totals.passages);
  });

  it("answers a prompt with ranked songs, each with id, title, artists, score and passage", async () => {
    const response = await ask({ prompt: "young and broke but still in love" });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.k).toBe(10);
    expect(body.results).toHaveLength(10);
    for (const hit of body.results) {
      expect(hit.song).toMatchObject({
        id: expect.any(String),
        title: expect.any(String),
        artists: ["Khalid"],
      });
      expect(typeof hit.score).toBe("number");
      expect(hit.passage.text.length).toBeGreaterThan(0);
    }
    const scores = body.results.map((r: { score: number }) => r.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it("finds a song from the meaning of one of its passages", async () => {
    const song = rows.find((r) => r.Title === "Young Dumb & Broke")!;
    const words = song.Lyric!.split(/\s+/).slice(0, 40).join(" ");
    const body = (await ask({ prompt: words, k: 3 })).json();
    expect(body.results.map((r: { song: { title: string } }) => r.song.title)).toContain(
      "Young Dumb & Broke",
    );
  });

  it("reads 'top N' from the prompt, and an explicit k wins", async () => {
    expect((await ask({ prompt: "top 3 songs about heartbreak" })).json().results).toHaveLength(3);
    expect((await ask({ prompt: "top 3 songs about heartbreak", k: 5 })).json().results).toHaveLength(5);
  });

  it("serves a repeated prompt from the cache, and a catalog change misses it", async () => {
    const first = (await ask({ prompt: "Talking To The Moon at night", k: 4 })).json();
    const again = (await ask({ prompt: "talking to the moon   AT night", k: 4 })).json();
    expect(again.cached).toBe(true);
    expect(again.results).toEqual(first.results);
    // Every ingest commit bumps the catalog version, which is part of every cache key.
    const before = await (await t.verso.catalogStores()).changeLog.catalogVersion();
    await (
      await t.verso.database()
    ).db
      .updateTable("catalog_state")
      .set({ version: before + 1 })
      .execute();
    const after = (await ask({ prompt: "Talking To The Moon at night", k: 4 })).json();
    expect(after.cached).toBe(false);
    expect(after.catalogVersion).toBe(before + 1);
  });

  it("returns one song with its lyrics, and songs like it", async () => {
    const id = (await ask({ prompt: "love" })).json().results[0].song.id;
    const song = await t.app.inject({ method: "GET", url: `/api/songs/${id}` });
    expect(song.statusCode).toBe(200);
    expect(song.json()).toMatchObject({ id, artists: ["Khalid"], lyrics: expect.any(String) });
    const similar = await t.app.inject({ method: "GET", url: `/api/songs/${id}/similar?k=5` });
    expect(similar.statusCode).toBe(200);
    const results = similar.json().results as { song: { id: string } }[];
    expect(results).toHaveLength(5);
    expect(results.map((r) => r.song.id)).not.toContain(id);
    const missing = await t.app.inject({ method: "GET", url: "/api/songs/no-such-song" });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe("SONG_NOT_FOUND");
  });

  it("reports the catalog and ingest progress", async () => {
    const status = (await t.app.inject({ method: "GET", url: "/api/catalog/status" })).json();
    expect(status.songs).toBe(rows.length);
    expect(status.items).toHaveLength(1);
    expect(status.items[0]).toMatchObject({ key: "Khalid.csv", songs: rows.length, errors: 0 });
    expect(status.queue).toEqual({ ready: 0, inFlight: 0, dead: 0 });
  });

  it("exposes health, readiness, metrics and the OpenAPI document", async () => {
    expect((await t.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    const ready = await t.app.inject({ method: "GET", url: "/readyz" });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks).toEqual({ database: true, index: true, embedder: true });
    const metrics = (await t.app.inject({ method: "GET", url: "/metrics" })).body;
    for (const name of [
      'verso_http_request_duration_seconds_count{method="POST",route="/api/ask",status="200"}',
      'verso_ask_duration_seconds_count{phase="embed"}',
      'verso_ask_duration_seconds_count{phase="index"}',
      'verso_ask_duration_seconds_count{phase="total"}',
      'verso_cache_requests_total{result="hit"}',
      'verso_cache_requests_total{result="miss"}',
      'verso_ingest_objects_total{outcome="done"} 1',
      'verso_ingest_rows_total{outcome="song"}',
      "verso_ingest_object_duration_seconds_count 1",
      'verso_queue_jobs{state="ready"} 0',
      `verso_catalog_songs ${rows.length}`,
    ]) {
      expect(metrics).toContain(name);
    }
    const docs = await t.app.inject({ method: "GET", url: "/api/docs/json" });
    expect(docs.statusCode).toBe(200);
    expect(Object.keys(docs.json().paths)).toEqual(
      expect.arrayContaining([
        "/api/ask",
        "/api/songs/{id}",
        "/api/songs/{id}/similar",
        "/api/catalog/status",
      ]),
    );
  });

  describe("bad input gets a 400 with a stable code", () => {
    it.each([
      ["an empty prompt", { prompt: "" }, "PROMPT_EMPTY"],
      ["a blank prompt", { prompt: "   \n " }, "PROMPT_EMPTY"],
      ["a 10,000-character prompt", { prompt: "la ".repeat(3334) }, "PROMPT_TOO_LONG"],
      ["k = 0", { prompt: "rain", k: 0 }, "VALIDATION_FAILED"],
      ["k = 1000", { prompt: "rain", k: 1000 }, "VALIDATION_FAILED"],
      ["k = 2.5", { prompt: "rain", k: 2.5 }, "VALIDATION_FAILED"],
      ["a prompt that is not text", { prompt: 42 }, "VALIDATION_FAILED"],
      ["no prompt", { k: 3 }, "VALIDATION_FAILED"],
      ["an unknown field", { prompt: "rain", color: "blue" }, "VALIDATION_FAILED"],
    ])("%s", async (_name, body, code) => {
      const response = await ask(body);
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe(code);
      expect(response.json().error.message.length).toBeGreaterThan(0);
    });

    it("a body that is not JSON", async () => {
      const response = await t.app.inject({
        method: "POST",
        url: "/api/ask",
        headers: { "content-type": "application/json" },
        payload: '{"prompt": "rain",',
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.code).toBe("INVALID_JSON");
    });

    it("a body that is not sent as JSON", async () => {
      const response = await t.app.inject({
        method: "POST",
        url: "/api/ask",
        headers: { "content-type": "text/plain" },
        payload: "songs about rain",
      });
      expect(response.statusCode).toBe(415);
      expect(response.json().error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
    });

    it("an unknown route", async () => {
      const response = await t.app.inject({ method: "GET", url: "/api/nothing-here" });
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe("ROUTE_NOT_FOUND");
    });
  });
});
