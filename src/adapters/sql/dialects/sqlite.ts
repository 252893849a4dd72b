/** SQLite through better-sqlite3: the embedded database, one file (or memory) in this process. */
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, SqliteDialect, type SqliteDatabase } from "kysely";
import { LRUCache } from "lru-cache";
import type { Database } from "../schema/index.js";

export interface SqliteConnection {
  db: Kysely<Database>;
  /** Folder of the database file, or null in memory. */
  directory: string | null;
}

export function connectSqlite(file: string): SqliteConnection {
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
  return { db, directory: inMemory ? null : path.dirname(path.resolve(file)) };
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
