import { sql, type Kysely } from "kysely";
import type { SqlDialect } from "../database.js";
import { columnTypes, type ColumnTypes } from "./column-types.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema of its own time
type Db = Kysely<any>;

/**
 * The catalog: embedding models, the bucket's objects and their bad rows, songs and their
 * passages, the catalog version, the job table of the database queue, and song full-text search.
 */
export async function up(db: Db, dialect: SqlDialect): Promise<void> {
  const t = columnTypes(dialect);
  await createEmbeddingModels(db, t);
  await createCatalogObjects(db, t, dialect);
  await createSongs(db, t);
  await createPassages(db, t);
  await createCatalogState(db, t);
  await createJobs(db, t);
  await createSongFullTextIndex(db, dialect);
}

async function createEmbeddingModels(db: Db, t: ColumnTypes): Promise<void> {
  await t
    .table(db.schema.createTable("embedding_models"))
    .addColumn("id", "integer", t.autoId)
    .addColumn("name", "varchar(100)", (c) => c.notNull().unique())
    .addColumn("dimension", "integer", (c) => c.notNull())
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    .execute();
}

/** The objects of the bucket, and the rows of each that could not be read. */
async function createCatalogObjects(db: Db, t: ColumnTypes, dialect: SqlDialect): Promise<void> {
  // MariaDB indexes at most 3,072 bytes per key, four per character: the unique (source, key)
  // must fit, so there the two are 255 and 512 characters.
  const [sourceLength, keyLength] = dialect === "mariadb" ? [255, 512] : [1000, 1000];
  await t
    .table(db.schema.createTable("catalog_objects"))
    .addColumn("id", "integer", t.autoId)
    .addColumn("source", sql.raw(`varchar(${sourceLength})`), (c) => c.notNull())
    .addColumn("key", sql.raw(`varchar(${keyLength})`), (c) => c.notNull())
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
    .addColumn("error", t.longText)
    .addColumn("queued_at", "varchar(32)", (c) => c.notNull())
    .addColumn("started_at", "varchar(32)")
    .addColumn("finished_at", "varchar(32)")
    .addColumn("duration_ms", "integer")
    .addUniqueConstraint("catalog_objects_source_key", ["source", "key"])
    .execute();

  await t
    .table(db.schema.createTable("catalog_row_errors"))
    .addColumn("object_id", "integer", (c) =>
      c.notNull().references("catalog_objects.id").onDelete("cascade"),
    )
    .addColumn("line", "integer", (c) => c.notNull())
    .addColumn("reason", t.longText, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("catalog_row_errors_object")
    .on("catalog_row_errors")
    .columns(["object_id", "line"])
    .execute();
}

async function createSongs(db: Db, t: ColumnTypes): Promise<void> {
  await t
    .table(db.schema.createTable("songs"))
    .addColumn("pk", "integer", t.autoId)
    .addColumn("id", "varchar(64)", (c) => c.notNull().unique())
    .addColumn("title", t.searchableText("text", "varchar(1000)"), (c) => c.notNull())
    .addColumn("artists", t.searchableText("text", "varchar(2000)"), (c) => c.notNull())
    .addColumn("album", t.longText)
    .addColumn("genre", "varchar(100)")
    .addColumn("language", "varchar(16)")
    .addColumn("release_date", "varchar(32)")
    .addColumn("popularity", "integer")
    .addColumn("danceability", t.double)
    .addColumn("energy", t.double)
    .addColumn("key", "integer")
    .addColumn("loudness", t.double)
    .addColumn("mode", "integer")
    .addColumn("speechiness", t.double)
    .addColumn("acousticness", t.double)
    .addColumn("instrumentalness", t.double)
    .addColumn("liveness", t.double)
    .addColumn("valence", t.double)
    .addColumn("tempo", t.double)
    .addColumn("duration_ms", "integer")
    .addColumn("lyrics", t.searchableText("text", "mediumtext"))
    .addColumn("lyrics_status", "varchar(16)", (c) => c.notNull())
    .addColumn("vector", t.bytes)
    .addColumn("model_id", "integer", (c) => c.references("embedding_models.id"))
    .addColumn("object_id", "integer", (c) => c.references("catalog_objects.id").onDelete("set null"))
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    .addColumn("updated_at", "varchar(32)", (c) => c.notNull())
    .execute();
}

async function createPassages(db: Db, t: ColumnTypes): Promise<void> {
  await t
    .table(db.schema.createTable("passages"))
    .addColumn("id", "integer", t.autoId)
    .addColumn("song_id", "varchar(64)", (c) => c.notNull().references("songs.id").onDelete("cascade"))
    .addColumn("ordinal", "integer", (c) => c.notNull())
    .addColumn("text", t.longText, (c) => c.notNull())
    .addColumn("vector", t.bytes, (c) => c.notNull())
    .addColumn("model_id", "integer", (c) => c.notNull().references("embedding_models.id"))
    .addUniqueConstraint("passages_song_ordinal", ["song_id", "ordinal"])
    .execute();
  await db.schema.createIndex("passages_model").on("passages").columns(["model_id", "id"]).execute();
}

/** One row holding the catalog version. */
async function createCatalogState(db: Db, t: ColumnTypes): Promise<void> {
  await t
    .table(db.schema.createTable("catalog_state"))
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("version", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "varchar(32)", (c) => c.notNull())
    .execute();
  await db
    .insertInto("catalog_state")
    .values({ id: 1, version: 0, updated_at: new Date().toISOString() })
    .execute();
}

/** The job table of the database queue. */
async function createJobs(db: Db, t: ColumnTypes): Promise<void> {
  await t
    .table(db.schema.createTable("jobs"))
    .addColumn("id", "integer", t.autoId)
    .addColumn("queue", "varchar(100)", (c) => c.notNull())
    .addColumn("payload", t.longText, (c) => c.notNull())
    .addColumn("status", "varchar(16)", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("available_at", "varchar(32)", (c) => c.notNull())
    .addColumn("lease_owner", "varchar(100)")
    .addColumn("lease_expires_at", "varchar(32)")
    .addColumn("last_error", t.longText)
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    .addColumn("updated_at", "varchar(32)", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("jobs_ready").on("jobs").columns(["queue", "status", "available_at"]).execute();
}

/**
 * The lexical signal of song search: title, artists and lyrics in the dialect's own full-text
 * index, case- and accent-insensitive everywhere ("cancion" finds "canción").
 */
async function createSongFullTextIndex(db: Db, dialect: SqlDialect): Promise<void> {
  if (dialect === "mariadb") {
    // InnoDB keeps a FULLTEXT index in step by itself; the columns compare with
    // utf8mb4_unicode_ci, which folds case and accents.
    await sql`CREATE FULLTEXT INDEX songs_fulltext ON songs (title, artists, lyrics)`.execute(db);
    return;
  }
  if (dialect === "postgres") {
    await createFoldFunction(db);
    // Weights A/B/C let the ranking weigh titles, artists and lyrics apart (see the song store).
    await sql`ALTER TABLE songs ADD COLUMN search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, verso_fold(title)), 'A') ||
        setweight(to_tsvector('simple'::regconfig, verso_fold(artists)), 'B') ||
        setweight(to_tsvector('simple'::regconfig, verso_fold(coalesce(lyrics, ''))), 'C')
      ) STORED`.execute(db);
    await sql`CREATE INDEX songs_search ON songs USING gin (search)`.execute(db);
    return;
  }
  // SQLite: an FTS5 table over songs, kept in step by triggers; remove_diacritics folds accents.
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

/**
 * Lower case without accents, as the search side folds query words. Immutable, so a generated
 * column may use it; translate() needs no extension (unaccent is not always installable).
 */
export async function createFoldFunction(db: Db): Promise<void> {
  await sql`CREATE OR REPLACE FUNCTION verso_fold(input text) RETURNS text
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      AS $$ SELECT translate(lower(input),
        'ÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖÙÚÛÜÝàáâãäåçèéêëìíîïñòóôõöùúûüýÿĀāĂăĄąĆćĈĉĊċČčĎďĒēĔĕĖėĘęĚěĜĝĞğĠġĢģĤĥĨĩĪīĬĭĮįİĴĵĶķĹĺĻļĽľŃńŅņŇňŌōŎŏŐőŔŕŖŗŘřŚśŜŝŞşŠšŢţŤťŨũŪūŬŭŮůŰűŲųŴŵŶŷŸŹźŻżŽžƠơƯưǍǎǏǐǑǒǓǔǕǖǗǘǙǚǛǜǞǟǠǡǦǧǨǩǪǫǬǭǰǴǵǸǹǺǻȀȁȂȃȄȅȆȇȈȉȊȋȌȍȎȏȐȑȒȓȔȕȖȗȘșȚțȞȟȦȧȨȩȪȫȬȭȮȯȰȱȲȳ',
        'aaaaaaceeeeiiiinooooouuuuyaaaaaaceeeeiiiinooooouuuuyyaaaaaaccccccccddeeeeeeeeeegggggggghhiiiiiiiiijjkkllllllnnnnnnoooooorrrrrrssssssssttttuuuuuuuuuuuuwwyyyzzzzzzoouuaaiioouuuuuuuuuuaaaaggkkoooojggnnaaaaaaeeeeiiiioooorrrruuuusstthhaaeeooooooooyy') $$`.execute(
    db,
  );
}

export async function down(db: Db): Promise<void> {
  for (const table of ["songs_fts", "passages", "songs", "jobs", "catalog_state", "catalog_row_errors"]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await db.schema.dropTable("catalog_objects").ifExists().execute();
  await db.schema.dropTable("embedding_models").ifExists().execute();
}
