import { afterEach, describe, expect, it } from "vitest";
import { catalogNotReady } from "../../../test/support/fake-song-search.js";
import { manualClock } from "../../../test/support/manual-clock.js";
import { buildTestApp, type TestApp, type TestAppOptions } from "../../../test/support/test-app.js";

let t: TestApp;
const start = async (options: TestAppOptions = {}) => {
  t = await buildTestApp(options);
  return t;
};
afterEach(async () => {
  await t?.close();
});

const publish = async (token: string, text: string) => {
  const reply = await t.call("POST", "/api/prompts", { token, body: { text } });
  expect(reply.status).toBe(201);
  return reply.body as { id: number; text: string };
};

/** Follows nextCursor to the end, answering every item id in order. */
const allPages = async (url: string, token?: string): Promise<number[]> => {
  const ids: number[] = [];
  let cursor: string | null = null;
  do {
    const separator = url.includes("?") ? "&" : "?";
    const page: { status: number; body: { items: { id: number }[]; nextCursor: string | null } } =
      await t.call("GET", cursor ? `${url}${separator}cursor=${cursor}` : url, token ? { token } : {});
    expect(page.status).toBe(200);
    ids.push(...page.body.items.map((item) => item.id));
    cursor = page.body.nextCursor;
  } while (cursor);
  return ids;
};

describe("publish, read, edit, delete", () => {
  it("publishes a trimmed prompt and reads it back with the songs it finds", async () => {
    await start();
    const alice = await t.register("alice");
    const published = await t.call("POST", "/api/prompts", {
      token: alice.token,
      body: { text: "  songs about rain  " },
    });
    expect(published.status).toBe(201);
    expect(published.body).toEqual({
      id: expect.any(Number),
      text: "songs about rain",
      author: { id: alice.id, username: "alice" },
      createdAt: expect.any(String),
      updatedAt: published.body.createdAt,
      likeCount: 0,
      likedByMe: false,
    });
    const read = await t.call("GET", `/api/prompts/${published.body.id}`);
    expect(read.status).toBe(200);
    expect(t.search.asked).toEqual([{ prompt: "songs about rain" }]);
    expect(read.body).toMatchObject({ ...published.body, resultsError: null });
    expect(read.body.results).toHaveLength(1);
    expect(read.body.results[0].song.title).toBe("A song about songs about rain");
    expect(read.body.results[0].passage).toEqual({ text: "a line about songs about rain", ordinal: 0 });
  });

  it("stays readable while search cannot answer, saying why there are no songs", async () => {
    await start();
    const alice = await t.register("alice");
    const { id } = await publish(alice.token, "songs about rain");
    t.search.failWith = catalogNotReady();
    const read = await t.call("GET", `/api/prompts/${id}`);
    expect(read.status).toBe(200);
    expect(read.body.results).toEqual([]);
    expect(read.body.resultsError).toEqual({ code: "CATALOG_NOT_READY", message: "the catalog is loading" });
  });

  it("edits my prompt: new text, new updatedAt, and search follows the new words", async () => {
    const time = manualClock();
    await start({ clock: time.clock });
    const alice = await t.register("alice");
    const { id } = await publish(alice.token, "songs about rain");
    time.advance(5000);
    const edited = await t.call("PATCH", `/api/prompts/${id}`, {
      token: alice.token,
      body: { text: "songs about snow" },
    });
    expect(edited.status).toBe(200);
    expect(edited.body.text).toBe("songs about snow");
    expect(Date.parse(edited.body.updatedAt) - Date.parse(edited.body.createdAt)).toBe(5000);
    expect((await t.call("GET", "/api/prompts?q=rain")).body.items).toEqual([]);
    expect((await t.call("GET", "/api/prompts?q=snow")).body.items.map((p: { id: number }) => p.id)).toEqual([
      id,
    ]);
  });

  it("deletes my prompt with its likes and reposts", async () => {
    await start();
    const alice = await t.register("alice");
    const bob = await t.register("bob");
    const { id } = await publish(alice.token, "songs about rain");
    await t.call("PUT", `/api/prompts/${id}/like`, { token: bob.token });
    const reply = await t.call("DELETE", `/api/prompts/${id}`, { token: alice.token });
    expect(reply.status).toBe(204);
    expect((await t.call("GET", `/api/prompts/${id}`)).status).toBe(404);
    expect(await t.db.selectFrom("likes").selectAll().execute()).toEqual([]);
    expect(await t.db.selectFrom("activities").selectAll().execute()).toEqual([]);
    expect((await t.call("GET", "/api/prompts?q=rain")).body.items).toEqual([]);
  });

  it("refuses to edit or delete another's prompt with 403", async () => {
    await start();
    const alice = await t.register("alice");
    const bob = await t.register("bob");
    const { id } = await publish(alice.token, "songs about rain");
    const edit = await t.call("PATCH", `/api/prompts/${id}`, {
      token: bob.token,
      body: { text: "mine now" },
    });
    expect(edit.status).toBe(403);
    expect(edit.body.error.code).toBe("NOT_OWNER");
    expect((await t.call("DELETE", `/api/prompts/${id}`, { token: bob.token })).status).toBe(403);
    expect((await t.call("GET", `/api/prompts/${id}`)).body.text).toBe("songs about rain");
  });
});

describe("likes", () => {
  it("counts exactly 50 when 50 users like one prompt at once, and 0 when they all unlike at once", async () => {
    await start();
    const author = await t.register("author");
    const { id } = await publish(author.token, "songs about rain");
    const fans = [];
    for (let i = 0; i < 50; i += 1) fans.push(await t.register(`fan${i}`));

    const liked = await Promise.all(
      fans.map((fan) => t.call("PUT", `/api/prompts/${id}/like`, { token: fan.token })),
    );
    expect(liked.every((reply) => reply.status === 200)).toBe(true);
    expect((await t.call("GET", `/api/prompts/${id}`)).body.likeCount).toBe(50);
    expect((await t.db.selectFrom("likes").selectAll().execute()).length).toBe(50);

    const unliked = await Promise.all(
      fans.map((fan) => t.call("DELETE", `/api/prompts/${id}/like`, { token: fan.token })),
    );
    expect(unliked.every((reply) => reply.status === 200)).toBe(true);
    expect((await t.call("GET", `/api/prompts/${id}`)).body.likeCount).toBe(0);
    expect(await t.db.selectFrom("likes").selectAll().execute()).toEqual([]);
  });

  it("counts a like given twice (even at once) as one, with one repost", async () => {
    await start();
    const alice = await t.register("alice");
    const bob = await t.register("bob");
    const { id } = await publish(alice.token, "songs about rain");
    const replies = await Promise.all([
      t.call("PUT", `/api/prompts/${id}/like`, { token: bob.token }),
      t.call("PUT", `/api/prompts/${id}/like`, { token: bob.token }),
    ]);
    const again = await t.call("PUT", `/api/prompts/${id}/like`, { token: bob.token });
    for (const reply of [...replies, again])
      expect(reply.body).toMatchObject({ likeCount: 1, likedByMe: true });
    const reposts = await t.db.selectFrom("activities").selectAll().where("kind", "=", "repost").execute();
    expect(reposts.map((r) => [r.actor_id, r.prompt_id])).toEqual([[bob.id, id]]);
    const unlike = await t.call("DELETE", `/api/prompts/${id}/like`, { token: bob.token });
    expect(unlike.body).toMatchObject({ likeCount: 0, likedByMe: false });
    const unlikeAgain = await t.call("DELETE", `/api/prompts/${id}/like`, { token: bob.token });
    expect(unlikeAgain.body).toMatchObject({ likeCount: 0, likedByMe: false });
    expect(await t.db.selectFrom("activities").selectAll().where("kind", "=", "repost").execute()).toEqual(
      [],
    );
  });

  it("counts a like of my own prompt without reposting it to followers who saw it already", async () => {
    await start();
    const alice = await t.register("alice");
    const { id } = await publish(alice.token, "songs about rain");
    const reply = await t.call("PUT", `/api/prompts/${id}/like`, { token: alice.token });
    expect(reply.body).toMatchObject({ likeCount: 1, likedByMe: true });
    expect(await t.db.selectFrom("activities").selectAll().where("kind", "=", "repost").execute()).toEqual(
      [],
    );
  });

  it("shows likedByMe to the liker only", async () => {
    await start();
    const alice = await t.register("alice");
    const bob = await t.register("bob");
    const { id } = await publish(alice.token, "songs about rain");
    await t.call("PUT", `/api/prompts/${id}/like`, { token: bob.token });
    expect((await t.call("GET", `/api/prompts/${id}`, { token: bob.token })).body.likedByMe).toBe(true);
    expect((await t.call("GET", `/api/prompts/${id}`, { token: alice.token })).body.likedByMe).toBe(false);
    expect((await t.call("GET", `/api/prompts/${id}`)).body.likedByMe).toBe(false);
  });
});

describe("search and listing", () => {
  it("ranks by relevance, newest first among equals", async () => {
    await start();
    const alice = await t.register("alice");
    const older = await publish(alice.token, "rain in the city");
    const best = await publish(alice.token, "rain rain rain");
    const newer = await publish(alice.token, "rain in the night");
    await publish(alice.token, "sunny afternoon");
    const ids = (await t.call("GET", "/api/prompts?q=rain")).body.items.map((p: { id: number }) => p.id);
    expect(ids).toEqual([best.id, newer.id, older.id]);
  });

  it("needs every word, ignores accents and letter case, and matches the last word as a prefix", async () => {
    await start();
    const alice = await t.register("alice");
    const spanish = await publish(alice.token, "una canción de amor");
    const both = await publish(alice.token, "Love songs for a rainy day");
    await publish(alice.token, "love letters");
    const search = async (q: string) =>
      (await t.call("GET", `/api/prompts?q=${encodeURIComponent(q)}`)).body.items.map(
        (p: { id: number }) => p.id,
      );
    expect(await search("CANCION")).toEqual([spanish.id]);
    expect(await search("love rain")).toEqual([both.id]);
    expect(await search("love songs")).toEqual([both.id]);
  });

  it("treats query syntax as plain words", async () => {
    await start();
    const alice = await t.register("alice");
    const { id } = await publish(alice.token, "near the sea or the river");
    // Every word of these is in the prompt, so each must find it, whatever FTS5 would make of the syntax.
    for (const q of [
      '"',
      "NEAR(",
      "near:sea",
      "sea*",
      "sea OR river",
      "^sea",
      "(sea)",
      "-",
      "{sea}",
      'sea"',
      "NOT",
    ]) {
      const reply = await t.call("GET", `/api/prompts?q=${encodeURIComponent(q)}`);
      expect(reply.status, q).toBe(200);
      if (/sea/.test(q))
        expect(
          reply.body.items.map((p: { id: number }) => p.id),
          q,
        ).toEqual([id]);
    }
  });

  it("pages through results with cursors, each prompt once", async () => {
    await start();
    const alice = await t.register("alice");
    const ids: number[] = [];
    for (let i = 0; i < 23; i += 1)
      ids.push((await publish(alice.token, `song number ${i} about the moon`)).id);
    const searched = await allPages("/api/prompts?q=moon&limit=5");
    expect([...searched].sort((a, b) => a - b)).toEqual(ids);
    const newest = await allPages("/api/prompts?limit=7");
    expect(newest).toEqual([...ids].reverse());
    const theirs = await allPages("/api/users/alice/prompts?limit=4");
    expect(theirs).toEqual([...ids].reverse());
  });
});
