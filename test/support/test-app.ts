/**
 * A real HTTP app with the social module over a fresh database of the dialect under test
 * (databases.ts), for tests that go through app.inject(). Hashing uses argon2id with light
 * parameters (the real parameters are tested in argon2-hasher.test.ts); song search is a small
 * deterministic fake (fake-song-search.ts).
 */
import fp from "fastify-plugin";
import type { Kysely } from "kysely";
import { createMemoryCache } from "../../src/adapters/cache/memory.js";
import { createArgon2Hasher } from "../../src/adapters/password/argon2-hasher.js";
import type { Database } from "../../src/adapters/sql/schema/index.js";
import { defaultAccountRateRules, type AccountRateRules } from "../../src/core/accounts/account-service.js";
import type { PasswordHasher } from "../../src/core/accounts/password-hasher.js";
import type { Clock } from "../../src/core/accounts/user.js";
import { RequestLimits, type RequestRules } from "../../src/core/limits/request-limits.js";
import type { Cache } from "../../src/core/ports.js";
import { apiPlugins } from "../../src/http/api-plugins.js";
import { buildHttpApp, type HttpApp } from "../../src/http/app.js";
import { createMetrics, type Metrics } from "../../src/observability/metrics.js";
import { createSocialServices, type SocialServices } from "../../src/compose/social.js";
import { socialRoutes } from "../../src/http/social-routes.js";
import { openTestDatabase } from "./databases.js";
import { fakeSongSearch, type FakeSongSearch } from "./fake-song-search.js";

export const lightHasher = (): PasswordHasher =>
  createArgon2Hasher({ memoryCost: 1024, timeCost: 2, parallelism: 1 });

/** Limits that ordinary tests never reach; rate-limit tests use the defaults. */
export const generousRateRules: AccountRateRules = {
  login: {
    perAddress: { limit: 10_000, windowSeconds: 600 },
    perAddressAndName: { limit: 10_000, windowSeconds: 600 },
  },
  register: {
    perAddress: { limit: 10_000, windowSeconds: 600 },
    perAddressAndName: { limit: 10_000, windowSeconds: 600 },
  },
  confirmPassword: defaultAccountRateRules.confirmPassword,
};

export interface TestAppOptions {
  hasher?: PasswordHasher;
  clock?: Clock;
  rateRules?: AccountRateRules;
  /** Limits on the costly routes; none unless given. */
  requestRules?: RequestRules;
  sessionTtlDays?: number;
  sessionMaxAgeDays?: number;
  hashConcurrency?: number;
  maxHashesWaiting?: number;
  trustProxy?: boolean | number | string[];
  cache?: Cache;
  /** Routes of another resource, registered after the social routes (as the api role does). */
  otherRoutes?: Parameters<typeof buildHttpApp>[0]["routes"];
}

export interface Call {
  token?: string;
  body?: unknown;
  address?: string;
  headers?: Record<string, string>;
}

export interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of many shapes; tests assert on it
  headers: Record<string, string | string[] | number | undefined>;
}

export interface TestApp {
  app: HttpApp;
  db: Kysely<Database>;
  module: SocialServices;
  metrics: Metrics;
  search: FakeSongSearch;
  /** Status of every response so far. */
  statuses: number[];
  /** Every route the app declares, as "METHOD /url". */
  declaredRoutes: string[];
  /** The request limits each declared route counts against, by "METHOD /url". */
  routeLimits: Map<string, string[]>;
  call(method: string, url: string, options?: Call): Promise<Reply>;
  /** Makes an existing account an administrator, as `verso admin grant` does. */
  grantAdmin(username: string): Promise<void>;
  /** Registers a user and answers their token and id. */
  register(username: string, password?: string): Promise<{ token: string; id: number; username: string }>;
  /** Fails the test if any response was a 500; then closes everything. */
  close(): Promise<void>;
}

export const PASSWORD = "correct horse battery staple";

export async function buildTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = await openTestDatabase();
  const metrics = createMetrics({ defaultMetrics: false });
  const search = fakeSongSearch();
  const cache = options.cache ?? createMemoryCache();
  const module = createSocialServices({
    database,
    cache,
    config: {
      sessionTtlDays: options.sessionTtlDays ?? 30,
      sessionMaxAgeDays: options.sessionMaxAgeDays ?? 90,
      hashConcurrency: options.hashConcurrency ?? 4,
    },
    search,
    metrics,
    hasher: options.hasher ?? lightHasher(),
    rateRules: options.rateRules ?? generousRateRules,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.maxHashesWaiting !== undefined ? { maxHashesWaiting: options.maxHashesWaiting } : {}),
  });
  const declaredRoutes: string[] = [];
  const routeLimits = new Map<string, string[]>();
  const routeRecorder = fp(async (app) => {
    app.addHook("onRoute", (route) => {
      for (const method of [route.method].flat()) {
        declaredRoutes.push(`${method} ${route.url}`);
        routeLimits.set(`${method} ${route.url}`, [route.config?.rateLimit ?? []].flat());
      }
    });
  });
  const app = await buildHttpApp({
    metrics,
    trustProxy: options.trustProxy ?? false,
    routes: [
      routeRecorder,
      ...apiPlugins({
        sessions: module.sessions,
        limits: options.requestRules
          ? new RequestLimits(cache, options.clock ?? (() => new Date()), options.requestRules)
          : null,
      }),
      ...socialRoutes(module),
      ...(options.otherRoutes ?? []),
    ],
  });
  const statuses: number[] = [];
  app.addHook("onResponse", async (_request, reply) => {
    statuses.push(reply.statusCode);
  });
  await app.ready();

  const call = async (method: string, url: string, call: Call = {}): Promise<Reply> => {
    const response = await app.inject({
      method: method as "GET",
      url,
      ...(call.address ? { remoteAddress: call.address } : {}),
      headers: {
        ...(call.token ? { authorization: `Bearer ${call.token}` } : {}),
        ...call.headers,
      },
      ...(call.body !== undefined ? { payload: call.body as object } : {}),
    });
    const text = response.body;
    return {
      status: response.statusCode,
      body:
        text.length > 0 && String(response.headers["content-type"]).includes("json")
          ? JSON.parse(text)
          : text,
      headers: response.headers,
    };
  };

  return {
    app,
    db: database.db,
    module,
    metrics,
    search,
    statuses,
    declaredRoutes,
    routeLimits,
    call,
    async grantAdmin(username) {
      await module.administration.grantAdmin(username);
    },
    async register(username, password = PASSWORD) {
      const reply = await call("POST", "/api/auth/register", { body: { username, password } });
      if (reply.status !== 201)
        throw new Error(`register ${username}: ${reply.status} ${JSON.stringify(reply.body)}`);
      return { token: reply.body.token, id: reply.body.user.id, username: reply.body.user.username };
    },
    async close() {
      await module.close();
      await app.close();
      await database.close();
      const failures = statuses.filter((status) => status === 500);
      if (failures.length > 0)
        throw new Error(`${failures.length} response(s) were 500 Internal Server Error`);
    },
  };
}
