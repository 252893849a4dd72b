/**
 * SQLite through better-sqlite3: the embedded database, one file (or memory) in this process,
 * its statements run on a thread of their own (sqlite-thread.ts).
 */
import fs from "node:fs";
import path from "node:path";
import { Kysely } from "kysely";
import type { Database } from "../schema/index.js";
import { SqliteThreadDialect } from "./sqlite-thread.js";

export interface SqliteConnection {
  db: Kysely<Database>;
  /** Folder of the database file, or null in memory. */
  directory: string | null;
}

export function connectSqlite(file: string): SqliteConnection {
  const inMemory = file === ":memory:";
  if (!inMemory) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const db = new Kysely<Database>({ dialect: new SqliteThreadDialect(inMemory ? file : path.resolve(file)) });
  return { db, directory: inMemory ? null : path.dirname(path.resolve(file)) };
}
