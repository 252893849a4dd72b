/**
 * Limits on what a stranger can make us do: the routes that cost us work are counted per
 * account when someone is signed in and per client address always, so that neither one
 * account from many places nor many throwaway accounts from one place get past them.
 *
 * One budget, `search`, covers everything that can cost an embedding or a search, wherever it
 * is reached from: asking, a prompt's page (it answers the prompt's songs), editing a prompt
 * (its page then answers the new text), similar songs and finding people. Spending it one way
 * spends it for all: a refused ask cannot be had through prompts instead. Publishing, liking
 * and following write and fan out, each with a budget of its own.
 */
import type { Cache } from "../ports.js";
import { addressGroup } from "./address-group.js";
import { countInWindow, type LimitClock, type RateRule } from "./sliding-window.js";

export const limitedActions = ["search", "publish", "like", "follow"] as const;
export type LimitedAction = (typeof limitedActions)[number];

export interface RequestRule {
  perAccount: RateRule;
  perAddress: RateRule;
}

export type RequestRules = Record<LimitedAction, RequestRule>;

const perMinute = (limit: number): RateRule => ({ limit, windowSeconds: 60 });

/**
 * Generous for a person (about a search a second, all minute long) and far below what one
 * process can serve; an address is allowed more than an account since a household or an
 * office shares one.
 */
export const defaultRequestRules: RequestRules = {
  search: { perAccount: perMinute(60), perAddress: perMinute(180) },
  publish: { perAccount: perMinute(10), perAddress: perMinute(30) },
  like: { perAccount: perMinute(60), perAddress: perMinute(180) },
  follow: { perAccount: perMinute(60), perAddress: perMinute(180) },
};

/** Every limit multiplied by `factor` (at least 1 request); a factor of 0 means no limits. */
export function scaledRequestRules(
  factor: number,
  rules: RequestRules = defaultRequestRules,
): RequestRules | null {
  if (factor === 0) return null;
  const scale = (rule: RateRule): RateRule => ({
    ...rule,
    limit: Math.max(1, Math.round(rule.limit * factor)),
  });
  return Object.fromEntries(
    limitedActions.map((action) => [
      action,
      { perAccount: scale(rules[action].perAccount), perAddress: scale(rules[action].perAddress) },
    ]),
  ) as RequestRules;
}

export interface RequestSubject {
  address: string;
  /** The signed-in account, if any. */
  account?: string | undefined;
}

export class RequestLimits {
  constructor(
    private readonly cache: Cache,
    private readonly clock: LimitClock,
    private readonly rules: RequestRules,
  ) {}

  /** Counts the request, or refuses it with RATE_LIMITED and the seconds until it may retry. */
  async admit(action: LimitedAction, subject: RequestSubject): Promise<void> {
    const rule = this.rules[action];
    await countInWindow(
      this.cache,
      this.clock,
      `${action}:address`,
      [addressGroup(subject.address)],
      rule.perAddress,
    );
    if (subject.account !== undefined) {
      await countInWindow(this.cache, this.clock, `${action}:account`, [subject.account], rule.perAccount);
    }
  }
}
