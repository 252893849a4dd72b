import type { Kysely } from "kysely";
import { searchText } from "../search-text.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a migration sees the schema of its own time
type Db = Kysely<any>;

/**
 * Each prompt's words, folded, and how many there are: prompt search scores a match by how
 * much of the prompt the query's words make up, from the prompt alone. Unlike bm25, such a
 * score never changes as other prompts come and go, so a page cursor holding it never shifts.
 */
export async function up(db: Db): Promise<void> {
  await db.schema
    .alterTable("prompts")
    .addColumn("search_text", "varchar(4000)", (c) => c.notNull().defaultTo(""))
    .execute();
  await db.schema
    .alterTable("prompts")
    .addColumn("word_count", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
  let after = 0;
  for (;;) {
    const rows: { id: number; text: string }[] = await db
      .selectFrom("prompts")
      .select(["id", "text"])
      .where("id", ">", after)
      .orderBy("id")
      .limit(1000)
      .execute();
    if (rows.length === 0) return;
    for (const row of rows) {
      const words = searchText(row.text);
      await db
        .updateTable("prompts")
        .set({ search_text: words.text, word_count: words.wordCount })
        .where("id", "=", row.id)
        .execute();
    }
    after = rows[rows.length - 1]!.id;
  }
}
