import type { Kysely } from "kysely";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema of its own time
type Db = Kysely<any>;

/**
 * Row reports of two kinds: a bad row that was skipped (what catalog_row_errors held so far),
 * and a row kept as a song with a value changed or left out on the way (a feature out of
 * range, an id an earlier row of the file had); objects count the latter in `changed`.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .alterTable("catalog_row_errors")
    .addColumn("kind", "varchar(16)", (c) => c.notNull().defaultTo("skipped"))
    .execute();
  await db.schema
    .alterTable("catalog_objects")
    .addColumn("changed", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
}
