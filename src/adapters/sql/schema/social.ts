import type { Generated } from "kysely";

export interface UsersTable {
  id: Generated<number>;
  /** Lower-case, unique. Nothing else refers to it: every reference is by id, so a rename touches one row. */
  username: string;
  display_name: Generated<string>;
  bio: Generated<string>;
  password_hash: string;
  /** 1 for an administrator (granted with `verso admin grant`), else 0. */
  is_admin: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  id: Generated<number>;
  /** SHA-256 of the token, hex: the token itself is never stored. */
  token_hash: string;
  user_id: number;
  created_at: string;
  last_seen_at: string;
}

export interface PromptsTable {
  id: Generated<number>;
  author_id: number;
  text: string;
  /** Likes counted in the same transaction that adds or removes a like row. */
  like_count: Generated<number>;
  /** The text's words, folded, each between its own two spaces (see search-text.ts). */
  search_text: Generated<string>;
  word_count: Generated<number>;
  created_at: string;
  updated_at: string;
}

export interface LikesTable {
  user_id: number;
  prompt_id: number;
  created_at: string;
}

export interface FollowsTable {
  /** Orders the following/followers lists, newest follow first. */
  id: Generated<number>;
  follower_id: number;
  followee_id: number;
  created_at: string;
}

export type ActivityKind = "post" | "repost";

/**
 * Append-only log of what appears in feeds: a post when a prompt is published, a repost when
 * someone likes another's prompt. Feeds read it per followee by (actor_id, id); ids only grow,
 * so they are the feed's order and its cursor.
 */
export interface ActivitiesTable {
  id: Generated<number>;
  actor_id: number;
  prompt_id: number;
  kind: ActivityKind;
  created_at: string;
}

/** A username an account renamed away from; it leads to the account until someone takes it. */
export interface FormerUsernamesTable {
  username: string;
  user_id: number;
  renamed_at: string;
}

/** A prompt's vector by `model`, from its text as of `text_updated_at` (the prompt's updated_at). */
export interface PromptVectorsTable {
  prompt_id: number;
  model: string;
  vector: Uint8Array;
  text_updated_at: string;
}

export interface SocialTables {
  users: UsersTable;
  sessions: SessionsTable;
  prompts: PromptsTable;
  likes: LikesTable;
  follows: FollowsTable;
  activities: ActivitiesTable;
  former_usernames: FormerUsernamesTable;
  prompt_vectors: PromptVectorsTable;
}
