import { VersoError } from "../errors.js";
import { unstorableText } from "../text.js";

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

/** Characters a password needs besides the username in it, for it not to count as name-like. */
const BEYOND_NAME = 4;
/** Fewest different characters: "aaaaaaaa", "abababab" and eight spaces are guessed at once. */
const MIN_DISTINCT = 3;

/**
 * Whether the password is the username, or the username with a few characters or only digits
 * and punctuation around it ("alice1", "Alice2024!", "1alice"): the first guesses of anyone
 * who knows the name. Compared without letter case.
 */
function isNameLike(password: string, username: string): boolean {
  const name = username.toLowerCase();
  const lower = password.toLowerCase();
  if (name.length === 0 || !lower.includes(name)) return false;
  const rest = lower.split(name).join("");
  return characterCount(rest) < BEYOND_NAME || !/\p{L}/u.test(rest);
}

/**
 * Checks a new password against the policy of NIST SP 800-63B: long enough, not absurdly
 * long, not a known common password, not the username nor a variation of it, not one or two
 * characters repeated. No composition rules: they push people towards "Password1!" without
 * making passwords stronger. Control characters (NUL…) and broken Unicode cannot be typed, and
 * would not compare alike everywhere: they are refused too.
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
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  if (/[\u0000-\u001f\u007f-\u009f]/.test(canonical) || unstorableText(canonical) !== undefined) {
    throw new VersoError(
      "PASSWORD_INVALID",
      "a password cannot hold control characters (such as NUL or a line break) nor broken Unicode",
    );
  }
  if (isNameLike(canonical, context.username)) {
    throw new VersoError(
      "PASSWORD_MATCHES_USERNAME",
      "the password must not be the username, nor the username with a few digits or signs added",
    );
  }
  if (new Set(canonical).size < MIN_DISTINCT || context.common.includes(canonical)) {
    throw new VersoError(
      "PASSWORD_TOO_COMMON",
      "this password is among the most common ones, or one or two characters repeated, and would be guessed first; choose another (a few unrelated words make a strong one)",
    );
  }
}
