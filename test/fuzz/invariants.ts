/**
 * What must hold of the social tables whatever requests came before: each prompt's like count
 * is its number of like rows, nothing refers to a user or prompt that is gone, a repost is
 * backed by its like, and each prompt has its one post. The foreign keys would catch some of
 * this on their own, but the application deletes dependent rows itself (see the migration), so
 * these are checked with portable queries rather than trusted to the schema.
 */
import { sql, type Kysely } from "kysely";
import type { Database } from "../../src/adapters/sql/schema/index.js";

const references = [
  ["sessions", "user_id", "users"],
  ["prompts", "author_id", "users"],
  ["likes", "user_id", "users"],
  ["likes", "prompt_id", "prompts"],
  ["activities", "actor_id", "users"],
  ["activities", "prompt_id", "prompts"],
  ["follows", "follower_id", "users"],
  ["follows", "followee_id", "users"],
] as const;

const count = async (db: Kysely<Database>, query: ReturnType<typeof sql<{ n: number | string }>>) =>
  Number((await query.execute(db)).rows[0]?.n ?? 0);

/** Every invariant that does not hold, described; empty when all hold. */
export async function invariantViolations(db: Kysely<Database>): Promise<string[]> {
  const violations: string[] = [];

  const miscounted = await db
    .selectFrom("prompts")
    .select((eb) => [
      "prompts.id",
      "prompts.like_count",
      eb
        .selectFrom("likes")
        .whereRef("likes.prompt_id", "=", "prompts.id")
        .select(eb.fn.countAll().as("n"))
        .as("likes"),
    ])
    .execute();
  for (const row of miscounted) {
    if (Number(row.like_count) !== Number(row.likes))
      violations.push(`prompt ${row.id} counts ${row.like_count} likes but has ${row.likes} like rows`);
  }

  for (const [table, column, target] of references) {
    const n = await count(
      db,
      sql<{ n: number }>`SELECT COUNT(*) AS n FROM ${sql.table(table)} AS t
        WHERE NOT EXISTS (SELECT 1 FROM ${sql.table(target)} AS x WHERE x.id = ${sql.ref(`t.${column}`)})`,
    );
    if (n > 0) violations.push(`${n} ${table} row(s) whose ${column} names no row of ${target}`);
  }

  const unbackedReposts = await count(
    db,
    sql<{ n: number }>`SELECT COUNT(*) AS n FROM activities AS a WHERE a.kind = 'repost'
      AND NOT EXISTS (SELECT 1 FROM likes AS l WHERE l.user_id = a.actor_id AND l.prompt_id = a.prompt_id)`,
  );
  if (unbackedReposts > 0) violations.push(`${unbackedReposts} repost(s) without the like they repost`);

  const ownReposts = await count(
    db,
    sql<{ n: number }>`SELECT COUNT(*) AS n FROM activities AS a JOIN prompts AS p ON p.id = a.prompt_id
      WHERE a.kind = 'repost' AND a.actor_id = p.author_id`,
  );
  if (ownReposts > 0) violations.push(`${ownReposts} repost(s) of the reposter's own prompt`);

  const postless = await count(
    db,
    sql<{ n: number }>`SELECT COUNT(*) AS n FROM prompts AS p WHERE (SELECT COUNT(*) FROM activities AS a
      WHERE a.prompt_id = p.id AND a.kind = 'post' AND a.actor_id = p.author_id) <> 1`,
  );
  if (postless > 0) violations.push(`${postless} prompt(s) without exactly one post by their author`);

  const strayPosts = await count(
    db,
    sql<{ n: number }>`SELECT COUNT(*) AS n FROM activities AS a JOIN prompts AS p ON p.id = a.prompt_id
      WHERE a.kind = 'post' AND a.actor_id <> p.author_id`,
  );
  if (strayPosts > 0) violations.push(`${strayPosts} post(s) by someone other than the prompt's author`);

  const otherKinds = await count(
    db,
    sql<{ n: number }>`SELECT COUNT(*) AS n FROM activities WHERE kind NOT IN ('post', 'repost')`,
  );
  if (otherKinds > 0) violations.push(`${otherKinds} activit(ies) of an unknown kind`);

  const selfFollows = await count(
    db,
    sql<{ n: number }>`SELECT COUNT(*) AS n FROM follows WHERE follower_id = followee_id`,
  );
  if (selfFollows > 0) violations.push(`${selfFollows} user(s) following themselves`);

  const unfolded = await count(
    db,
    sql<{ n: number }>`SELECT COUNT(*) AS n FROM users WHERE username <> LOWER(username)`,
  );
  if (unfolded > 0) violations.push(`${unfolded} username(s) not stored in lower case`);

  return violations;
}
