/**
 * Who may do what in the social network, in one place. Each rule is a pure function of who
 * asks and what they act on, tested on its own; services consult them and never decide inline.
 * Prompts, profiles and lists are public, so reading needs no rule.
 */
import type { User, Viewer } from "../accounts/user.js";
import type { Prompt } from "./prompt.js";

/** Only the author edits a prompt. */
export const mayEditPrompt = (viewer: Viewer, prompt: Prompt): boolean => viewer.user.id === prompt.author.id;

/** Only the author deletes a prompt. */
export const mayDeletePrompt = (viewer: Viewer, prompt: Prompt): boolean =>
  viewer.user.id === prompt.author.id;

/** Anyone signed in may follow anyone else, never themselves. */
export const mayFollow = (viewer: Viewer, target: User): boolean => viewer.user.id !== target.id;

/** A like reposts to the liker's followers, except on their own prompt: followers saw it already. */
export const likeReposts = (viewer: Viewer, prompt: Prompt): boolean => viewer.user.id !== prompt.author.id;
