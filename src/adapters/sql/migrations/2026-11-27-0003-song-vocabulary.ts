import { sql, type Kysely } from "kysely";
import type { SqlDialect } from "../database.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema of its own time
type Db = Kysely<any>;

/**
 * How many songs hold each word of the full-text index, read by full-text search to leave out
 * words that bm25 gives no weight. SQLite-only, like the index it reads.
 */
export async function up(db: Db, dialect: SqlDialect): Promise<void> {
  if (dialect !== "sqlite") return;
  await sql`CREATE VIRTUAL TABLE songs_fts_vocabulary USING fts5vocab(songs_fts, 'row')`.execute(db);
}

export async function down(db: Db): Promise<void> {
  await sql`DROP TABLE IF EXISTS songs_fts_vocabulary`.execute(db);
}
