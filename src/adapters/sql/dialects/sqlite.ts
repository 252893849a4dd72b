/**
 * SQLite through better-sqlite3: the embedded database, one file (or memory) in this process.
 * A file's statements run on a thread of their own (sqlite-thread.ts), so that a long ingest
 * never holds the requests; a database in memory (tests, one-shot tools) lives on one
 * connection on the calling thread, where it opens in milliseconds rather than a thread's start.
 */
import fs from "node:fs";
import path from "node:path";
import { Kysely, SqliteDialect } from "kysely";
import type { Database } from "../schema/index.js";
import { openSqlite, withStatementCache } from "./sqlite-connection.js";
import { SqliteThreadDialect } from "./sqlite-thread.js";

export interface SqliteConnection {
  db: Kysely<Database>;
  /** Folder of the database file, or null in memory. */
  directory: string | null;
}

export function connectSqlite(file: string): SqliteConnection {
  if (file === ":memory:") {
    const dialect = new SqliteDialect({ database: withStatementCache(openSqlite(file)) });
    return { db: new Kysely<Database>({ dialect }), directory: null };
  }
  const resolved = path.resolve(file);
  fs.mkdirSync(path.dirname(resolved), { recursive: true });
  return {
    db: new Kysely<Database>({ dialect: new SqliteThreadDialect(resolved) }),
    directory: path.dirname(resolved),
  };
}
