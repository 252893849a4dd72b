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
