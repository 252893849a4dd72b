import { sql, type Kysely } from "kysely";
import type { SqlDialect } from "../database.js";
import { columnTypes, type ColumnTypes } from "./column-types.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema of its own time
type Db = Kysely<any>;

/**
 * Accounts and the social network. The tables use portable types only (integer, varchar);
 * the foreign keys cascade as a safety net, but the application deletes dependent rows itself
 * because MariaDB does not fire triggers on cascaded deletes and counters must be fixed.
 */
export async function up(db: Db, dialect: SqlDialect): Promise<void> {
  const t = columnTypes(dialect);
  await createAccountTables(db, t);
  await createSocialTables(db, t);
  await createPromptFullTextIndex(db, dialect);
}

async function createAccountTables(db: Db, t: ColumnTypes): Promise<void> {
  await t
    .table(db.schema.createTable("users"))
    .addColumn("id", "integer", t.autoId)
    .addColumn("username", "varchar(32)", (c) => c.notNull().unique())
    .addColumn("display_name", "varchar(200)", (c) => c.notNull().defaultTo(""))
    .addColumn("bio", "varchar(1200)", (c) => c.notNull().defaultTo(""))
    .addColumn("password_hash", "varchar(255)", (c) => c.notNull())
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    .addColumn("updated_at", "varchar(32)", (c) => c.notNull())
    .execute();

  await t
    .table(db.schema.createTable("sessions"))
    .addColumn("id", "integer", t.autoId)
    .addColumn("token_hash", "varchar(64)", (c) => c.notNull().unique())
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    .addColumn("last_seen_at", "varchar(32)", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sessions_user").on("sessions").column("user_id").execute();
  await db.schema.createIndex("sessions_last_seen").on("sessions").column("last_seen_at").execute();
}

async function createSocialTables(db: Db, t: ColumnTypes): Promise<void> {
  await t
    .table(db.schema.createTable("prompts"))
    .addColumn("id", "integer", t.autoId)
    .addColumn("author_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("text", t.searchableText("varchar(2000)", "varchar(2000)"), (c) => c.notNull())
    .addColumn("like_count", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    .addColumn("updated_at", "varchar(32)", (c) => c.notNull())
    .execute();
  // A user's prompts, newest first; also what deleting an account walks.
  await db.schema.createIndex("prompts_author").on("prompts").columns(["author_id", "id"]).execute();

  await t
    .table(db.schema.createTable("likes"))
    .addColumn("user_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("prompt_id", "integer", (c) => c.notNull().references("prompts.id").onDelete("cascade"))
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    .addPrimaryKeyConstraint("likes_pk", ["user_id", "prompt_id"])
    .execute();
  await db.schema.createIndex("likes_prompt").on("likes").column("prompt_id").execute();

  await t
    .table(db.schema.createTable("follows"))
    .addColumn("id", "integer", t.autoId)
    .addColumn("follower_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("followee_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    .addUniqueConstraint("follows_pair", ["follower_id", "followee_id"])
    .execute();
  await db.schema.createIndex("follows_follower").on("follows").columns(["follower_id", "id"]).execute();
  await db.schema.createIndex("follows_followee").on("follows").columns(["followee_id", "id"]).execute();

  await t
    .table(db.schema.createTable("activities"))
    .addColumn("id", "integer", t.autoId)
    .addColumn("actor_id", "integer", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("prompt_id", "integer", (c) => c.notNull().references("prompts.id").onDelete("cascade"))
    .addColumn("kind", "varchar(8)", (c) => c.notNull())
    .addColumn("created_at", "varchar(32)", (c) => c.notNull())
    .addUniqueConstraint("activities_once", ["prompt_id", "actor_id", "kind"])
    .execute();
  // The feed reads each followee's newest activities through this index.
  await db.schema.createIndex("activities_actor").on("activities").columns(["actor_id", "id"]).execute();
}

/**
 * Full-text search over prompts in each dialect's own index, all behind PromptStore.search and
 * all folding case and accents ("cancion" finds "canción"): SQLite FTS5 as an external-content
 * table kept in step by triggers, a MariaDB FULLTEXT index, a PostgreSQL tsvector with GIN.
 */
async function createPromptFullTextIndex(db: Db, dialect: SqlDialect): Promise<void> {
  if (dialect === "mariadb") {
    await sql`CREATE FULLTEXT INDEX prompts_fulltext ON prompts (text)`.execute(db);
    return;
  }
  if (dialect === "postgres") {
    await sql`ALTER TABLE prompts ADD COLUMN search tsvector
      GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, verso_fold(text))) STORED`.execute(db);
    await sql`CREATE INDEX prompts_search ON prompts USING gin (search)`.execute(db);
    return;
  }
  await sql`CREATE VIRTUAL TABLE prompts_fts USING fts5(
      text,
      content='prompts', content_rowid='id',
      tokenize = 'unicode61 remove_diacritics 2'
    )`.execute(db);
  await sql`CREATE TRIGGER prompts_fts_insert AFTER INSERT ON prompts BEGIN
      INSERT INTO prompts_fts(rowid, text) VALUES (new.id, new.text);
    END`.execute(db);
  await sql`CREATE TRIGGER prompts_fts_delete AFTER DELETE ON prompts BEGIN
      INSERT INTO prompts_fts(prompts_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END`.execute(db);
  await sql`CREATE TRIGGER prompts_fts_update AFTER UPDATE OF text ON prompts BEGIN
      INSERT INTO prompts_fts(prompts_fts, rowid, text) VALUES ('delete', old.id, old.text);
      INSERT INTO prompts_fts(rowid, text) VALUES (new.id, new.text);
    END`.execute(db);
}

export async function down(db: Db): Promise<void> {
  await db.schema.dropTable("prompts_fts").ifExists().execute();
  for (const table of ["activities", "follows", "likes", "prompts", "sessions", "users"]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
