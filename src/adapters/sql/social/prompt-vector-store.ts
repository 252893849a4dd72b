/**
 * Prompt vectors over Kysely: one row per prompt, the vector of its text as of the prompt's
 * updated_at. Reads join the prompt and keep only the vector of its current text, so a vector
 * an edit made stale is never used, even before it is replaced.
 */
import type { PromptVectorStore } from "../../../core/social/store.js";
import { transaction, type SqlContext } from "../dialect-sql.js";
import { decodeVector, encodeVector } from "../vector-codec.js";

export function createSqlPromptVectorStore({ db, dialect }: SqlContext): PromptVectorStore {
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
      const rows = await db
        .selectFrom("prompt_vectors as v")
        .innerJoin("prompts as p", (join) =>
          join.onRef("p.id", "=", "v.prompt_id").onRef("p.updated_at", "=", "v.text_updated_at"),
        )
        .select(["v.prompt_id", "v.vector"])
        .where("v.model", "=", model)
        .execute();
      return rows.map((row) => ({ promptId: row.prompt_id, vector: decodeVector(row.vector) }));
    },
  };
}
