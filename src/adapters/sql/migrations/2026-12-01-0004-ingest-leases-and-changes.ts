import { sql, type Kysely } from "kysely";
import type { SqlDialect } from "../database.js";
import { columnTypes } from "./column-types.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema of its own time
type Db = Kysely<any>;

/**
 * What several workers and api processes on one database server need:
 *  - a lease on each catalog object being processed, whose token every commit must present
 *    (a worker that lost its lease can no longer write), with the counters the crawler uses to
 *    tell a stuck object from a busy one;
 *  - which objects hold which songs, so that a song removed from every object leaves the catalog;
 *  - a change log keyed by catalog version (passages added carry the version that added them,
 *    passages removed leave a tombstone), from which a vector index catches up with other
 *    processes' commits without reading every passage;
 *  - the release year as a number, for filters on a year range.
 */
export async function up(db: Db, dialect: SqlDialect): Promise<void> {
  const t = columnTypes(dialect);
  await db.schema.alterTable("catalog_objects").addColumn("lease_token", "varchar(64)").execute();
  await db.schema.alterTable("catalog_objects").addColumn("lease_expires_at", "varchar(32)").execute();
  await db.schema
    .alterTable("catalog_objects")
    .addColumn("deliveries", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("catalog_objects")
    .addColumn("lines_done", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable("catalog_objects")
    .addColumn("generation", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable("catalog_objects").addColumn("enqueued_at", "varchar(32)").execute();
  await db.schema.alterTable("catalog_objects").addColumn("transient_since", "varchar(32)").execute();
  await db.schema
    .alterTable("catalog_objects")
    .addColumn("removed", "integer", (c) => c.notNull().defaultTo(0))
    .execute();

  await t
    .table(db.schema.createTable("catalog_object_songs"))
    .addColumn("object_id", "integer", (c) =>
      c.notNull().references("catalog_objects.id").onDelete("cascade"),
    )
    .addColumn("song_id", "varchar(64)", (c) => c.notNull())
    .addColumn("generation", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("catalog_object_songs_pk", ["object_id", "song_id"])
    .execute();
  await db.schema
    .createIndex("catalog_object_songs_song")
    .on("catalog_object_songs")
    .column("song_id")
    .execute();
  await sql`INSERT INTO catalog_object_songs (object_id, song_id, generation)
    SELECT object_id, id, 0 FROM songs WHERE object_id IS NOT NULL`.execute(db);

  await db.schema.alterTable("songs").addColumn("release_year", "integer").execute();
  const year =
    dialect === "mariadb"
      ? sql`CAST(substr(release_date, 1, 4) AS SIGNED)`
      : sql`CAST(substr(release_date, 1, 4) AS integer)`;
  const fourDigits =
    dialect === "postgres"
      ? sql`release_date ~ '^[0-9]{4}'`
      : dialect === "mariadb"
        ? sql`release_date REGEXP '^[0-9]{4}'`
        : sql`release_date GLOB '[0-9][0-9][0-9][0-9]*'`;
  await sql`UPDATE songs SET release_year = ${year} WHERE ${fourDigits}`.execute(db);

  await db.schema
    .alterTable("passages")
    .addColumn("catalog_version", "bigint", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex("passages_version").on("passages").column("catalog_version").execute();
  await t
    .table(db.schema.createTable("catalog_removals"))
    .addColumn("catalog_version", "bigint", (c) => c.notNull())
    .addColumn("passage_id", "integer", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("catalog_removals_version")
    .on("catalog_removals")
    .column("catalog_version")
    .execute();
  // Where the log starts: a process whose index is older than this rebuilds instead.
  await db.schema
    .alterTable("catalog_state")
    .addColumn("log_since", "bigint", (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`UPDATE catalog_state SET log_since = version`.execute(db);
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable("catalog_removals").ifExists().execute();
  await db.schema.dropTable("catalog_object_songs").ifExists().execute();
}
