import { sql, type Kysely } from "kysely";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema of its own time
type Db = Kysely<any>;

export async function up(db: Db): Promise<void> {
  await db.schema
    .createTable("embedding_models")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("name", "varchar(100)", (c) => c.notNull().unique())
    .addColumn("dimension", "integer", (c) => c.notNull())
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("catalog_objects")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("source", "varchar(1000)", (c) => c.notNull())
    .addColumn("key", "varchar(1000)", (c) => c.notNull())
    .addColumn("etag", "varchar(200)", (c) => c.notNull())
    .addColumn("size", "bigint", (c) => c.notNull())
    .addColumn("status", "varchar(16)", (c) => c.notNull())
    .addColumn("model", "varchar(100)")
    .addColumn("songs", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("passages", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("skipped", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("errors", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("rows_done", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("bytes_done", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("error", "text")
    .addColumn("queued_at", "varchar(32)", (c) => c.notNull())
    .addColumn("started_at", "varchar(32)")
    .addColumn("finished_at", "varchar(32)")
    .addColumn("duration_ms", "integer")
    .addUniqueConstraint("catalog_objects_source_key", ["source", "key"])
    .execute();

  await db.schema
    .createTable("catalog_row_errors")
    .addColumn("object_id", "integer", (c) =>
      c.notNull().references("catalog_objects.id").onDelete("cascade"),
    )
    .addColumn("line", "integer", (c) => c.notNull())
    .addColumn("reason", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("catalog_row_errors_object")
    .on("catalog_row_errors")
    .columns(["object_id", "line"])
    .execute();

  await db.schema
    .createTable("songs")
    .addColumn("pk", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("id", "varchar(64)", (c) => c.notNull().unique())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("artists", "text", (c) => c.notNull())
    .addColumn("album", "text")
    .addColumn("genre", "varchar(100)")
    .addColumn("language", "varchar(16)")
    .addColumn("release_date", "varchar(32)")
    .addColumn("popularity", "integer")
    .addColumn("danceability", "real")
    .addColumn("energy", "real")
    .addColumn("key", "integer")
    .addColumn("loudness", "real")
    .addColumn("mode", "integer")
    .addColumn("speechiness", "real")
    .addColumn("acousticness", "real")
    .addColumn("instrumentalness", "real")
    .addColumn("liveness", "real")
    .addColumn("valence", "real")
    .addColumn("tempo", "real")
    .addColumn("duration_ms", "integer")
    .addColumn("lyrics", "text")
    .addColumn("lyrics_status", "varchar(16)", (c) => c.notNull())
    .addColumn("vector", "blob")
    .addColumn("model_id", "integer", (c) => c.references("embedding_models.id"))
    .addColumn("object_id", "integer", (c) => c.references("catalog_objects.id").onDelete("set null"))
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    .addColumn("updated_at", "varchar(32)", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("passages")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("song_id", "varchar(64)", (c) => c.notNull().references("songs.id").onDelete("cascade"))
    .addColumn("ordinal", "integer", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("vector", "blob", (c) => c.notNull())
    .addColumn("model_id", "integer", (c) => c.notNull().references("embedding_models.id"))
    .addUniqueConstraint("passages_song_ordinal", ["song_id", "ordinal"])
    .execute();
  await db.schema.createIndex("passages_model").on("passages").columns(["model_id", "id"]).execute();

  await db.schema
    .createTable("catalog_state")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("version", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "varchar(32)", (c) => c.notNull())
    .execute();
  await db
    .insertInto("catalog_state")
    .values({ id: 1, version: 0, updated_at: new Date().toISOString() })
    .execute();

  await db.schema
    .createTable("jobs")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("queue", "varchar(100)", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("status", "varchar(16)", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("available_at", "varchar(32)", (c) => c.notNull())
    .addColumn("lease_owner", "varchar(100)")
    .addColumn("lease_expires_at", "varchar(32)")
    .addColumn("last_error", "text")
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    .addColumn("updated_at", "varchar(32)", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("jobs_ready").on("jobs").columns(["queue", "status", "available_at"]).execute();

  // Lexical signal for search: title, artists and lyrics, kept in step with songs by triggers.
  // remove_diacritics lets "cancion" find "canción".
  await sql`CREATE VIRTUAL TABLE songs_fts USING fts5(
      title, artists, lyrics,
      content='songs', content_rowid='pk',
      tokenize = 'unicode61 remove_diacritics 2'
    )`.execute(db);
  await sql`CREATE TRIGGER songs_fts_insert AFTER INSERT ON songs BEGIN
      INSERT INTO songs_fts(rowid, title, artists, lyrics) VALUES (new.pk, new.title, new.artists, new.lyrics);
    END`.execute(db);
  await sql`CREATE TRIGGER songs_fts_delete AFTER DELETE ON songs BEGIN
      INSERT INTO songs_fts(songs_fts, rowid, title, artists, lyrics) VALUES ('delete', old.pk, old.title, old.artists, old.lyrics);
    END`.execute(db);
  await sql`CREATE TRIGGER songs_fts_update AFTER UPDATE OF title, artists, lyrics ON songs BEGIN
      INSERT INTO songs_fts(songs_fts, rowid, title, artists, lyrics) VALUES ('delete', old.pk, old.title, old.artists, old.lyrics);
      INSERT INTO songs_fts(rowid, title, artists, lyrics) VALUES (new.pk, new.title, new.artists, new.lyrics);
    END`.execute(db);
}

export async function down(db: Db): Promise<void> {
  for (const table of ["songs_fts", "passages", "songs", "jobs", "catalog_state", "catalog_row_errors"]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await db.schema.dropTable("catalog_objects").ifExists().execute();
  await db.schema.dropTable("embedding_models").ifExists().execute();
}
