import type { UserStore } from "../accounts/store.js";
import type { User } from "../accounts/user.js";
import { isWellFormedUsername, normalizeUsername } from "../accounts/username.js";
import { VersoError } from "../errors.js";

export type UserLookup = Pick<UserStore, "findByUsername">;

/** The user a path names, case-insensitively, or USER_NOT_FOUND. */
export async function findUserOrFail(users: UserLookup, name: string): Promise<User> {
  const username = normalizeUsername(name);
  const user = isWellFormedUsername(username) ? await users.findByUsername(username) : null;
  if (!user) throw new VersoError("USER_NOT_FOUND", `no user "${name}"`);
  return user;
}
