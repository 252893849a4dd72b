/** CommonPasswords from the zxcvbn-ts list of the most frequent passwords in public breaches. */
import { dictionary } from "@zxcvbn-ts/language-common";
import type { CommonPasswords } from "../../core/accounts/password-policy.js";
import { PASSWORD_MIN_LENGTH } from "../../core/accounts/password-policy.js";

export function loadCommonPasswords(): CommonPasswords {
  // Shorter ones are refused by length anyway; about 18,000 remain.
  const list = new Set(
    dictionary["passwords-common"]
      .map((p) => p.toLowerCase())
      .filter((p) => [...p].length >= PASSWORD_MIN_LENGTH),
  );
  return { includes: (password) => list.has(password.toLowerCase()) };
}
