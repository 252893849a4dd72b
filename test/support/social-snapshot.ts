import type { Kysely } from "kysely";
import type { Database } from "../../src/adapters/sql/schema/index.js";

/** Every row of every social table, to show that a refused request changed nothing. */
export async function snapshot(db: Kysely<Database>): Promise<Record<string, unknown[]>> {
  const keys = {
    users: ["id"],
    sessions: ["id"],
    prompts: ["id"],
    likes: ["user_id", "prompt_id"],
    follows: ["id"],
    activities: ["id"],
  } as const;
  const result: Record<string, unknown[]> = {};
  for (const [table, columns] of Object.entries(keys) as [keyof typeof keys, readonly string[]][]) {
    let query = db.selectFrom(table).selectAll();
    for (const column of columns) query = query.orderBy(db.dynamic.ref(column));
    result[table] = await query.execute();
  }
  return result;
}
