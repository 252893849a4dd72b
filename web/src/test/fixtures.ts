/** API objects for component tests, typed by the server's own shapes. */
import type { FeedItem, Prompt, Session, User } from "../api/types.js";

export const user = (id: number, username: string): User => ({
  id,
  username,
  displayName: "",
  bio: "",
  createdAt: "2026-01-01T10:00:00.000Z",
});

export const prompt = (id: number, text: string, overrides: Partial<Prompt> = {}): Prompt => ({
  id,
  text,
  author: { id: 1, username: "ana" },
  createdAt: "2026-01-02T10:00:00.000Z",
  updatedAt: "2026-01-02T10:00:00.000Z",
  likeCount: 0,
  likedByMe: false,
  ...overrides,
});

export const feedItem = (
  p: Prompt,
  repostedBy: { id: number; username: string } | null = null,
): FeedItem => ({
  ...p,
  repostedBy,
  repostedAt: repostedBy ? "2026-01-03T10:00:00.000Z" : null,
});

/** The session as GET /api/session answers it. */
export const session = (signedIn: User | null, isAdmin = false): Session => ({ user: signedIn, isAdmin });
