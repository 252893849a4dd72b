import { afterEach, describe, expect, it } from "vitest";
import { manualClock } from "../../../test/support/manual-clock.js";
import { buildTestApp, type TestApp } from "../../../test/support/test-app.js";

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

interface FeedItem {
  id: number;
  text: string;
  author: { id: number; username: string };
  likeCount: number;
  likedByMe: boolean;
  repostedBy: { id: number; username: string } | null;
  repostedAt: string | null;
}

const feedOf = async (
  token: string,
  query = "",
): Promise<{ items: FeedItem[]; nextCursor: string | null }> => {
  const reply = await t.call("GET", `/api/feed${query}`, { token });
  expect(reply.status).toBe(200);
  return reply.body;
};

const publish = async (token: string, text: string): Promise<number> =>
  (await t.call("POST", "/api/prompts", { token, body: { text } })).body.id;

describe("feed", () => {
  it("shows my posts and those of people I follow, with their reposts, each prompt once at its newest", async () => {
    const time = manualClock();
    t = await buildTestApp({ clock: time.clock });
    const me = await t.register("me.myself");
    const friend = await t.register("friend");
    const stranger = await t.register("stranger");
    await t.call("PUT", "/api/users/friend/follow", { token: me.token });

    const tick = () => time.advance(1000);
    const mine = await publish(me.token, "my prompt");
    tick();
    const friends = await publish(friend.token, "friend's prompt");
    tick();
    const strangers = await publish(stranger.token, "stranger's prompt");
    tick();
    await publish(stranger.token, "another stranger's prompt");
    tick();
    await t.call("PUT", `/api/prompts/${strangers}/like`, { token: friend.token });
    const repostTime = time.clock().toISOString();
    tick();
    await t.call("PUT", `/api/prompts/${friends}/like`, { token: me.token });

    const { items, nextCursor } = await feedOf(me.token);
    expect(nextCursor).toBeNull();
    expect(items.map((i) => [i.text, i.repostedBy?.username ?? null])).toEqual([
      ["friend's prompt", "me.myself"],
      ["stranger's prompt", "friend"],
      ["my prompt", null],
    ]);
    const repost = items[1];
    expect(repost).toMatchObject({
      id: strangers,
      author: { id: stranger.id, username: "stranger" },
      likeCount: 1,
      likedByMe: false,
      repostedBy: { id: friend.id, username: "friend" },
      repostedAt: repostTime,
    });
    expect(items[0]).toMatchObject({ id: friends, likeCount: 1, likedByMe: true });
    expect(items[2]?.id).toBe(mine);
  });

  it("takes a repost back when the like is taken back, and a followee's items when I unfollow", async () => {
    t = await buildTestApp();
    const me = await t.register("me.myself");
    const friend = await t.register("friend");
    const stranger = await t.register("stranger");
    await t.call("PUT", "/api/users/friend/follow", { token: me.token });
    const strangers = await publish(stranger.token, "stranger's prompt");
    await t.call("PUT", `/api/prompts/${strangers}/like`, { token: friend.token });
    expect((await feedOf(me.token)).items.map((i) => i.id)).toEqual([strangers]);

    await t.call("DELETE", `/api/prompts/${strangers}/like`, { token: friend.token });
    expect((await feedOf(me.token)).items).toEqual([]);

    await publish(friend.token, "friend's prompt");
    expect((await feedOf(me.token)).items).toHaveLength(1);
    await t.call("DELETE", "/api/users/friend/follow", { token: me.token });
    expect((await feedOf(me.token)).items).toEqual([]);
  });

  it("keeps pages stable while new posts arrive: every item once, none skipped", async () => {
    t = await buildTestApp();
    const me = await t.register("me.myself");
    const authors = [];
    for (let i = 0; i < 4; i += 1) {
      const author = await t.register(`author${i}`);
      authors.push(author);
      await t.call("PUT", `/api/users/${author.username}/follow`, { token: me.token });
    }
    const published: number[] = [];
    for (let i = 0; i < 30; i += 1) published.push(await publish(authors[i % 4]!.token, `prompt ${i}`));
    const expected = [...published].reverse();

    const seen: number[] = [];
    let page = await feedOf(me.token, "?limit=7");
    seen.push(...page.items.map((i) => i.id));
    let round = 0;
    while (page.nextCursor) {
      // Someone posts between every two pages; the pages already started must not shift.
      await publish(authors[round % 4]!.token, `late prompt ${round}`);
      round += 1;
      page = await feedOf(me.token, `?limit=7&cursor=${page.nextCursor}`);
      seen.push(...page.items.map((i) => i.id));
    }
    expect(seen).toEqual(expected);
    const fresh = await feedOf(me.token, "?limit=3");
    expect(fresh.items.map((i) => i.text)).toEqual([
      `late prompt ${round - 1}`,
      `late prompt ${round - 2}`,
      `late prompt ${round - 3}`,
    ]);
  });

  it("merges authors with very different histories in the right order", async () => {
    t = await buildTestApp();
    const me = await t.register("me.myself");
    const prolific = await t.register("prolific");
    const quiet = await t.register("quiet");
    for (const name of ["prolific", "quiet"])
      await t.call("PUT", `/api/users/${name}/follow`, { token: me.token });
    const order: number[] = [];
    const early = await publish(quiet.token, "quiet, early");
    for (let i = 0; i < 45; i += 1) order.push(await publish(prolific.token, `prolific ${i}`));
    const late = await publish(quiet.token, "quiet, late");
    const all: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await feedOf(me.token, cursor ? `?limit=10&cursor=${cursor}` : "?limit=10");
      all.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(all).toEqual([late, ...order.reverse(), early]);
  });

  it("drops a deleted prompt from every feed", async () => {
    t = await buildTestApp();
    const me = await t.register("me.myself");
    const friend = await t.register("friend");
    await t.call("PUT", "/api/users/friend/follow", { token: me.token });
    const id = await publish(friend.token, "soon gone");
    await t.call("PUT", `/api/prompts/${id}/like`, { token: me.token });
    expect((await feedOf(me.token)).items).toHaveLength(1);
    await t.call("DELETE", `/api/prompts/${id}`, { token: friend.token });
    expect((await feedOf(me.token)).items).toEqual([]);
  });
});
