/**
 * Prompt vectors over Kysely: one row per prompt, the vector of its text as of the prompt's
 * updated_at. Reads join the prompt and keep only the vector of its current text, so a vector
 * an edit made stale is never used, even before it is replaced.
 *
 * Every search compares the query with every prompt's vector, so the store keeps the vectors it
 * read in memory, each with the text version it belongs to: a search reads the list of
 * (prompt, version) pairs, small, and the vectors of new or changed prompts only. What another
 * process changed is seen at the next read, as the list comes from the database every time.
 */
import type { PromptVectorStore } from "../../../core/social/store.js";
import { isAnyOf, transaction, type SqlContext } from "../dialect-sql.js";
import { decodeVector, encodeVector } from "../vector-codec.js";

interface CachedVector {
  updatedAt: string;
  vector: Float32Array;
}

/** Vectors read per query when the cache catches up. */
const READ_BATCH = 500;

export function createSqlPromptVectorStore({ db, dialect }: SqlContext): PromptVectorStore {
  /** The vectors read so far, of one model (the one searches use), by prompt. */
  const cached = new Map<string, Map<number, CachedVector>>();

  return {
    async missing(model, limit) {
      const rows = await db
        .selectFrom("prompts as p")
        .leftJoin("prompt_vectors as v", (join) =>
          join
            .onRef("v.prompt_id", "=", "p.id")
            .onRef("v.text_updated_at", "=", "p.updated_at")
            .on("v.model", "=", model),
        )
        .select(["p.id", "p.text", "p.updated_at"])
        .where("v.prompt_id", "is", null)
        .orderBy("p.id")
        .limit(limit)
        .execute();
      return rows.map((row) => ({ promptId: row.id, text: row.text, updatedAt: row.updated_at }));
    },

    async put({ promptId, model, vector, updatedAt }) {
      await transaction(db, async (trx) => {
        // The prompt's row is locked while its vector changes: concurrent writers of the same
        // prompt's vector queue there, and an edit cannot slip between the check and the write.
        const query = trx.selectFrom("prompts").select("updated_at").where("id", "=", promptId);
        const prompt = await (dialect === "sqlite" ? query : query.forUpdate()).executeTakeFirst();
        if (prompt?.updated_at !== updatedAt) return;
        await trx.deleteFrom("prompt_vectors").where("prompt_id", "=", promptId).execute();
        await trx
          .insertInto("prompt_vectors")
          .values({ prompt_id: promptId, model, vector: encodeVector(vector), text_updated_at: updatedAt })
          .execute();
      });
    },

    async all(model) {
      const current = await db
        .selectFrom("prompt_vectors as v")
        .innerJoin("prompts as p", (join) =>
          join.onRef("p.id", "=", "v.prompt_id").onRef("p.updated_at", "=", "v.text_updated_at"),
        )
        .select(["v.prompt_id", "v.text_updated_at"])
        .where("v.model", "=", model)
        .execute();
      const known = cached.get(model) ?? new Map<number, CachedVector>();
      const stale = current.filter((row) => known.get(row.prompt_id)?.updatedAt !== row.text_updated_at);
      for (let i = 0; i < stale.length; i += READ_BATCH) {
        const rows = await db
          .selectFrom("prompt_vectors")
          .select(["prompt_id", "vector", "text_updated_at"])
          .where("model", "=", model)
          .where(
            isAnyOf(
              dialect,
              "prompt_id",
              stale.slice(i, i + READ_BATCH).map((row) => row.prompt_id),
            ),
          )
          .execute();
        for (const row of rows)
          known.set(row.prompt_id, { updatedAt: row.text_updated_at, vector: decodeVector(row.vector) });
      }
      const fresh = new Map<number, CachedVector>();
      for (const row of current) {
        const entry = known.get(row.prompt_id);
        if (entry?.updatedAt === row.text_updated_at) fresh.set(row.prompt_id, entry);
      }
      cached.clear();
      cached.set(model, fresh);
      return [...fresh].map(([promptId, entry]) => ({ promptId, vector: entry.vector }));
    },
  };
}
