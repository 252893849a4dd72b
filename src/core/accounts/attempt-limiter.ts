import { createHash } from "node:crypto";
import { VersoError } from "../errors.js";
import type { Cache } from "../ports.js";
import type { Clock } from "./user.js";

export interface RateRule {
  /** Attempts allowed in one window. */
  limit: number;
  windowSeconds: number;
}

export interface AttemptRules {
  /** Every attempt from one client address, whatever the username. */
  perAddress: RateRule;
  /**
   * Attempts on one username from one address, forgotten after a success: in effect the
   * failures. Keyed by address too, so that a client guessing from elsewhere cannot lock the
   * owner out of their own account.
   */
  perAddressAndName: RateRule;
}

export interface AttemptSubject {
  address: string;
  name: string;
}

/** An attempt that was let through; hand it back on success to forget its failures. */
export interface Admission {
  readonly nameKey: string;
}

/**
 * Fixed-window counters in the Cache port (`increment` is atomic in every adapter, so many API
 * processes share the limits). Fixed windows make Retry-After exact: the window's end.
 */
export class AttemptLimiter {
  constructor(
    private readonly cache: Cache,
    private readonly clock: Clock,
    private readonly action: string,
    private readonly rules: AttemptRules,
  ) {}

  /** Counts the attempt, or refuses it with RATE_LIMITED and the seconds until it may retry. */
  async admit(subject: AttemptSubject): Promise<Admission> {
    await this.count(this.rules.perAddress, "address", [subject.address]);
    const nameKey = await this.count(this.rules.perAddressAndName, "name", [subject.address, subject.name]);
    return { nameKey };
  }

  async succeeded(admission: Admission): Promise<void> {
    await this.cache.delete(admission.nameKey);
  }

  private async count(rule: RateRule, scope: string, parts: string[]): Promise<string> {
    const nowMs = this.clock().getTime();
    const windowMs = rule.windowSeconds * 1000;
    const window = Math.floor(nowMs / windowMs);
    // Hashed: client-chosen text never reaches the cache's key syntax, and keys stay short.
    const digest = createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 32);
    const key = `ratelimit:${this.action}:${scope}:${window}:${digest}`;
    const attempts = await this.cache.increment(key, rule.windowSeconds);
    if (attempts > rule.limit) {
      const retryAfterSeconds = Math.max(1, Math.ceil(((window + 1) * windowMs - nowMs) / 1000));
      throw new VersoError("RATE_LIMITED", `too many attempts; try again in ${retryAfterSeconds} s`, {
        retryAfterSeconds,
      });
    }
    return key;
  }
}
