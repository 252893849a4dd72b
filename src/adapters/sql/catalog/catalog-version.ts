/**
 * The catalog version: bumped by every commit that changes songs or passages, first thing in
 * its transaction, which serializes commits across workers so the change log's versions are
 * in commit order.
 */
import type { Kysely } from "kysely";
import type { Database } from "../schema/index.js";

export async function currentVersion(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom("catalog_state")
    .select("version")
    .where("id", "=", 1)
    .executeTakeFirstOrThrow();
  return Number(row.version);
}

/** Takes the next version inside the transaction `trx`, and answers it. */
export async function bumpVersion(trx: Kysely<Database>): Promise<number> {
  await trx
    .updateTable("catalog_state")
    .set((eb) => ({ version: eb("version", "+", 1), updated_at: new Date().toISOString() }))
    .where("id", "=", 1)
    .execute();
  return currentVersion(trx);
}
