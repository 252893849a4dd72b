/** Prompts, likes and prompt search over Kysely; the full-text part is SQLite FTS5. */
import { sql, type Kysely } from "kysely";
import { VersoError } from "../../core/errors.js";
import type { PromptStore } from "../../core/social/store.js";
import { isForeignKeyViolation } from "./constraint-errors.js";
import type { Database } from "./schema/index.js";
import { selectPrompts, toPrompt } from "./social-prompt-rows.js";

/**
 * An FTS5 query that matches every term as a literal token. Quoting each term keeps FTS5's
 * query operators (AND, NEAR, column filters, "*") out of reach of what people type; the last
 * term also matches as a prefix once it has three letters, so results follow typing without a
 * one-letter prefix scanning half the index.
 */
export function fts5MatchExpression(terms: readonly string[]): string {
  return terms
    .map((term, i) => {
      const quoted = `"${term.replaceAll('"', '""')}"`;
      return i === terms.length - 1 && [...term].length >= 3 ? `${quoted}*` : quoted;
    })
    .join(" ");
}

export function createSqlPromptStore(db: Kysely<Database>): PromptStore {
  const promptExists = async (trx: Kysely<Database>, promptId: number): Promise<boolean> =>
    (await trx.selectFrom("prompts").select("id").where("id", "=", promptId).executeTakeFirst()) !==
    undefined;

  return {
    async create(prompt) {
      const write = db.transaction().execute(async (trx) => {
        const { id } = await trx
          .insertInto("prompts")
          .values({
            author_id: prompt.authorId,
            text: prompt.text,
            created_at: prompt.now,
            updated_at: prompt.now,
          })
          .returning("id")
          .executeTakeFirstOrThrow();
        await trx
          .insertInto("activities")
          .values({ actor_id: prompt.authorId, prompt_id: id, kind: "post", created_at: prompt.now })
          .execute();
        return id;
      });
      return write.catch((error: unknown) => {
        if (isForeignKeyViolation(error))
          throw new VersoError("AUTH_REQUIRED", "this account no longer exists");
        throw error;
      });
    },

    async find(promptId, viewerId) {
      const row = await selectPrompts(db, viewerId).where("prompts.id", "=", promptId).executeTakeFirst();
      return row ? toPrompt(row) : null;
    },

    async updateText(promptId, text, now) {
      await db.updateTable("prompts").set({ text, updated_at: now }).where("id", "=", promptId).execute();
    },

    async delete(promptId) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom("likes").where("prompt_id", "=", promptId).execute();
        await trx.deleteFrom("activities").where("prompt_id", "=", promptId).execute();
        await trx.deleteFrom("prompts").where("id", "=", promptId).execute();
      });
    },

    // The count moves only when a like row was really inserted or deleted, in the same
    // transaction: concurrent and repeated likes stay exact without a trigger. (MariaDB would
    // say INSERT IGNORE where SQLite and PostgreSQL say ON CONFLICT DO NOTHING.)
    async like({ userId, promptId, now, repost }) {
      const write = db.transaction().execute(async (trx) => {
        if (!(await promptExists(trx, promptId))) return "missing";
        const inserted = await trx
          .insertInto("likes")
          .values({ user_id: userId, prompt_id: promptId, created_at: now })
          .onConflict((oc) => oc.columns(["user_id", "prompt_id"]).doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) return "unchanged";
        await trx
          .updateTable("prompts")
          .set((eb) => ({ like_count: eb("like_count", "+", 1) }))
          .where("id", "=", promptId)
          .execute();
        if (repost) {
          await trx
            .insertInto("activities")
            .values({ actor_id: userId, prompt_id: promptId, kind: "repost", created_at: now })
            .onConflict((oc) => oc.columns(["prompt_id", "actor_id", "kind"]).doNothing())
            .execute();
        }
        return "changed";
      });
      // The liker deleted meanwhile: nothing to like for anyone.
      return write.catch((error: unknown) => {
        if (isForeignKeyViolation(error)) return "missing" as const;
        throw error;
      });
    },

    async unlike({ userId, promptId }) {
      return db.transaction().execute(async (trx) => {
        if (!(await promptExists(trx, promptId))) return "missing";
        const deleted = await trx
          .deleteFrom("likes")
          .where("user_id", "=", userId)
          .where("prompt_id", "=", promptId)
          .executeTakeFirst();
        if (Number(deleted.numDeletedRows) === 0) return "unchanged";
        await trx
          .updateTable("prompts")
          .set((eb) => ({ like_count: eb("like_count", "-", 1) }))
          .where("id", "=", promptId)
          .execute();
        await trx
          .deleteFrom("activities")
          .where("prompt_id", "=", promptId)
          .where("actor_id", "=", userId)
          .where("kind", "=", "repost")
          .execute();
        return "changed";
      });
    },

    async listNewest({ authorId, viewerId, beforeId, limit }) {
      let query = selectPrompts(db, viewerId);
      if (authorId !== undefined) query = query.where("prompts.author_id", "=", authorId);
      if (beforeId !== null) query = query.where("prompts.id", "<", beforeId);
      const rows = await query.orderBy("prompts.id", "desc").limit(limit).execute();
      return rows.map(toPrompt);
    },

    async search({ terms, viewerId, after, limit }) {
      if (terms.length === 0) return [];
      // Rank the matches on the full-text table alone, then read only the page's prompts.
      const afterClause = after
        ? sql`WHERE score > ${after.score} OR (score = ${after.score} AND id < ${after.id})`
        : sql``;
      const { rows: ranked } = await sql<{ id: number; score: number }>`
        SELECT id, score FROM (
          SELECT rowid AS id, bm25(prompts_fts) AS score FROM prompts_fts WHERE prompts_fts MATCH ${fts5MatchExpression(terms)}
        ) ${afterClause}
        ORDER BY score, id DESC
        LIMIT ${limit}`.execute(db);
      if (ranked.length === 0) return [];
      const rows = await selectPrompts(db, viewerId)
        .where(
          "prompts.id",
          "in",
          ranked.map((r) => r.id),
        )
        .execute();
      const byId = new Map(rows.map((row) => [row.id, toPrompt(row)]));
      return ranked.flatMap(({ id, score }) => {
        const prompt = byId.get(id);
        return prompt ? [{ prompt, score }] : [];
      });
    },
  };
}
