import type { Kysely } from "kysely";
import type { SqlDialect } from "../database.js";
import { columnTypes } from "./column-types.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema of its own time
type Db = Kysely<any>;

/**
 * Each published prompt's vector, so prompt search finds prompts by meaning. `text_updated_at`
 * is the prompt's updated_at when its text was embedded: a vector is written only while it
 * still matches, so an edit during an embedding never leaves the old text's vector behind.
 * Prompts published before this migration have none and get one at their next search.
 */
export async function up(db: Db, dialect: SqlDialect): Promise<void> {
  const t = columnTypes(dialect);
  await t
    .table(db.schema.createTable("prompt_vectors"))
    .addColumn("prompt_id", "integer", (c) => c.primaryKey().references("prompts.id").onDelete("cascade"))
    .addColumn("model", "varchar(100)", (c) => c.notNull())
    .addColumn("vector", t.bytes, (c) => c.notNull())
    .addColumn("text_updated_at", "varchar(32)", (c) => c.notNull())
    .execute();
}
