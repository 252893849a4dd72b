import type { Cache } from "../ports.js";
import { addressGroup } from "../limits/address-group.js";
import { countInWindow, type RateRule } from "../limits/fixed-window.js";
import type { Clock } from "./user.js";

export type { RateRule } from "../limits/fixed-window.js";

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

/** Limits on sign-in-like attempts, shared by every API process through the Cache port. */
export class AttemptLimiter {
  constructor(
    private readonly cache: Cache,
    private readonly clock: Clock,
    private readonly action: string,
    private readonly rules: AttemptRules,
  ) {}

  /** Counts the attempt, or refuses it with RATE_LIMITED and the seconds until it may retry. */
  async admit(subject: AttemptSubject): Promise<Admission> {
    const address = addressGroup(subject.address);
    await countInWindow(this.cache, this.clock, `${this.action}:address`, [address], this.rules.perAddress);
    const nameKey = await countInWindow(
      this.cache,
      this.clock,
      `${this.action}:name`,
      [address, subject.name],
      this.rules.perAddressAndName,
    );
    return { nameKey };
  }

  async succeeded(admission: Admission): Promise<void> {
    await this.cache.delete(admission.nameKey);
  }
}
