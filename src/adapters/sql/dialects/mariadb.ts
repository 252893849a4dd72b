/**
 * MariaDB (10.5 or later; 10.11 is what Verso is tested on) through mysql2, for `mysql://` and
 * `mariadb://` URLs. MariaDB, unlike MySQL, answers INSERT … RETURNING and DELETE … RETURNING,
 * so the dialect tells Kysely it may read returned rows; UPDATE … RETURNING does not exist
 * there, and the stores never use it.
 */
import { createPool } from "mysql2";
import { Kysely, MysqlAdapter, MysqlDialect, type DialectAdapter } from "kysely";
import type { Database } from "../schema/index.js";

class MariadbAdapter extends MysqlAdapter {
  override get supportsReturning(): boolean {
    return true;
  }
}

class MariadbDialect extends MysqlDialect {
  override createAdapter(): DialectAdapter {
    return new MariadbAdapter();
  }
}

export interface ServerConnectionOptions {
  poolSize: number;
  connectTimeoutMs: number;
  /** Errors of idle connections, which have no query to fail: logged, never thrown. */
  onIdleError(error: Error): void;
}

export function connectMariadb(url: URL, options: ServerConnectionOptions): Kysely<Database> {
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (!database) throw new Error("the database URL names no database (mysql://user:password@host/NAME)");
  const pool = createPool({
    host: url.hostname || "localhost",
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username || "root"),
    password: decodeURIComponent(url.password),
    database,
    connectionLimit: options.poolSize,
    connectTimeout: options.connectTimeoutMs,
    waitForConnections: true,
    charset: "utf8mb4_bin",
    // Timestamps are ISO strings in varchar columns; nothing depends on the session time zone.
    timezone: "Z",
    dateStrings: true,
    // BIGINT counters and ids come back as numbers (they stay far below 2^53).
    supportBigNumbers: true,
    bigNumberStrings: false,
    enableKeepAlive: true,
    ...(url.searchParams.get("ssl") === "true" ? { ssl: {} } : {}),
  });
  pool.on("connection", (connection) => {
    connection.on("error", (error: Error) => options.onIdleError(error));
    // READ COMMITTED as on PostgreSQL: each statement sees what committed before it, and
    // InnoDB takes no gap locks, so concurrent inserts of different rows never deadlock.
    connection.query("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
  });
  return new Kysely<Database>({ dialect: new MariadbDialect({ pool }) });
}
