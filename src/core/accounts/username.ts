import { VersoError } from "../errors.js";

export const USERNAME_MIN_LENGTH = 3;
export const USERNAME_MAX_LENGTH = 32;

const usernamePattern = /^[a-z0-9_.-]+$/;

/**
 * Words that name routes under /api/users/: a user called "random" could never be reached at
 * /api/users/random, so nobody may take it.
 */
const routeWords = new Set(["random"]);

/** The stored form of a username: lower-case, so that "Alice" and "alice" are one account. */
export const normalizeUsername = (raw: string): string => raw.toLowerCase();

/** Normalizes a username chosen at registration or rename, refusing what may not be taken. */
export function parseNewUsername(raw: string): string {
  const username = normalizeUsername(raw);
  if (
    username.length < USERNAME_MIN_LENGTH ||
    username.length > USERNAME_MAX_LENGTH ||
    !usernamePattern.test(username)
  ) {
    throw new VersoError(
      "USERNAME_INVALID",
      `a username has ${USERNAME_MIN_LENGTH} to ${USERNAME_MAX_LENGTH} characters among a-z, 0-9, "_", "." and "-"`,
    );
  }
  if (routeWords.has(username)) {
    throw new VersoError("USERNAME_RESERVED", `"${username}" is reserved; choose another username`);
  }
  return username;
}

/** Whether a name could be a username at all: lookups of anything else can answer "not found" at once. */
export const isWellFormedUsername = (name: string): boolean =>
  name.length >= USERNAME_MIN_LENGTH && name.length <= USERNAME_MAX_LENGTH && usernamePattern.test(name);
