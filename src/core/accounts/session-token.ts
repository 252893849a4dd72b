import { createHash, randomBytes } from "node:crypto";

/** 256 random bits: far beyond guessing, and the same size as the hash that stores them. */
const TOKEN_BYTES = 32;
const tokenPattern = /^[A-Za-z0-9_-]{43}$/;

export interface IssuedToken {
  /** Given to the client once; never stored. */
  token: string;
  /** What the database keeps: a leaked table does not let anyone sign in. */
  hash: string;
}

/**
 * SHA-256 rather than a slow hash: the token is random with 256 bits of entropy, so a fast hash
 * loses nothing, and every request has to compute it.
 */
export const hashSessionToken = (token: string): string => createHash("sha256").update(token).digest("hex");

export function issueSessionToken(): IssuedToken {
  const token = randomBytes(TOKEN_BYTES).toString("base64url");
  return { token, hash: hashSessionToken(token) };
}

/** Whether a string could be a token at all: anything else is refused without a lookup. */
export const isWellFormedSessionToken = (token: string): boolean => tokenPattern.test(token);
