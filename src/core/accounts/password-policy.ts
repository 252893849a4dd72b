import { VersoError } from "../errors.js";

export const PASSWORD_MIN_LENGTH = 8;
/** Long passphrases are welcome; the bound only keeps one request from hashing megabytes. */
export const PASSWORD_MAX_LENGTH = 1000;

/** The most common passwords, which an attacker tries first. */
export interface CommonPasswords {
  /** Whether this exact password (compared case-insensitively) is among them. */
  includes(password: string): boolean;
}

/**
 * The one form a password is hashed and compared in: the same characters typed on two devices
 * may arrive composed differently (é as one code point or as e + accent), and must match.
 */
export const canonicalPassword = (password: string): string => password.normalize("NFKC");

/** Length in characters as a person counts them (an emoji is one), not in UTF-16 units. */
const characterCount = (text: string): number => [...text].length;

/**
 * Checks a new password against the policy of NIST SP 800-63B: long enough, not absurdly
 * long, not a known common password and not the username. No composition rules: they push
 * people towards "Password1!" without making passwords stronger.
 */
export function checkNewPassword(
  password: string,
  context: { username: string; common: CommonPasswords },
): void {
  const canonical = canonicalPassword(password);
  const length = characterCount(canonical);
  if (length < PASSWORD_MIN_LENGTH) {
    throw new VersoError("PASSWORD_TOO_SHORT", `a password has at least ${PASSWORD_MIN_LENGTH} characters`);
  }
  if (length > PASSWORD_MAX_LENGTH) {
    throw new VersoError("PASSWORD_TOO_LONG", `a password has at most ${PASSWORD_MAX_LENGTH} characters`);
  }
  if (canonical.toLowerCase() === context.username.toLowerCase()) {
    throw new VersoError("PASSWORD_MATCHES_USERNAME", "the password must not be the username");
  }
  if (context.common.includes(canonical)) {
    throw new VersoError(
      "PASSWORD_TOO_COMMON",
      "this password is among the most common ones and would be guessed first; choose another (a few unrelated words make a strong one)",
    );
  }
}
