/** The home feed over Kysely: the prompts of the newest activities of me and everyone I follow. */
import { sql, type RawBuilder } from "kysely";
import type { FeedEntry, FeedStore } from "../../../core/social/store.js";
import { isAnyOf, type SqlContext } from "../dialect-sql.js";
import type { ActivityKind } from "../schema/social.js";
import { toPrompt, type PromptRow } from "./prompt-rows.js";

interface FeedRow extends PromptRow {
  activity_id: number;
  kind: ActivityKind;
  at: string;
  actor_id: number;
  actor_username: string;
}

export interface FeedStrategy {
  /**
   * From this many followees on, the page is first looked for among the newest activities of
   * everyone: the people I follow then write a good share of them.
   */
  wideFollowing: number;
  /** How many of everyone's newest activities that look reads per item of the page. */
  windowPerItem: number;
}

const defaultStrategy: FeedStrategy = { wideFollowing: 100, windowPerItem: 50 };

/** Beyond any id (ids are 32-bit integer columns in every dialect): the first page has no cursor. */
const NO_CURSOR = 2 ** 31 - 1;

interface PageQuery {
  viewerId: number;
  before: number;
  limit: number;
}

export function createSqlFeedStore(
  { db, dialect }: SqlContext,
  strategy: FeedStrategy = defaultStrategy,
): FeedStore {
  /** Whether I follow at least `count` people: a walk of at most `count` index entries. */
  async function followsAtLeast(viewerId: number, count: number): Promise<boolean> {
    const { rows } = await sql<{ n: number | string }>`
      SELECT count(*) AS n FROM (
        SELECT 1 AS one FROM follows WHERE follower_id = ${viewerId} LIMIT ${count}
      ) bounded`.execute(db);
    return Number(rows[0]?.n ?? 0) >= count;
  }

  /**
   * The page's rows, newest first, for the ids of the `newest` common table expression that
   * `ctes` defines: ids first, from the index alone, then the rows of the page only.
   */
  async function rowsOf(viewerId: number, ctes: RawBuilder<unknown>): Promise<FeedRow[]> {
    const { rows } = await sql<FeedRow>`
      WITH ${ctes},
      page AS (
        SELECT a.id, a.actor_id, a.prompt_id, a.kind, a.created_at FROM newest JOIN activities a ON a.id = newest.id
      )
      SELECT
        page.id AS activity_id, page.kind, page.created_at AS at,
        actor.id AS actor_id, actor.username AS actor_username,
        p.id, p.text, p.created_at, p.updated_at, p.like_count,
        author.id AS author_id, author.username AS author_username,
        EXISTS (SELECT 1 FROM likes WHERE likes.user_id = ${viewerId} AND likes.prompt_id = p.id) AS liked_by_me
      FROM page
      JOIN prompts p ON p.id = page.prompt_id
      JOIN users author ON author.id = p.author_id
      JOIN users actor ON actor.id = page.actor_id
      ORDER BY page.id DESC`.execute(db);
    return rows;
  }

  /**
   * Merges each actor's history: each actor can contribute at most `limit` activities, so one
   * short backwards walk of activities_actor(actor_id, id) per actor finds the id of their
   * `limit`-th newest (the OFFSET is that bound, never a page position), and only the rows
   * above it are merged. The work grows with the number of people I follow, never with how
   * much they ever posted.
   */
  const merged = ({ viewerId, before, limit }: PageQuery) => sql`
    actors(actor_id) AS (
      SELECT followee_id FROM follows WHERE follower_id = ${viewerId}
      UNION ALL SELECT CAST(${viewerId} AS integer)
    ),
    newest AS (
      SELECT a.id
      FROM actors
      JOIN activities a ON a.actor_id = actors.actor_id AND a.id < ${before} AND a.id >= coalesce((
        SELECT oldest.id FROM activities oldest
        WHERE oldest.actor_id = actors.actor_id AND oldest.id < ${before}
        ORDER BY oldest.id DESC LIMIT 1 OFFSET ${limit - 1}
      ), 0)
      ORDER BY a.id DESC
      LIMIT ${limit}
    )`;

  /**
   * For someone who follows many people, whose merge would walk many histories: everyone's
   * `limit × windowPerItem` newest ids below the cursor (counted from the newest one there, so
   * the range has no gap above), a bounded range of the primary key, each checked against my
   * follows. When the range holds a whole page, that page is exactly the newest `limit` below
   * the cursor.
   */
  const windowed = ({ viewerId, before, limit }: PageQuery) => sql`
    newest AS (
      SELECT a.id FROM activities a
      WHERE a.id < ${before}
        AND a.id > (SELECT coalesce(max(latest.id), 0) FROM activities latest WHERE latest.id < ${before})
          - ${limit * strategy.windowPerItem}
        AND (a.actor_id = ${viewerId}
          OR EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = ${viewerId} AND f.followee_id = a.actor_id))
      ORDER BY a.id DESC
      LIMIT ${limit}
    )`;

  /** The newest `limit` activities of me and everyone I follow below `before`, whatever their prompts. */
  async function activities(query: PageQuery): Promise<FeedRow[]> {
    const wide = await followsAtLeast(query.viewerId, strategy.wideFollowing);
    const rows = wide ? await rowsOf(query.viewerId, windowed(query)) : [];
    return rows.length < query.limit ? rowsOf(query.viewerId, merged(query)) : rows;
  }

  /** Each prompt's newest activity by me or someone I follow, wherever it is (above the cursor too). */
  async function newestActivities(viewerId: number, promptIds: number[]): Promise<Map<number, number>> {
    if (promptIds.length === 0) return new Map();
    const { rows } = await sql<{ prompt_id: number; id: number }>`
      SELECT a.prompt_id, max(a.id) AS id FROM activities a
      WHERE ${isAnyOf(dialect, "a.prompt_id", [...new Set(promptIds)])}
        AND (a.actor_id = ${viewerId}
          OR EXISTS (SELECT 1 FROM follows f WHERE f.follower_id = ${viewerId} AND f.followee_id = a.actor_id))
      GROUP BY a.prompt_id`.execute(db);
    return new Map(rows.map((row) => [Number(row.prompt_id), Number(row.id)]));
  }

  return {
    // A prompt is shown once, at its newest post or repost by me or someone I follow: an
    // activity is an item only while it is its prompt's newest such activity, so each prompt has
    // one at a time, and the activity id stays the order and the cursor (no prompt on two
    // pages; one reposted while I page moves to the top). The activities below the cursor are
    // read a page at a time, as before, and those a later activity outdates are passed over.
    async page({ viewerId, beforeActivityId, limit }) {
      const shown: FeedRow[] = [];
      let before = beforeActivityId ?? NO_CURSOR;
      for (;;) {
        const rows = await activities({ viewerId, before, limit });
        const newest = await newestActivities(
          viewerId,
          rows.map((row) => row.id),
        );
        shown.push(...rows.filter((row) => newest.get(row.id) === row.activity_id));
        const last = rows.at(-1);
        if (shown.length >= limit || rows.length < limit || !last) break;
        before = last.activity_id;
      }
      return shown.slice(0, limit).map((row): FeedEntry => ({
        activityId: row.activity_id,
        prompt: toPrompt(row),
        repostedBy: row.kind === "repost" ? { id: row.actor_id, username: row.actor_username } : null,
        at: row.at,
      }));
    },
  };
}
