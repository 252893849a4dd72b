/**
 * The SQL database port's one entry point: a Kysely instance for the configured URL, migrated
 * to the latest schema. The dialect is chosen by the URL's scheme: SQLite (embedded default),
 * MariaDB, PostgreSQL. Everything dialect-specific stays inside src/adapters/sql.
 */
import { sql, type Kysely } from "kysely";
import type { Database } from "./schema/index.js";
import { connectMariadb } from "./dialects/mariadb.js";
import { connectPostgres } from "./dialects/postgres.js";
import { connectSqlite } from "./dialects/sqlite.js";
import { migrateToLatest } from "./migrations/index.js";
import { textGuard } from "./text-guard.js";

export type SqlDialect = "sqlite" | "mariadb" | "postgres";

/** The URL schemes of the database setting, and the dialect each one selects. */
export const databaseSchemes: Readonly<Record<string, SqlDialect>> = {
  sqlite: "sqlite",
  mysql: "mariadb",
  mariadb: "mariadb",
  postgres: "postgres",
  postgresql: "postgres",
};

export interface SqlDatabase {
  readonly db: Kysely<Database>;
  readonly dialect: SqlDialect;
  /** Folder of a SQLite file, or null (in memory, or a server): where embedded adapters keep files beside it. */
  readonly directory: string | null;
  /** The URL without its password: what logs and errors may show. */
  readonly safeUrl: string;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** Connections per process to a database server (default 10). */
  poolSize?: number;
  /** How long one connection attempt may take (default 10 s). */
  connectTimeoutMs?: number;
  /** Problems without a caller to report to, such as an idle connection dropped by the server. */
  warn?: (message: string) => void;
}

/** `scheme://user:password@host/db` → `scheme://user:***@host/db`. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, "//$1:***@");
  }
}

export function dialectOf(url: string): SqlDialect {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  const dialect = scheme === undefined ? undefined : databaseSchemes[scheme];
  if (!dialect) {
    throw new Error(
      `no database adapter for ${redactUrl(url)}: the schemes are ${Object.keys(databaseSchemes).join(", ")}`,
    );
  }
  return dialect;
}

/** A database handle whose connections open on first use; nothing is read or migrated yet. */
export function createDatabase(url: string, options: DatabaseOptions = {}): SqlDatabase {
  const dialect = dialectOf(url);
  const safeUrl = redactUrl(url);
  // Every query of every dialect goes through the text guard (text-guard.ts).
  if (dialect === "sqlite") {
    const { db, directory } = connectSqlite(url.replace(/^sqlite:/i, ""));
    return { db: db.withPlugin(textGuard), dialect, directory, safeUrl, close: () => db.destroy() };
  }
  const server = {
    poolSize: options.poolSize ?? 10,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    onIdleError: (error: Error) =>
      options.warn?.(`database connection to ${safeUrl} lost while idle: ${error.message}`),
  };
  const parsed = new URL(url);
  const db = dialect === "mariadb" ? connectMariadb(parsed, server) : connectPostgres(parsed, server);
  return { db: db.withPlugin(textGuard), dialect, directory: null, safeUrl, close: () => db.destroy() };
}

/** Opens the database and brings its schema up to date; fails at once if it cannot. */
export async function openDatabase(url: string, options: DatabaseOptions = {}): Promise<SqlDatabase> {
  const database = createDatabase(url, options);
  try {
    await prepareDatabase(database);
    return database;
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
}

/** Checks the connection, then runs the migrations that have not run yet. */
export async function prepareDatabase(database: SqlDatabase): Promise<void> {
  await sql`SELECT 1`.execute(database.db);
  await migrateToLatest(database.db, database.dialect);
}
