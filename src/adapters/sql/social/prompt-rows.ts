/** How a prompt is read, shared by every query that returns prompts: author and likedByMe included. */
import { sql, type ExpressionBuilder, type Kysely } from "kysely";
import type { Prompt } from "../../../core/social/prompt.js";
import type { Database } from "../schema/index.js";

export interface PromptRow {
  id: number;
  text: string;
  created_at: string;
  updated_at: string;
  like_count: number;
  author_id: number;
  author_username: string;
  liked_by_me: number;
}

type PromptScope = Database & { author: Database["users"] };

/** Whether the viewer liked the prompt: one primary-key probe per row. */
const likedBy = (viewerId: number | null) => (eb: ExpressionBuilder<PromptScope, "prompts">) =>
  viewerId === null
    ? sql<number>`0`.as("liked_by_me")
    : eb
        .exists(
          eb
            .selectFrom("likes")
            .select(sql`1`.as("one"))
            .where("likes.user_id", "=", viewerId)
            .whereRef("likes.prompt_id", "=", "prompts.id"),
        )
        .$castTo<number>()
        .as("liked_by_me");

/** prompts joined with their author, as `viewerId` sees them. */
export const selectPrompts = (db: Kysely<Database>, viewerId: number | null) =>
  db
    .selectFrom("prompts")
    .innerJoin("users as author", "author.id", "prompts.author_id")
    .select([
      "prompts.id",
      "prompts.text",
      "prompts.created_at",
      "prompts.updated_at",
      "prompts.like_count",
      "author.id as author_id",
      "author.username as author_username",
    ])
    .select(likedBy(viewerId));

export const toPrompt = (row: PromptRow): Prompt => ({
  id: row.id,
  text: row.text,
  author: { id: row.author_id, username: row.author_username },
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  likeCount: row.like_count,
  likedByMe: Boolean(row.liked_by_me),
});
