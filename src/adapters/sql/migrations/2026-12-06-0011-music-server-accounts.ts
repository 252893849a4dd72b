import type { Kysely } from "kysely";
import type { SqlDialect } from "../database.js";
import { columnTypes } from "./column-types.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema of its own time
type Db = Kysely<any>;

/**
 * Each person's own account on the catalog's music server (a Subsonic server), for saving
 * playlists there: one per person, with the server it was checked against, so an account is
 * never sent to another server. The password is kept sealed under a key outside the database
 * (the Subsonic API needs it to sign each request, so it cannot be hashed), never answered by
 * the API.
 */
export async function up(db: Db, dialect: SqlDialect): Promise<void> {
  const t = columnTypes(dialect);
  await t
    .table(db.schema.createTable("music_server_accounts"))
    .addColumn("user_id", "integer", (c) => c.primaryKey().references("users.id").onDelete("cascade"))
    .addColumn("server", "varchar(500)", (c) => c.notNull())
    .addColumn("username", "varchar(200)", (c) => c.notNull())
    .addColumn("sealed_password", t.longText, (c) => c.notNull())
    .addColumn("updated_at", "varchar(32)", (c) => c.notNull())
    .execute();
}
