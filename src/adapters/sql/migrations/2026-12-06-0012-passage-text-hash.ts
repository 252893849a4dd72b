import type { Kysely } from "kysely";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema of its own time
type Db = Kysely<any>;

/**
 * The SHA-256 (hex) of the text each passage's vector was embedded from (its own text, or its
 * translation), indexed with its model, so that ingest never embeds the same text twice with
 * the same model. Passages written before this migration have none and are embedded as before.
 *
 * And per catalog object, how many of its passages took a stored vector instead of embedding.
 */
export async function up(db: Db): Promise<void> {
  await db.schema.alterTable("passages").addColumn("text_sha256", "varchar(64)").execute();
  await db.schema
    .createIndex("passages_model_text")
    .on("passages")
    .columns(["model_id", "text_sha256"])
    .execute();
  await db.schema
    .alterTable("catalog_objects")
    .addColumn("passages_reused", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
}
