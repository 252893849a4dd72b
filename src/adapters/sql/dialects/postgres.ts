/** PostgreSQL (15 is what Verso is tested on) through pg, for `postgres://` and `postgresql://` URLs. */
import pg from "pg";
import { Kysely, PostgresDialect } from "kysely";
import type { Database } from "../schema/index.js";
import type { ServerConnectionOptions } from "./mariadb.js";

// int8 (bigint, count(*)) as numbers: Verso's ids and counters stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/** A schema name as PostgreSQL accepts it unquoted. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export function connectPostgres(url: URL, options: ServerConnectionOptions): Kysely<Database> {
  const database = decodeURIComponent(url.pathname.replace(/^\//, ""));
  if (!database) throw new Error("the database URL names no database (postgres://user:password@host/NAME)");
  // ?schema=name keeps Verso's tables in a schema of their own (several installations, or
  // test runs, in one database); public stays on the path for extensions such as unaccent.
  const schema = url.searchParams.get("schema");
  if (schema !== null && !SCHEMA_NAME.test(schema)) {
    throw new Error(`the schema "${schema}" must be lower-case letters, digits and underscores`);
  }
  const sslmode = url.searchParams.get("sslmode");
  const pool = new pg.Pool({
    host: url.hostname || "localhost",
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username || "postgres"),
    password: decodeURIComponent(url.password),
    database,
    max: options.poolSize,
    connectionTimeoutMillis: options.connectTimeoutMs,
    ...(schema ? { options: `-c search_path=${schema},public` } : {}),
    ...(sslmode && sslmode !== "disable" ? { ssl: { rejectUnauthorized: sslmode === "verify-full" } } : {}),
  });
  // An idle client whose server went away emits 'error' on the pool; unhandled, it would end
  // the process. The next query gets a new connection (or fails and is retried by its caller).
  pool.on("error", (error) => options.onIdleError(error));
  // A client checked out of the pool (between two queries of a transaction, say) whose
  // connection drops emits 'error' on itself, where the pool does not listen: unheard, that
  // would end the process. Its query fails, or the next one does, and is retried by its caller.
  pool.on("connect", (client) => client.on("error", (error) => options.onIdleError(error)));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
