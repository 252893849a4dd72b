import type { Cache } from "../ports.js";
import { addressGroup } from "../limits/address-group.js";
import { countInWindow, type RateRule } from "../limits/sliding-window.js";
import type { Clock } from "./user.js";

export type { RateRule } from "../limits/sliding-window.js";

export interface AttemptRules {
  /** Every attempt from one client address, whatever the username. */
  perAddress: RateRule;
  /**
   * Attempts on one username from one address, forgotten after a success: in effect the
   * failures. Keyed by address too, so that a client guessing from elsewhere cannot lock the
   * owner out of their own account.
   */
  perAddressAndName: RateRule;
  /**
   * Attempts on one username from every address an account was never signed in from: many
   * addresses share one budget against one account, however many an attacker has. An address
   * the account signed in from before (remembered for `trustDays`) does not count against it,
   * so the owner is not locked out by someone guessing from elsewhere.
   */
  perName?: RateRule & { trustDays: number };
}

export interface AttemptSubject {
  address: string;
  name: string;
}

/** An attempt that was let through; hand it back on success to forget its failures. */
export interface Admission {
  readonly subject: AttemptSubject;
  readonly nameKeys: readonly string[];
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
    const { cache, clock, action, rules } = this;
    await countInWindow(cache, clock, `${action}:address`, [address], rules.perAddress);
    const nameKeys = await countInWindow(
      cache,
      clock,
      `${action}:name`,
      [address, subject.name],
      rules.perAddressAndName,
    );
    if (rules.perName && (await cache.get(this.trustKey(address, subject.name))) === undefined) {
      await countInWindow(cache, clock, `${action}:account`, [subject.name], rules.perName);
    }
    return { subject, nameKeys };
  }

  async succeeded(admission: Admission): Promise<void> {
    await Promise.all(admission.nameKeys.map((key) => this.cache.delete(key)));
    const { perName } = this.rules;
    if (perName) {
      const { address, name } = admission.subject;
      await this.cache.set(this.trustKey(addressGroup(address), name), "1", perName.trustDays * 86_400);
    }
  }

  private trustKey(address: string, name: string): string {
    return `ratelimit:${this.action}:trusted:${JSON.stringify([address, name])}`;
  }
}
