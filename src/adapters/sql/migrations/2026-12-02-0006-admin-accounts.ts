import type { Kysely } from "kysely";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema of its own time
type Db = Kysely<any>;

/**
 * Administration is a property of an account (granted with `verso admin grant`), no longer a
 * username the configuration names: a name on such a list could be registered by anyone the
 * moment it was free. 0 or 1, the one boolean every dialect stores alike.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .alterTable("users")
    .addColumn("is_admin", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
}
