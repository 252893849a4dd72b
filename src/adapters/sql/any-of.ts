import { sql } from "kysely";

/**
 * `column IN (values)` with the list as one JSON parameter: the statement's text is the same
 * for any number of values, so its prepared form is reused instead of parsed and planned for
 * every list length. SQLite's json_each; PostgreSQL would say `= ANY($1)`.
 */
export const isAnyOf = (column: string, values: readonly (string | number)[]) =>
  sql<boolean>`${sql.ref(column)} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`;
