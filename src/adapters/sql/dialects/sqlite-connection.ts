/**
 * One better-sqlite3 connection as Verso opens it, wherever it runs: on the SQLite thread for a
 * database file (sqlite.worker.ts), on the calling thread for a database in memory (sqlite.ts).
 */
import SQLite from "better-sqlite3";
import { LRUCache } from "lru-cache";

export function openSqlite(file: string, { readOnly = false } = {}): SQLite.Database {
  const connection = new SQLite(file);
  // query_only rather than a read-only open, which fails on a WAL file whose -shm is missing.
  if (readOnly) connection.pragma("query_only = ON");
  else {
    // WAL lets readers go on while the worker writes; NORMAL sync is durable across a process
    // crash (only a power loss may drop the newest commits).
    connection.pragma("journal_mode = WAL");
    connection.pragma("synchronous = NORMAL");
  }
  connection.pragma("foreign_keys = ON");
  connection.pragma("busy_timeout = 10000");
  return connection;
}

export interface CachedSqlite {
  connection: SQLite.Database;
  prepare(sql: string): SQLite.Statement;
  close(): void;
}

/**
 * Kysely prepares every statement anew; SQLite's parse and plan then cost more than running
 * most of our queries. Prepared statements are kept by their SQL text instead. Reuse is safe:
 * each connection runs one statement at a time.
 */
export function withStatementCache(connection: SQLite.Database): CachedSqlite {
  const statements = new LRUCache<string, SQLite.Statement>({ max: 500 });
  return {
    connection,
    prepare(sql: string): SQLite.Statement {
      let statement = statements.get(sql);
      if (!statement) {
        statement = connection.prepare(sql);
        statements.set(sql, statement);
      }
      return statement;
    },
    close: () => connection.close(),
  };
}
