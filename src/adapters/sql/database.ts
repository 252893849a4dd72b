/**
 * The SQL database port's one entry point: a Kysely instance for the configured URL, migrated
 * to the latest schema. SQLite (better-sqlite3) is the embedded default.
 */
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect, type SqliteDatabase } from "kysely";
import { LRUCache } from "lru-cache";
import { sqlitePath } from "../../config.js";
import { migrations } from "./migrations/index.js";
import type { Database } from "./schema/index.js";

export type SqlDialect = "sqlite";

export interface SqlDatabase {
  readonly db: Kysely<Database>;
  readonly dialect: SqlDialect;
  /** Folder of the database file, or null in memory: where embedded adapters keep files beside it. */
  readonly directory: string | null;
  close(): Promise<void>;
}

export async function openDatabase(url: string): Promise<SqlDatabase> {
  const file = sqlitePath(url);
  const inMemory = file === ":memory:";
  if (!inMemory) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const connection = new SQLite(file);
  // WAL lets readers go on while the worker writes; NORMAL sync is durable across a process
  // crash (only a power loss may drop the newest commits).
  connection.pragma("journal_mode = WAL");
  connection.pragma("synchronous = NORMAL");
  connection.pragma("foreign_keys = ON");
  connection.pragma("busy_timeout = 10000");
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(connection) }),
  });
  await migrateToLatest(db);
  return {
    db,
    dialect: "sqlite",
    directory: inMemory ? null : path.dirname(path.resolve(file)),
    close: () => db.destroy(),
  };
}

/**
 * Kysely prepares every statement anew; SQLite's parse and plan then cost more than running
 * most of our queries. Prepared statements are kept by their SQL text instead. Reuse is safe:
 * Kysely's SQLite driver runs one query at a time on its one connection.
 */
function withStatementCache(connection: SQLite.Database): SqliteDatabase {
  const statements = new LRUCache<string, SQLite.Statement>({ max: 500 });
  return {
    close: () => connection.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = connection.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}

export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema of their own time
    db: db as Kysely<any>,
    provider: { getMigrations: async () => migrations },
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error || failed) {
    throw new Error(`database migration ${failed?.migrationName ?? ""} failed: ${String(error)}`, {
      cause: error,
    });
  }
}
