/**
 * Prompts, likes and prompt search over Kysely. Prompt search finds matches with each
 * dialect's own full-text index (FTS5, FULLTEXT, tsvector) and scores them the same way in all
 * three, from the prompt alone (see prompt-search.ts), so a page cursor never shifts.
 */
import type { Kysely } from "kysely";
import { VersoError } from "../../../core/errors.js";
import type { PromptStore } from "../../../core/social/store.js";
import { isForeignKeyViolation } from "../constraint-errors.js";
import { ignoringDuplicates, isAnyOf, transaction, type SqlContext } from "../dialect-sql.js";
import { createPromptSearch } from "./prompt-search.js";
import type { Database } from "../schema/index.js";
import { searchText } from "../search-text.js";
import { selectPrompts, toPrompt } from "./prompt-rows.js";

export function createSqlPromptStore(context: SqlContext): PromptStore {
  const { db, dialect } = context;
  const search = createPromptSearch(context);
  const exists = async (trx: Kysely<Database>, table: "prompts" | "users", id: number): Promise<boolean> =>
    (await trx.selectFrom(table).select("id").where("id", "=", id).executeTakeFirst()) !== undefined;
  /**
   * Whether the prompt exists, locking its row for the rest of the transaction where the
   * dialect has row locks: every like and unlike of one prompt then queue on that row rather
   * than deadlocking (on MariaDB, the like's foreign-key check would hold a shared lock that
   * the count's update then has to upgrade, in every concurrent transaction at once).
   */
  const lockPrompt = async (trx: Kysely<Database>, id: number): Promise<boolean> => {
    const query = trx.selectFrom("prompts").select("id").where("id", "=", id);
    return (await (dialect === "sqlite" ? query : query.forUpdate()).executeTakeFirst()) !== undefined;
  };

  const withPrompts = async (ranked: readonly { id: number; score: number }[], viewerId: number | null) => {
    if (ranked.length === 0) return [];
    const ids = ranked.map((r) => r.id);
    const rows = await selectPrompts(db, viewerId)
      .where(isAnyOf(dialect, "prompts.id", ids))
      .execute();
    const byId = new Map(rows.map((row) => [row.id, toPrompt(row)]));
    return ranked.flatMap(({ id, score }) => {
      const prompt = byId.get(id);
      return prompt ? [{ prompt, score }] : [];
    });
  };

  return {
    async create(prompt) {
      const words = searchText(prompt.text);
      const write = db.transaction().execute(async (trx) => {
        const { id } = await trx
          .insertInto("prompts")
          .values({
            author_id: prompt.authorId,
            text: prompt.text,
            search_text: words.text,
            word_count: words.wordCount,
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
      const words = searchText(text);
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable("prompts")
          .set({ text, search_text: words.text, word_count: words.wordCount, updated_at: now })
          .where("id", "=", promptId)
          .execute();
        await trx.deleteFrom("prompt_vectors").where("prompt_id", "=", promptId).execute();
      });
    },

    async delete(promptId) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom("likes").where("prompt_id", "=", promptId).execute();
        await trx.deleteFrom("activities").where("prompt_id", "=", promptId).execute();
        await trx.deleteFrom("prompt_vectors").where("prompt_id", "=", promptId).execute();
        await trx.deleteFrom("prompts").where("id", "=", promptId).execute();
      });
    },

    // The count moves only when a like row was really inserted or deleted, in the same
    // transaction: concurrent and repeated likes stay exact without a trigger.
    async like({ userId, promptId, now, repost }) {
      const write = transaction(db, async (trx) => {
        if (!(await lockPrompt(trx, promptId))) return "missing";
        const inserted = await ignoringDuplicates(
          dialect,
          trx.insertInto("likes").values({ user_id: userId, prompt_id: promptId, created_at: now }),
          ["user_id", "prompt_id"],
        ).executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 0) {
          // MariaDB's INSERT IGNORE also swallows a liker deleted a moment ago.
          return dialect === "mariadb" && !(await exists(trx, "users", userId)) ? "missing" : "unchanged";
        }
        await trx
          .updateTable("prompts")
          .set((eb) => ({ like_count: eb("like_count", "+", 1) }))
          .where("id", "=", promptId)
          .execute();
        if (repost) {
          await ignoringDuplicates(
            dialect,
            trx
              .insertInto("activities")
              .values({ actor_id: userId, prompt_id: promptId, kind: "repost", created_at: now }),
            ["prompt_id", "actor_id", "kind"],
          ).execute();
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
      return transaction(db, async (trx) => {
        if (!(await lockPrompt(trx, promptId))) return "missing";
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

    search: async ({ terms, viewerId, after, limit }) =>
      withPrompts(await search.rank(terms, after, limit), viewerId),

    matchWords: (terms, limit) => search.rank(terms, null, limit),

    withPrompts,
  };
}
