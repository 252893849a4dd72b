import { VersoError } from "../errors.js";
import type { PasswordHasher } from "./password-hasher.js";

export interface HashingLimits {
  /** Hashes computed at once; each argon2id hash holds its memory cost (19 MiB) while it runs. */
  concurrency: number;
  /** Hashes allowed to wait for a slot; beyond it a request is refused rather than queued. */
  maxWaiting: number;
}

export interface LimitedHasher extends PasswordHasher {
  /** Hashes running and waiting now, for tests and metrics. */
  load(): { running: number; waiting: number };
}

/**
 * Bounds the memory a burst of logins can take: at most `concurrency` hashes run, at most
 * `maxWaiting` wait, and the rest are refused at once with AUTH_BUSY (503, Retry-After) instead
 * of piling up until the process runs out of memory or every request times out.
 */
export function limitHashing(hasher: PasswordHasher, limits: HashingLimits): LimitedHasher {
  if (!Number.isInteger(limits.concurrency) || limits.concurrency < 1) {
    throw new RangeError("hashing concurrency must be a positive integer");
  }
  let running = 0;
  const waiting: Array<() => void> = [];

  const acquire = async (): Promise<void> => {
    if (running < limits.concurrency) {
      running += 1;
      return;
    }
    if (waiting.length >= limits.maxWaiting) {
      throw new VersoError("AUTH_BUSY", "too many sign-ins are in progress; try again in a moment", {
        retryAfterSeconds: 1,
      });
    }
    // The releasing task hands its slot over directly, so `running` stays unchanged.
    await new Promise<void>((resolve) => waiting.push(resolve));
  };

  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };

  const limited = async <T>(work: () => Promise<T>): Promise<T> => {
    await acquire();
    try {
      return await work();
    } finally {
      release();
    }
  };

  return {
    hash: (password) => limited(() => hasher.hash(password)),
    verify: (hash, password) => limited(() => hasher.verify(hash, password)),
    needsRehash: (hash) => hasher.needsRehash(hash),
    load: () => ({ running, waiting: waiting.length }),
  };
}
