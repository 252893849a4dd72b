/** The JSON shapes clients rely on for prompts, feed items and profiles (design §5). */
import { presentUser, type UserView } from "../accounts/presenters.js";
import type { User } from "../accounts/user.js";
import type { Prompt, UserRef } from "./prompt.js";
import type { FeedEntry, ProfileStats } from "./store.js";

export interface PromptView {
  id: number;
  text: string;
  author: UserRef;
  createdAt: string;
  updatedAt: string;
  likeCount: number;
  likedByMe: boolean;
}

export interface FeedItemView extends PromptView {
  repostedBy: UserRef | null;
  /** When the repost happened; null for the author's own post (see createdAt). */
  repostedAt: string | null;
}

export interface ProfileView extends UserView, ProfileStats {}

export const presentPrompt = (prompt: Prompt): PromptView => ({
  id: prompt.id,
  text: prompt.text,
  author: { id: prompt.author.id, username: prompt.author.username },
  createdAt: prompt.createdAt,
  updatedAt: prompt.updatedAt,
  likeCount: prompt.likeCount,
  likedByMe: prompt.likedByMe,
});

export const presentFeedItem = (entry: FeedEntry): FeedItemView => ({
  ...presentPrompt(entry.prompt),
  repostedBy: entry.repostedBy ? { id: entry.repostedBy.id, username: entry.repostedBy.username } : null,
  repostedAt: entry.repostedBy ? entry.at : null,
});

export const presentProfile = (user: User, stats: ProfileStats): ProfileView => ({
  ...presentUser(user),
  followerCount: stats.followerCount,
  followingCount: stats.followingCount,
  promptCount: stats.promptCount,
  following: stats.following,
});
