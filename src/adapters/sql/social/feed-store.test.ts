import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "../../../../test/support/databases.js";
import type { FeedStore } from "../../../core/social/store.js";
import { createSqlFeedStore, type FeedStrategy } from "./feed-store.js";

let database: TestDatabase;
const users = 30;
const viewers = [1, 2, 3, 30];

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
function sequence(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

beforeAll(async () => {
  database = await openTestDatabase();
  const { db } = database;
  const now = "2026-12-01T00:00:00.000Z";
  const random = sequence(11);
  await db
    .insertInto("users")
    .values(
      Array.from({ length: users }, (_, i) => ({
        username: `user${i + 1}`,
        password_hash: "-",
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  // Viewer 1 follows many, 2 a few, 3 only the quiet ones; 30 nobody.
  const follows = [
    ...Array.from({ length: 20 }, (_, i) => [1, i + 2]),
    [2, 4],
    [2, 25],
    [3, 28],
    [3, 29],
  ].map(([follower_id, followee_id]) => ({
    follower_id: follower_id!,
    followee_id: followee_id!,
    created_at: now,
  }));
  await db.insertInto("follows").values(follows).execute();
  // Busy actors post often and quiet ones rarely, so the newest stretch of everyone's history
  // holds a whole page for some viewers and not for others.
  const prompts = Array.from({ length: 400 }, () => {
    const busy = random() < 0.8;
    return {
      author_id: busy ? 4 + Math.floor(random() * 6) : 10 + Math.floor(random() * (users - 9)),
      text: "a prompt",
      created_at: now,
      updated_at: now,
    };
  });
  await db.insertInto("prompts").values(prompts).execute();
  const rows = await db.selectFrom("prompts").select(["id", "author_id"]).orderBy("id").execute();
  const posts = rows.map((prompt) => ({
    actor_id: prompt.author_id,
    prompt_id: prompt.id,
    kind: "post" as const,
  }));
  // Reposts come later than most posts, some long after theirs, and a prompt may be reposted by
  // several people a viewer follows: each such prompt must still show once, at its newest.
  const reposts = rows.flatMap((prompt) => {
    const actors = new Set<number>();
    while (random() < 0.45) actors.add(1 + Math.floor(random() * users));
    actors.delete(prompt.author_id);
    return [...actors].map((actor_id) => ({ actor_id, prompt_id: prompt.id, kind: "repost" as const }));
  });
  const shuffled = reposts
    .map((repost) => ({ repost, order: random() }))
    .sort((a, b) => a.order - b.order)
    .map(({ repost }) => repost);
  const interleaved = [
    ...posts.slice(0, 200),
    ...shuffled.slice(0, 40),
    ...posts.slice(200),
    ...shuffled.slice(40),
  ];
  for (let i = 0; i < interleaved.length; i += 100)
    await db
      .insertInto("activities")
      .values(interleaved.slice(i, i + 100).map((a) => ({ ...a, created_at: now })))
      .execute();
});

afterAll(async () => {
  await database?.close();
});

/**
 * What the feed must be: each prompt the viewer or their followees posted or reposted, once, at
 * its newest such activity, newest first.
 */
async function expectedFeed(viewerId: number): Promise<number[]> {
  const { db } = database;
  const followees = (
    await db.selectFrom("follows").select("followee_id").where("follower_id", "=", viewerId).execute()
  ).map((f) => f.followee_id);
  const actors = [viewerId, ...followees];
  const rows = await db
    .selectFrom("activities")
    .select(["id", "prompt_id"])
    .where("actor_id", "in", actors)
    .orderBy("id", "desc")
    .execute();
  const seen = new Set<number>();
  return rows.filter((r) => !seen.has(r.prompt_id) && seen.add(r.prompt_id)).map((r) => r.id);
}

async function walk(feed: FeedStore, viewerId: number, limit: number): Promise<number[]> {
  const ids: number[] = [];
  let before: number | null = null;
  for (;;) {
    const page = await feed.page({ viewerId, beforeActivityId: before, limit });
    ids.push(...page.map((entry) => entry.activityId));
    if (page.length < limit) return ids;
    before = page.at(-1)!.activityId;
  }
}

describe("the SQL feed store", () => {
  const strategies: Record<string, FeedStrategy> = {
    "merging each followee's history": { wideFollowing: Number.MAX_SAFE_INTEGER, windowPerItem: 50 },
    "a window of everyone's newest, often too short": { wideFollowing: 1, windowPerItem: 2 },
    "a window of everyone's newest, long enough": { wideFollowing: 1, windowPerItem: 500 },
    "a threshold that only viewer 1 passes": { wideFollowing: 10, windowPerItem: 50 },
  };
  for (const [name, strategy] of Object.entries(strategies)) {
    it(`pages through each of the viewer's prompts once, newest activity first, by ${name}`, async () => {
      const feed = createSqlFeedStore(database, strategy);
      for (const viewerId of viewers) {
        const expected = await expectedFeed(viewerId);
        for (const limit of [1, 7, 20])
          expect(await walk(feed, viewerId, limit), `viewer ${viewerId}, ${limit} a page`).toEqual(expected);
      }
    });
  }

  it("shows a prompt once when people the viewer follows post and repost it", async () => {
    const feed = createSqlFeedStore(database, { wideFollowing: Number.MAX_SAFE_INTEGER, windowPerItem: 50 });
    const entries = [];
    for (let before: number | null = null; ;) {
      const page = await feed.page({ viewerId: 1, beforeActivityId: before, limit: 7 });
      entries.push(...page);
      if (page.length < 7) break;
      before = page.at(-1)!.activityId;
    }
    const promptIds = entries.map((e) => e.prompt.id);
    expect(new Set(promptIds).size).toBe(promptIds.length);
    expect(entries.filter((e) => e.repostedBy !== null).length).toBeGreaterThan(0);
  });

  it("starts a page below any cursor, even one that names no activity", async () => {
    const feed = createSqlFeedStore(database, { wideFollowing: 1, windowPerItem: 3 });
    const expected = await expectedFeed(1);
    const cursor = (expected[10] ?? 0) + 1;
    const page = await feed.page({ viewerId: 1, beforeActivityId: cursor, limit: 5 });
    expect(page.map((e) => e.activityId)).toEqual(expected.filter((id) => id < cursor).slice(0, 5));
  });
});
