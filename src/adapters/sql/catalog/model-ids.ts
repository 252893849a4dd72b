/** Embedding models by id: vectors are stored under their model's id, recorded on first use. */
import type { Kysely } from "kysely";
import type { EmbeddingModelIds } from "../../../core/catalog/store.js";
import type { EmbeddingModel } from "../../../core/ports.js";
import { ignoringDuplicates, type SqlContext } from "../dialect-sql.js";
import type { Database } from "../schema/index.js";

/** The id of a model recorded under this name, or undefined when none is. */
export async function recordedModelId(db: Kysely<Database>, name: string): Promise<number | undefined> {
  const row = await db
    .selectFrom("embedding_models")
    .select("id")
    .where("name", "=", name)
    .executeTakeFirst();
  return row?.id;
}

export function createSqlModelIds({ db, dialect }: SqlContext): EmbeddingModelIds {
  const known = new Map<string, { id: number; dimension: number }>();

  async function record(model: EmbeddingModel): Promise<{ id: number; dimension: number }> {
    await ignoringDuplicates(
      dialect,
      db
        .insertInto("embedding_models")
        .values({ name: model.name, dimension: model.dimension, created_at: new Date().toISOString() }),
      ["name"],
    ).execute();
    return db
      .selectFrom("embedding_models")
      .select(["id", "dimension"])
      .where("name", "=", model.name)
      .executeTakeFirstOrThrow();
  }

  return {
    async modelId(model) {
      let recorded = known.get(model.name);
      if (!recorded) {
        recorded = await record(model);
        known.set(model.name, recorded);
      }
      // Vectors of one name and two sizes would be mixed in one index: refuse.
      if (recorded.dimension !== model.dimension) {
        throw new Error(
          `model ${model.name} was recorded with dimension ${recorded.dimension}, not ${model.dimension}`,
        );
      }
      return recorded.id;
    },
  };
}
