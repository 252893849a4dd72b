/**
 * Constraint violations, recognised in every dialect's driver (SQLite through better-sqlite3,
 * PostgreSQL, MariaDB/MySQL), so stores can turn them into the domain's answers.
 */
const codeOf = (error: unknown) => (error as { code?: unknown } | null)?.code;

/** A unique key already taken. */
export const isUniqueViolation = (error: unknown): boolean =>
  ["SQLITE_CONSTRAINT_UNIQUE", "ER_DUP_ENTRY", "23505"].includes(codeOf(error) as string);

/**
 * A write referring to a row deleted a moment before, such as an account deleted while one of
 * its requests was on its way.
 */
export const isForeignKeyViolation = (error: unknown): boolean =>
  ["SQLITE_CONSTRAINT_FOREIGNKEY", "ER_NO_REFERENCED_ROW_2", "23503"].includes(codeOf(error) as string);
