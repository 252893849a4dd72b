/**
 * Text no database stores alike — a NUL character (PostgreSQL refuses it with an error, the
 * others store it) and an unpaired surrogate (SQLite and MariaDB store U+FFFD instead) — is
 * refused with a 400 on every dialect, wherever it is sent: a profile, a search of people or
 * prompts, a song id, a filter. Valid text of any script goes in and comes back as it was.
 */
import type { FastifyPluginAsync } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSqlSongStore } from "../../src/adapters/sql/song-store.js";
import { createSqlCatalogStores } from "../../src/adapters/sql/catalog/index.js";
import { jobOf } from "../../src/core/catalog/crawler.js";
import { SongPages } from "../../src/core/catalog/song-pages.js";
import { isVersoError } from "../../src/core/errors.js";
import { HOUR, ingested, leaseFor, listed, model, SOURCE, songRow } from "../contract/catalog-fixtures.js";
import { songsRoutes } from "../../src/http/songs/routes.js";
import { openTestDatabase, testDialect, type TestDatabase } from "../support/databases.js";
import { buildTestApp, type TestApp } from "../support/test-app.js";

let t: TestApp;
let catalog: TestDatabase;
let token: string;

beforeAll(async () => {
  catalog = await openTestDatabase();
  await seedSongs(catalog);
  t = await buildTestApp({
    otherRoutes: [
      songsRoutes({
        pages: new SongPages(createSqlSongStore(catalog)),
        similar: async () => [],
      }) as FastifyPluginAsync,
    ],
  });
  ({ token } = await t.register("alice"));
});

afterAll(async () => {
  // Fails if any answer was a 500.
  await t.close();
  await catalog.close();
});

/** A few songs, so that searches and filters reach the database. */
async function seedSongs(database: TestDatabase): Promise<void> {
  const stores = createSqlCatalogStores(database);
  const now = new Date();
  const { object } = await stores.objects.offerObject(SOURCE, listed("songs.csv"), model.name, {
    failedCooldownMs: HOUR,
    now,
  });
  const started = await stores.runs.startObject(jobOf(object), model.name, leaseFor("seed", now));
  if (started.status !== "started") throw new Error(started.status);
  const songs = ["rain", "sun", "snow", "wind"].map((word, i) =>
    ingested(songRow(`s${i}`, { title: `${word} song`, lyrics: `${word} all day` }), []),
  );
  await stores.runs.commitBatch({
    lease: started.lease,
    modelId: await stores.runs.modelId(model),
    songs,
    rowErrors: [],
    counts: { songs: songs.length, passages: 0, skipped: songs.length, errors: 0, changed: 0 },
    rowsDone: songs.length,
    linesDone: songs.length + 1,
    bytesDone: 10,
  });
}

const NUL = "\u0000";
const LONE = "\ud800";

describe.each([
  ["a NUL character", NUL],
  ["an unpaired surrogate", LONE],
])(`on ${testDialect}, text with %s`, (_name, bad) => {
  it("is refused in a profile with 400, and the profile keeps what it had", async () => {
    for (const body of [{ bio: `a${bad}b` }, { displayName: `Al${bad}ice` }]) {
      const reply = await t.call("PATCH", "/api/me", { token, body });
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(reply.body.error.code).toMatch(/^(VALIDATION_FAILED|DISPLAY_NAME_INVALID)$/);
    }
    const me = await t.call("GET", "/api/me", { token });
    expect(me.body.bio).not.toContain(bad);
    expect(me.body.bio).not.toContain("\ufffd");
  });

  it("is refused in a published or edited prompt with 400", async () => {
    const published = await t.call("POST", "/api/prompts", { token, body: { text: `nul ${bad} byte` } });
    expect(published.status).toBe(400);
    expect(published.body.error.code).toBe("PROMPT_INVALID");
    const mine = await t.call("POST", "/api/prompts", { token, body: { text: "a fine prompt" } });
    const edited = await t.call("PATCH", `/api/prompts/${mine.body.id}`, {
      token,
      body: { text: `x${bad}` },
    });
    expect(edited.status).toBe(400);
  });

  it("is refused in a search of people or prompts, and in a song id, with 400 VALIDATION_FAILED", async () => {
    const encoded = encodeURIComponent(bad === NUL ? NUL : "x").replace("x", "%ED%A0%80");
    for (const url of [
      `/api/users?q=${encodeURIComponent(NUL)}`,
      `/api/songs/a${encodeURIComponent(NUL)}b`,
    ]) {
      const reply = await t.call("GET", url);
      expect(reply.status, url).toBe(400);
      expect(reply.body.error.code).toBe("VALIDATION_FAILED");
    }
    // Broken UTF-8 in a URL is no text at all: refused before it reaches the database.
    expect((await t.call("GET", `/api/users?q=${encoded}`)).status).toBeLessThan(500);
    // Prompts are searched by their words: what is not a word is left out, not refused.
    expect((await t.call("GET", `/api/prompts?q=a${encodeURIComponent(NUL)}b`)).status).toBe(200);
  });

  it("is refused by the song store in a filter, on every dialect alike", async () => {
    const store = createSqlSongStore(catalog);
    const error = await store.searchLexical(["rain"], 10, { genre: `pop${bad}` }).catch((e: unknown) => e);
    expect(isVersoError(error) && error.code).toBe("VALIDATION_FAILED");
    expect(await store.getSong(`a${bad}b`).catch((e: unknown) => isVersoError(e) && e.code)).toBe(
      "VALIDATION_FAILED",
    );
  });
});

it(`on ${testDialect}, valid text of any script goes in and comes back unchanged`, async () => {
  const bio = "ñandú 🎵 שלום e\u0301 \u{1F469}\u200d\u{1F467} 日本語";
  expect((await t.call("PATCH", "/api/me", { token, body: { bio } })).status).toBe(200);
  expect((await t.call("GET", "/api/me", { token })).body.bio).toBe(bio);
});
