import type { UserStore } from "../accounts/store.js";
import type { User } from "../accounts/user.js";
import { isWellFormedUsername, normalizeUsername } from "../accounts/username.js";
import { VersoError } from "../errors.js";

export type UserLookup = Pick<UserStore, "findByUsername" | "findByFormerUsername">;

/** Where a name leads: its user, or the name they go by now when they renamed away from it. */
export type NameLookup = { user: User } | { movedTo: string };

const userNotFound = (name: string): VersoError => new VersoError("USER_NOT_FOUND", `no user "${name}"`);

/** The user a path names, case-insensitively, or USER_NOT_FOUND. */
export async function findUserOrFail(users: UserLookup, name: string): Promise<User> {
  const username = normalizeUsername(name);
  const user = isWellFormedUsername(username) ? await users.findByUsername(username) : null;
  if (!user) throw userNotFound(name);
  return user;
}

/** The same, but a former name of someone leads to their name now instead of USER_NOT_FOUND. */
export async function findUserOrMove(users: UserLookup, name: string): Promise<NameLookup> {
  const username = normalizeUsername(name);
  if (!isWellFormedUsername(username)) throw userNotFound(name);
  const user = await users.findByUsername(username);
  if (user) return { user };
  const renamed = await users.findByFormerUsername(username);
  if (!renamed) throw userNotFound(name);
  return { movedTo: renamed.username };
}
