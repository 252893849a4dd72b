/**
 * What the social domain needs from storage. The SQL adapter implements it per dialect; the
 * full-text part (prompt search) is where the dialects differ most: FTS5 on SQLite, FULLTEXT on
 * MariaDB, tsvector on PostgreSQL, all behind `search`.
 */
import type { User } from "../accounts/user.js";
import type { Prompt, UserRef } from "./prompt.js";

/** What an idempotent change did: "missing" when what it points to is gone. */
export type EdgeOutcome = "changed" | "unchanged" | "missing";

export interface PromptStore {
  create(prompt: { authorId: number; text: string; now: string }): Promise<number>;
  /** The prompt as `viewerId` sees it (likedByMe), or null when it does not exist. */
  find(promptId: number, viewerId: number | null): Promise<Prompt | null>;
  updateText(promptId: number, text: string, now: string): Promise<void>;
  /** Removes the prompt with its likes and reposts. */
  delete(promptId: number): Promise<void>;
  /**
   * Adds the like (and, when `repost`, the repost to the liker's followers) and counts it, in
   * one transaction; "unchanged" when it was already there, "missing" when the prompt is gone.
   */
  like(like: { userId: number; promptId: number; now: string; repost: boolean }): Promise<EdgeOutcome>;
  /** Removes the like, its repost and its count, in one transaction. */
  unlike(like: { userId: number; promptId: number }): Promise<EdgeOutcome>;
  /** Newest first, ids below `beforeId`; limit + 1 rows so the caller knows whether more exist. */
  listNewest(query: {
    authorId?: number;
    viewerId: number | null;
    beforeId: number | null;
    limit: number;
  }): Promise<Prompt[]>;
  /**
   * Prompts containing every term (the last one also as a prefix, for search as you type),
   * best first (higher score is better; a prompt's score depends on it and the terms only, never
   * on the rest of the corpus), newest first among equals; only those after `after` in that order.
   */
  search(query: {
    terms: readonly string[];
    viewerId: number | null;
    after: { score: number; id: number } | null;
    limit: number;
  }): Promise<Array<{ prompt: Prompt; score: number }>>;
  /** The same matches as `search`, only their ids and scores, best first, at most `limit`. */
  matchWords(terms: readonly string[], limit: number): Promise<Array<{ id: number; score: number }>>;
  /** Ranked prompts as `viewerId` sees them, with their scores, in order; those gone are left out. */
  withPrompts(
    ranked: readonly { id: number; score: number }[],
    viewerId: number | null,
  ): Promise<Array<{ prompt: Prompt; score: number }>>;
}

/** A prompt's text as it was when a vector was made of it (`updatedAt` tells the versions apart). */
export interface PromptText {
  promptId: number;
  text: string;
  updatedAt: string;
}

/**
 * Each prompt's vector by the embedding model, for finding prompts by meaning. A vector belongs
 * to one version of the text: an edit or a delete makes it go, and a vector of an older version
 * is never read nor written.
 */
export interface PromptVectorStore {
  /** Prompts without a vector of their current text by `model`, oldest first, at most `limit`. */
  missing(model: string, limit: number): Promise<PromptText[]>;
  /** Keeps the vector of the text as of `updatedAt`; nothing when the prompt changed or went since. */
  put(entry: { promptId: number; model: string; vector: Float32Array; updatedAt: string }): Promise<void>;
  /** Every prompt's vector of its current text by `model`. */
  all(model: string): Promise<Array<{ promptId: number; vector: Float32Array }>>;
}

export interface ProfileStats {
  followerCount: number;
  followingCount: number;
  promptCount: number;
  /** Whether the viewer follows them; false for an anonymous viewer. */
  following: boolean;
}

export interface FollowEdge {
  /** Key of the follow itself: lists are ordered newest follow first. */
  followId: number;
  user: User;
}

export interface GraphStore {
  /** "missing" when the followee is gone (deleted meanwhile). */
  follow(edge: { followerId: number; followeeId: number; now: string }): Promise<EdgeOutcome>;
  unfollow(edge: { followerId: number; followeeId: number }): Promise<EdgeOutcome>;
  stats(userId: number, viewerId: number | null): Promise<ProfileStats>;
  listFollowing(query: {
    userId: number;
    beforeFollowId: number | null;
    limit: number;
  }): Promise<FollowEdge[]>;
  listFollowers(query: {
    userId: number;
    beforeFollowId: number | null;
    limit: number;
  }): Promise<FollowEdge[]>;
}

export interface UserMatch {
  /** 0 when the username starts with the query, 1 when the query is elsewhere in a name. */
  rank: 0 | 1;
  user: User;
}

export interface PeopleStore {
  /**
   * Users whose username or display name contains `text` (lower-case), prefix matches of the
   * username first, then alphabetically; only those after `after` in that order.
   */
  searchByName(query: {
    text: string;
    after: { rank: number; username: string } | null;
    limit: number;
  }): Promise<UserMatch[]>;
  /** Up to `count` users picked at random, never `excludeFollowedBy` nor the people they follow. */
  random(query: { count: number; excludeFollowedBy: number | null }): Promise<User[]>;
}

export interface FeedEntry {
  /** Key of the post or repost event: the feed is ordered by it. */
  activityId: number;
  prompt: Prompt;
  /** Who reposted it (by liking it), or null for the author's own post. */
  repostedBy: UserRef | null;
  /** When it was posted or reposted. */
  at: string;
}

export interface FeedStore {
  /**
   * Prompts posted or reposted by the viewer and by those they follow, each once, at its newest
   * such activity (which says who reposted it), newest first, before `beforeActivityId`.
   */
  page(query: { viewerId: number; beforeActivityId: number | null; limit: number }): Promise<FeedEntry[]>;
}
