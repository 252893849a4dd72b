/**
 * What sign-up can tell before asking the server: the rules of a username and of a password
 * that need nothing but the text, so every one that fails is said at once. The server checks
 * them again, and what only it knows (a name taken, a password too common) it says itself.
 */
import { bounds } from "../../api/bounds.js";
import type { ErrorCode } from "../../api/types.js";

export interface CredentialProblems {
  username: ErrorCode | null;
  password: ErrorCode | null;
}

const usernameCharacters = /^[a-z0-9_.-]+$/;

/** Length as a person counts characters (an emoji is one), in the form passwords are compared. */
const characters = (text: string) => [...text.normalize("NFKC")].length;

export function newCredentialProblems(rawUsername: string, password: string): CredentialProblems {
  const username = rawUsername.trim().toLowerCase();
  const usernameOk =
    username.length >= bounds.usernameMinLength &&
    username.length <= bounds.usernameMaxLength &&
    usernameCharacters.test(username);
  const length = characters(password);
  const passwordProblem: ErrorCode | null =
    length < bounds.passwordMinLength
      ? "PASSWORD_TOO_SHORT"
      : length > bounds.passwordMaxLength
        ? "PASSWORD_TOO_LONG"
        : password.normalize("NFKC").toLowerCase() === username
          ? "PASSWORD_MATCHES_USERNAME"
          : null;
  return { username: usernameOk ? null : "USERNAME_INVALID", password: passwordProblem };
}
