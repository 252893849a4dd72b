import type { Kysely } from "kysely";
import type { SqlDialect } from "../database.js";
import { columnTypes } from "./column-types.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema of its own time
type Db = Kysely<any>;

/**
 * Where a song of a music library is (JSON): its file's path in the music folder, or its id on
 * a Subsonic server; MusicBrainz ids; its lyrics with their timestamps. Null for CSV songs.
 */
export async function up(db: Db, dialect: SqlDialect): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema.alterTable("songs").addColumn("origin", t.longText).execute();
}
