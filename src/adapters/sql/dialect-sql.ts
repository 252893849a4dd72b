/**
 * The few SQL expressions the dialects spell differently, for the stores. Everything else the
 * stores write is the SQL all three share, through Kysely.
 */
import {
  sql,
  type Expression,
  type InsertQueryBuilder,
  type Kysely,
  type RawBuilder,
  type SqlBool,
} from "kysely";
import type { SqlDialect } from "./database.js";
import type { Database } from "./schema/index.js";

/** A handle on one database for the stores: queries, and which dialect they run on. */
export interface SqlContext {
  readonly db: Kysely<Database>;
  readonly dialect: SqlDialect;
}

/**
 * `column IN (values)`. SQLite takes the list as one JSON parameter, so the statement's text
 * (and its cached prepared form) is the same for any number of values; PostgreSQL takes one
 * array parameter; MariaDB's client sends text, so the values are listed.
 */
export function isAnyOf(
  dialect: SqlDialect,
  column: string,
  values: readonly (string | number)[],
): RawBuilder<SqlBool> {
  if (values.length === 0) return sql<SqlBool>`1 = 0`;
  switch (dialect) {
    case "sqlite":
      return sql<SqlBool>`${sql.ref(column)} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`;
    case "postgres":
      return sql<SqlBool>`${sql.ref(column)} = ANY(${sql.val([...values])})`;
    case "mariadb":
      return sql<SqlBool>`${sql.ref(column)} IN (${sql.join(values.map((v) => sql.val(v)))})`;
  }
}

/**
 * Whether a column holding a JSON array of strings has this one among them, whole and exactly:
 * json_each in SQLite, jsonb containment in PostgreSQL, JSON_CONTAINS in MariaDB.
 */
export function jsonArrayHolds(dialect: SqlDialect, column: string, value: string): RawBuilder<SqlBool> {
  switch (dialect) {
    case "sqlite":
      return sql<SqlBool>`EXISTS (SELECT 1 FROM json_each(${sql.ref(column)}) AS element WHERE element.value = ${value})`;
    case "postgres":
      return sql<SqlBool>`${sql.ref(column)}::jsonb @> jsonb_build_array(${value}::text)`;
    case "mariadb":
      return sql<SqlBool>`JSON_CONTAINS(${sql.ref(column)}, JSON_QUOTE(${value}))`;
  }
}

/** A random order for ORDER BY: random() in SQLite and PostgreSQL, rand() in MariaDB. */
export const randomOrder = (dialect: SqlDialect): RawBuilder<unknown> =>
  dialect === "mariadb" ? sql`rand()` : sql`random()`;

/**
 * In an upsert's update part, the value the conflicting insert carried for a column:
 * `excluded.col` in SQLite and PostgreSQL, `VALUES(col)` in MariaDB.
 */
export const insertedValue = <T = unknown>(dialect: SqlDialect, column: string): Expression<T> =>
  dialect === "mariadb" ? sql<T>`VALUES(${sql.ref(column)})` : sql.ref<T>(`excluded.${column}`);

/**
 * An insert that does nothing when the row's unique key is taken (numInsertedOrUpdatedRows 0):
 * ON CONFLICT DO NOTHING, or MariaDB's INSERT IGNORE. INSERT IGNORE also turns a foreign-key
 * failure into a warning, so on MariaDB a caller that must tell "missing" from "already there"
 * checks the referenced row when nothing was inserted.
 */
export function ignoringDuplicates<DB, TB extends keyof DB & string, O>(
  dialect: SqlDialect,
  query: InsertQueryBuilder<DB, TB, O>,
  columns: readonly (keyof DB[TB] & string)[],
): InsertQueryBuilder<DB, TB, O> {
  return dialect === "mariadb" ? query.ignore() : query.onConflict((oc) => oc.columns(columns).doNothing());
}

/** A transaction the database chose to abort to break a deadlock: it is safe to run again. */
export function isDeadlock(error: unknown): boolean {
  const code = (error as { code?: unknown; errno?: unknown } | null)?.code;
  return code === "ER_LOCK_DEADLOCK" || code === "40P01" || code === "40001";
}

/**
 * Runs `work` in a transaction, again (a few times, after a short random pause) when the
 * database aborted it to break a deadlock: under concurrent writes MariaDB and PostgreSQL
 * may pick any of the transactions involved as the victim.
 */
export async function transaction<T>(
  db: Kysely<Database>,
  work: (trx: Kysely<Database>) => Promise<T>,
  attempts = 5,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      if (!isDeadlock(error) || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}
