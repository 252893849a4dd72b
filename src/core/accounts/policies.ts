/**
 * Who may do what with accounts, in one place. Each rule is a pure function of who asks and
 * the configuration, tested on its own; services consult them and never decide inline.
 */
import { normalizeUsername } from "./username.js";
import type { User } from "./user.js";

/** VERSO_ADMINS names the accounts that may operate the catalog (trigger a crawl), by username. */
export const isAdmin = (user: User, admins: readonly string[]): boolean =>
  admins.some((name) => normalizeUsername(name) === user.username);

/**
 * Admin rights follow a username, so names on the admin list are pinned: an admin cannot
 * rename away (freeing the name for someone else to register), and nobody can rename into one.
 */
export const mayRename = (user: User, newUsername: string, admins: readonly string[]): boolean => {
  const pinned = new Set(admins.map(normalizeUsername));
  return !pinned.has(user.username) && !pinned.has(newUsername);
};
