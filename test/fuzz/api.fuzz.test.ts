/**
 * Property-based fuzzing of the whole HTTP API: generated requests (see arbitraries.ts) to every
 * route the app declares, as nobody, as a signed-in user and as an administrator. Whatever is
 * sent, no answer is a 5xx, every 4xx carries the `{error:{code,message}}` body with a code of
 * the catalogue, nothing is thrown outside a request, and after every run the database
 * invariants hold (invariants.ts).
 *
 * It runs on every SQL dialect (a NUL is a 500 on PostgreSQL where the others store it).
 * VERSO_FUZZ_RUNS sets the runs of each property (`npm run fuzz` runs many); VERSO_FUZZ_SEED
 * replays the seed a failure printed.
 */
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { errorCatalogue } from "../../src/core/errors.js";
import { plausibleRequest, promptRef, request, TOKEN, type FuzzRequest } from "./arbitraries.js";
import { invariantViolations } from "./invariants.js";
import { routeSpecs, type OpenApiPaths } from "./routes.js";
import { buildWorld, type Reply } from "./world.js";

const DEFAULT_RUNS = 40;
const runs = Number(process.env.VERSO_FUZZ_RUNS ?? DEFAULT_RUNS);
if (!Number.isSafeInteger(runs) || runs < 1)
  throw new Error(`VERSO_FUZZ_RUNS=${runs}: expected a positive integer`);
const seed = process.env.VERSO_FUZZ_SEED === undefined ? {} : { seed: Number(process.env.VERSO_FUZZ_SEED) };

const world = await buildWorld();
const docs = await world.t.call("GET", "/api/docs/json");
const routes = routeSpecs(world.t.declaredRoutes, docs.body.paths as OpenApiPaths);

const crashes: unknown[] = [];
const recordCrash = (error: unknown) => void crashes.push(error);
process.on("uncaughtException", recordCrash);
process.on("unhandledRejection", recordCrash);

afterAll(async () => {
  process.off("uncaughtException", recordCrash);
  process.off("unhandledRejection", recordCrash);
  // Fails on any 500 the harness saw, on top of the properties' own checks.
  await world.close();
});

const codes = new Set(Object.keys(errorCatalogue));

const parse = (body: string): unknown => {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
};

const hasErrorBody = (body: unknown): boolean => {
  if (typeof body !== "object" || body === null || Object.keys(body).join() !== "error") return false;
  const error = (body as { error: unknown }).error;
  if (typeof error !== "object" || error === null || Object.keys(error).sort().join() !== "code,message")
    return false;
  const { code, message } = error as { code: unknown; message: unknown };
  return typeof code === "string" && codes.has(code) && typeof message === "string" && message.length > 0;
};

/** What is wrong with this answer; nothing when it is fine. */
function problemOf(sent: FuzzRequest, reply: Reply): string | null {
  if (reply.status >= 500) return `answered ${reply.status}`;
  // A HEAD answer has no body, whatever its status.
  if (sent.method === "HEAD" || reply.status < 400) {
    const json = String(reply.headers["content-type"]).includes("json");
    if (json && reply.body.length > 0 && parse(reply.body) === undefined)
      return "answered JSON that does not parse";
    return null;
  }
  const body = parse(reply.body);
  if (!String(reply.headers["content-type"]).startsWith("application/json"))
    return "an error not sent as JSON";
  if (!hasErrorBody(body)) return "an error without the {error:{code,message}} body";
  return null;
}

const describeExchange = (sent: FuzzRequest, reply: Reply, problem: string) =>
  `${problem}: ${sent.method} ${sent.url} as ${sent.identity} → ${reply.status} ${reply.body.slice(0, 300)}`;

/** Sends the requests in order, each checked, then checks the database and the process. */
async function exchange(requests: FuzzRequest[]): Promise<void> {
  await world.ensureActors();
  for (const sent of requests) {
    const reply = await world.send(sent);
    const problem = problemOf(sent, reply);
    if (problem) throw new Error(describeExchange(sent, reply, problem));
  }
  const violations = await invariantViolations(world.t.db);
  if (violations.length > 0) throw new Error(`invariants broken: ${violations.join("; ")}`);
  if (crashes.length > 0) throw new Error(`thrown outside a request: ${String(crashes[0])}`);
}

const fuzzTimeout = (requestsPerRun: number) => 60_000 + runs * requestsPerRun * 100;

it("fuzzes every route the app declares, with what the OpenAPI document says of it", () => {
  const ids = routes.map((route) => route.id);
  expect(ids).toEqual(
    expect.arrayContaining([
      "POST /api/auth/register",
      "DELETE /api/me",
      "PUT /api/prompts/:id/like",
      "GET /api/users/:name/followers",
      "GET /api/feed",
      "POST /api/ask",
      "GET /api/songs/:id",
      "POST /api/catalog/scan",
    ]),
  );
  expect(new Set(ids).size).toBe(world.t.declaredRoutes.length);
  const byId = new Map(routes.map((route) => [route.id, route]));
  expect(byId.get("GET /api/prompts/:id")?.pathParams).toEqual([
    { name: "id", schema: expect.objectContaining({ type: "integer", minimum: 1 }) },
  ]);
  expect(
    byId
      .get("GET /api/prompts")
      ?.query.map((p) => p.name)
      .sort(),
  ).toEqual(["cursor", "limit", "q"]);
  expect(Object.keys(byId.get("POST /api/ask")?.body?.properties ?? {}).sort()).toEqual([
    "filters",
    "k",
    "prompt",
  ]);
});

describe.each(routes)("$id", (route) => {
  it(
    "answers any request without a 5xx, with the error body on every 4xx, keeping the invariants",
    async () => {
      await fc.assert(
        fc.asyncProperty(request(route), (sent) => exchange([sent])),
        { numRuns: runs, ...seed },
      );
    },
    fuzzTimeout(1),
  );
});

it(
  "keeps the invariants through sequences of requests to any routes, well meant and hostile",
  async () => {
    const any = fc.oneof(
      { arbitrary: fc.oneof(...routes.map(plausibleRequest)), weight: 3 },
      { arbitrary: fc.oneof(...routes.map(request)), weight: 1 },
    );
    await fc.assert(fc.asyncProperty(fc.array(any, { minLength: 2, maxLength: 8 }), exchange), {
      numRuns: runs,
      ...seed,
    });
  },
  fuzzTimeout(8),
);

it.skipIf(runs < 20)("reached every route, not only the router's not-found", async () => {
  const seen = (await world.t.metrics.httpRequests.get()).values
    .filter((v) => v.metricName?.endsWith("_count") && v.value > 0)
    .map((v) => `${v.labels.method} ${v.labels.route}`);
  expect(routes.map((route) => route.id).filter((id) => !seen.includes(id))).toEqual([]);
});

it("checks the invariants for real: a miscounted like and an unbacked repost are caught", async () => {
  const prompt = await world.t.db
    .selectFrom("prompts")
    .select(["id", "author_id", "like_count"])
    .orderBy("id")
    .executeTakeFirstOrThrow();
  const stranger = await world.t.db
    .selectFrom("users")
    .select("id")
    .where("id", "<>", prompt.author_id)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("likes")
            .select("user_id")
            .whereRef("likes.user_id", "=", "users.id")
            .where("likes.prompt_id", "=", prompt.id),
        ),
      ),
    )
    .executeTakeFirstOrThrow();
  expect(await invariantViolations(world.t.db)).toEqual([]);

  await world.t.db
    .updateTable("prompts")
    .set({ like_count: prompt.like_count + 1 })
    .where("id", "=", prompt.id)
    .execute();
  await world.t.db
    .insertInto("activities")
    .values({
      actor_id: stranger.id,
      prompt_id: prompt.id,
      kind: "repost",
      created_at: new Date().toISOString(),
    })
    .execute();
  const violations = await invariantViolations(world.t.db);

  await world.t.db
    .updateTable("prompts")
    .set({ like_count: prompt.like_count })
    .where("id", "=", prompt.id)
    .execute();
  await world.t.db
    .deleteFrom("activities")
    .where("actor_id", "=", stranger.id)
    .where("prompt_id", "=", prompt.id)
    .where("kind", "=", "repost")
    .execute();
  expect(violations).toEqual([
    expect.stringMatching(new RegExp(`^prompt ${prompt.id} counts`)),
    "1 repost(s) without the like they repost",
  ]);
  expect(await invariantViolations(world.t.db)).toEqual([]);
});

/**
 * What an outside probe sent, on every dialect: text no database stores alike (NUL, an
 * unpaired surrogate) in a prompt, a profile, a search, a filter, a song id. Each answers a 4xx
 * with the catalogue's body, never a 5xx.
 */
const NUL = "\u0000";
const LONE = "\ud800";
const probeRequests = [NUL, LONE].flatMap((bad): FuzzRequest[] => {
  const json = (method: string, url: string, body: unknown): FuzzRequest => ({
    identity: "user",
    method,
    url,
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    payload: JSON.stringify(body),
    address: "192.0.2.50",
  });
  const get = (url: string): FuzzRequest => ({
    identity: "anonymous",
    method: "GET",
    url,
    headers: {},
    address: "192.0.2.51",
  });
  const encoded = bad === NUL ? "%00" : "%ED%A0%80";
  return [
    json("POST", "/api/prompts", { text: `nul ${bad} byte` }),
    json("PATCH", `/api/prompts/${promptRef(0)}`, { text: `edit ${bad}` }),
    json("PATCH", "/api/me", { bio: `a${bad}b` }),
    json("PATCH", "/api/me", { displayName: `x${bad}` }),
    json("POST", "/api/ask", { prompt: `rain ${bad}`, filters: { genre: `pop${bad}`, language: bad } }),
    get(`/api/users?q=${encoded}`),
    get(`/api/prompts?q=${encoded}`),
    get(`/api/songs/a${encoded}b`),
    get(`/api/songs/a${encoded}b/similar`),
    get(`/api/users/a${encoded}b`),
  ];
});

it("answers the probe's requests, NUL and unpaired surrogates everywhere, with a 4xx or a 2xx, never a 5xx", async () => {
  await world.ensureActors();
  for (const sent of probeRequests) {
    const reply = await world.send(sent);
    const problem = problemOf(sent, reply);
    expect(problem, describeExchange(sent, reply, problem ?? "")).toBeNull();
    expect(reply.status, `${sent.method} ${sent.url}`).toBeLessThan(500);
  }
  expect(await invariantViolations(world.t.db)).toEqual([]);
});

// The router answers these before any hook runs; they get the catalogue's body all the same.
it("router rejections: a bad percent-encoding or an overlong parameter gets the error body", async () => {
  for (const url of ["/api/users/%zz", `/api/users/${"a".repeat(101)}`]) {
    const reply = await world.t.app.inject({ method: "GET", url });
    expect([400, 414]).toContain(reply.statusCode);
    expect(hasErrorBody(parse(reply.body)), url).toBe(true);
  }
});
