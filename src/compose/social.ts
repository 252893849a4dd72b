/**
 * Accounts and the social network, assembled: stores over the SQL database, the password
 * hasher, and the use cases. The composition root builds them once, for the api role only.
 */
import { loadCommonPasswords } from "../adapters/password/common-passwords.js";
import { createSqlSessionStore, createSqlUserStore } from "../adapters/sql/social/accounts-store.js";
import type { SqlContext } from "../adapters/sql/dialect-sql.js";
import { createSqlSocialStores } from "../adapters/sql/social/stores.js";
import type { Config } from "../config.js";
import { AccountService, type AccountRateRules } from "../core/accounts/account-service.js";
import { AccountAdministration } from "../core/accounts/administration.js";
import { limitHashing } from "../core/accounts/hashing-limiter.js";
import type { PasswordHasher } from "../core/accounts/password-hasher.js";
import { SessionService } from "../core/accounts/sessions.js";
import { systemClock, type Clock } from "../core/accounts/user.js";
import type { Cache } from "../core/ports.js";
import type { SongSearch } from "../core/search/types.js";
import { FeedService } from "../core/social/feed.js";
import { PeopleService } from "../core/social/people.js";
import { PromptMeaning, type PromptEmbedder } from "../core/social/prompt-meaning.js";
import { PromptService } from "../core/social/prompts.js";
import type { Metrics } from "../observability/metrics.js";

export interface SocialServicesDeps {
  database: SqlContext;
  cache: Cache;
  config: Pick<Config, "sessionTtlDays" | "sessionMaxAgeDays" | "hashConcurrency">;
  search: SongSearch;
  /** The catalog's embedder, for finding prompts by meaning; without one, prompts are found by their words. */
  embedder?: PromptEmbedder;
  metrics: Metrics;
  /** Argon2id with the OWASP parameters in production; tests pass a cheaper one where speed is not under test. */
  hasher: PasswordHasher;
  clock?: Clock;
  rateRules?: AccountRateRules;
  /** Hashes that may wait for a free slot before sign-ins are refused with AUTH_BUSY. */
  maxHashesWaiting?: number;
}

/** What `verso admin` and `verso sessions` need: the two stores, no hasher, no routes. */
export const createAccountAdministration = (database: SqlContext): AccountAdministration =>
  new AccountAdministration(createSqlUserStore(database), createSqlSessionStore(database));

const SESSION_PURGE_INTERVAL_MS = 60 * 60 * 1000;

export function createSocialServices(deps: SocialServicesDeps) {
  const clock = deps.clock ?? systemClock;
  const { config, database } = deps;
  const hasher = limitHashing(deps.hasher, {
    concurrency: config.hashConcurrency,
    maxWaiting: deps.maxHashesWaiting ?? config.hashConcurrency * 32,
  });
  const users = createSqlUserStore(database);
  const stores = createSqlSocialStores(database);
  const sessions = new SessionService(createSqlSessionStore(database), clock, {
    ttlDays: config.sessionTtlDays,
    maxAgeDays: config.sessionMaxAgeDays,
  });
  const accounts = new AccountService({
    users,
    sessions,
    hasher,
    commonPasswords: loadCommonPasswords(),
    cache: deps.cache,
    clock,
    ...(deps.rateRules ? { rateRules: deps.rateRules } : {}),
    events: { authAttempt: (action, outcome) => deps.metrics.authAttempts.labels(action, outcome).inc() },
  });
  const meaning =
    deps.embedder &&
    new PromptMeaning({ prompts: stores.prompts, vectors: stores.promptVectors, embedder: deps.embedder });
  const prompts = new PromptService({
    prompts: stores.prompts,
    users,
    search: deps.search,
    clock,
    ...(meaning ? { meaning } : {}),
  });
  const people = new PeopleService({ users, graph: stores.graph, people: stores.people, clock });
  const feed = new FeedService(stores.feed);

  // Failures here are retried on the next sign-in of an unknown name or the next purge; the
  // database failing would show everywhere else first.
  accounts.warmUp().catch(() => {});
  const purgeTimer = setInterval(() => {
    sessions.purgeExpired().catch(() => {});
  }, SESSION_PURGE_INTERVAL_MS);
  purgeTimer.unref();

  return {
    accounts,
    administration: createAccountAdministration(database),
    sessions,
    hasher,
    prompts,
    people,
    feed,
    async close(): Promise<void> {
      clearInterval(purgeTimer);
    },
  };
}

export type SocialServices = ReturnType<typeof createSocialServices>;
