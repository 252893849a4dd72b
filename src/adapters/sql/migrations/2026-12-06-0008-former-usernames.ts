import type { Kysely } from "kysely";
import type { SqlDialect } from "../database.js";
import { columnTypes } from "./column-types.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema of its own time
type Db = Kysely<any>;

/**
 * The usernames accounts left by renaming, so a link to /people/<old name> still reaches the
 * person. A name is here at most once: someone who signs up with it, or renames to it, takes it
 * over and the row goes.
 */
export async function up(db: Db, dialect: SqlDialect): Promise<void> {
  const t = columnTypes(dialect);
  await t
    .table(db.schema.createTable("former_usernames"))
    .addColumn("username", "varchar(32)", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("renamed_at", "varchar(32)", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("former_usernames_user").on("former_usernames").column("user_id").execute();
}
