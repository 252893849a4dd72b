/** The home feed over Kysely: a merge of each followed person's newest activities. */
import { sql } from "kysely";
import type { FeedEntry, FeedStore } from "../../core/social/store.js";
import type { SqlContext } from "./dialect-sql.js";
import type { ActivityKind } from "./schema/social.js";
import { toPrompt, type PromptRow } from "./social-prompt-rows.js";

interface FeedRow extends PromptRow {
  activity_id: number;
  kind: ActivityKind;
  at: string;
  actor_id: number;
  actor_username: string;
}

/** Beyond any id (ids are 32-bit integer columns in every dialect): the first page has no cursor. */
const NO_CURSOR = 2 ** 31 - 1;

export function createSqlFeedStore({ db }: SqlContext): FeedStore {
  return {
    // The page is the newest `limit` activities of me and everyone I follow, below the cursor.
    // Each actor can contribute at most `limit` of them, so one short backwards walk of
    // activities_actor(actor_id, id) per actor finds the id of their `limit`-th newest (the
    // OFFSET is that bound, never a page position), and only the rows above it are merged. The
    // work grows with the number of people I follow, never with how much they ever posted;
    // ids only grow, so the id cursor keeps pages stable as new posts arrive.
    async page({ viewerId, beforeActivityId, limit }) {
      const before = beforeActivityId ?? NO_CURSOR;
      const { rows } = await sql<FeedRow>`
        WITH actors(actor_id) AS (
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
        ),
        -- Ids first, from the index alone; the rows of the page only.
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
      return rows.map((row): FeedEntry => ({
        activityId: row.activity_id,
        prompt: toPrompt(row),
        repostedBy: row.kind === "repost" ? { id: row.actor_id, username: row.actor_username } : null,
        at: row.at,
      }));
    },
  };
}
