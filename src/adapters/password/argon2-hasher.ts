/** PasswordHasher with argon2id, the algorithm OWASP recommends first for new systems. */
import argon2 from "argon2";
import type { PasswordHasher } from "../../core/accounts/password-hasher.js";

export interface Argon2Parameters {
  /** KiB of memory per hash. */
  memoryCost: number;
  /** Passes over that memory. */
  timeCost: number;
  parallelism: number;
}

/** OWASP Password Storage Cheat Sheet: argon2id with m = 19 MiB, t = 2, p = 1. */
export const owaspArgon2Parameters: Argon2Parameters = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function createArgon2Hasher(parameters: Argon2Parameters = owaspArgon2Parameters): PasswordHasher {
  const options = { type: argon2.argon2id as 2, ...parameters };
  return {
    hash: (password) => argon2.hash(password, options),
    async verify(hash, password) {
      try {
        return await argon2.verify(hash, password);
      } catch {
        // Not an argon2 hash at all: it cannot match.
        return false;
      }
    },
    needsRehash(hash) {
      try {
        return !hash.startsWith("$argon2id$") || argon2.needsRehash(hash, parameters);
      } catch {
        return true;
      }
    },
  };
}
