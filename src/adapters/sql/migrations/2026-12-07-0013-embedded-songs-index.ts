import { sql, type Kysely } from "kysely";
import type { SqlDialect } from "../database.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema of its own time
type Db = Kysely<any>;

/**
 * The songs that have a vector, by model: what an answer reads to tell whether the catalog is
 * being re-embedded, once per catalog version, so during an ingest about once a commit. Without
 * it that count reads every song's row, lyrics and vector included (a quarter of a second at
 * 100,000 songs); a partial index on the model holds one small entry per embedded song.
 * MariaDB has no partial index, and keeps its scan.
 */
export async function up(db: Db, dialect: SqlDialect): Promise<void> {
  if (dialect === "mariadb") return;
  await db.schema
    .createIndex("songs_embedded_model")
    .on("songs")
    .column("model_id")
    .where(sql.ref("vector"), "is not", null)
    .execute();
}
