/**
 * Every route that changes state, walked as a table: without a session it answers 401, on
 * another user's object 403 (or, where another's object cannot even be named, the request is
 * refused or touches only the caller's own rows), and in every refused case the database is
 * exactly as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { snapshot } from "../support/social-snapshot.js";
import { buildTestApp, PASSWORD, type TestApp } from "../support/test-app.js";

interface Context {
  promptId: number;
  aliceId: number;
}

interface Intrusion {
  /** What bob, signed in, tries against alice's things. */
  body?: (ctx: Context) => unknown;
  url?: (ctx: Context) => string;
  status: number;
  code?: string;
  /** The request legitimately ends the caller's own session and nothing else. */
  endsOwnSession?: boolean;
}

interface StateChangingRoute {
  method: "POST" | "PUT" | "PATCH" | "DELETE";
  /** The route as the app declares it. */
  path: string;
  url: (ctx: Context) => string;
  /** A body that would be accepted from the right user. */
  body?: (ctx: Context) => unknown;
  intrusion: Intrusion;
}

const routes: StateChangingRoute[] = [
  {
    method: "POST",
    path: "/api/auth/logout",
    url: () => "/api/auth/logout",
    // A session is ended by presenting it, so bob can only end his own: that one row goes,
    // alice's sessions stay.
    intrusion: { status: 204, endsOwnSession: true },
  },
  {
    method: "POST",
    path: "/api/auth/logout",
    url: () => "/api/auth/logout",
    intrusion: { body: (ctx) => ({ userId: ctx.aliceId }), status: 400, code: "VALIDATION_FAILED" },
  },
  {
    method: "PATCH",
    path: "/api/me",
    url: () => "/api/me",
    body: () => ({ bio: "changed" }),
    // The original system took the username from the body; here the body cannot name anyone.
    intrusion: { body: (ctx) => ({ id: ctx.aliceId, bio: "pwned" }), status: 400, code: "VALIDATION_FAILED" },
  },
  {
    method: "PUT",
    path: "/api/me/password",
    url: () => "/api/me/password",
    body: () => ({ currentPassword: PASSWORD, newPassword: "another fine passphrase" }),
    intrusion: {
      body: () => ({ username: "alice", currentPassword: PASSWORD, newPassword: "another fine passphrase" }),
      status: 400,
      code: "VALIDATION_FAILED",
    },
  },
  {
    method: "DELETE",
    path: "/api/me",
    url: () => "/api/me",
    body: () => ({ password: PASSWORD }),
    intrusion: {
      body: () => ({ password: PASSWORD, username: "alice" }),
      status: 400,
      code: "VALIDATION_FAILED",
    },
  },
  {
    method: "POST",
    path: "/api/prompts",
    url: () => "/api/prompts",
    body: () => ({ text: "a prompt" }),
    intrusion: {
      body: (ctx) => ({ text: "in alice's name", authorId: ctx.aliceId }),
      status: 400,
      code: "VALIDATION_FAILED",
    },
  },
  {
    method: "PATCH",
    path: "/api/prompts/:id",
    url: (ctx) => `/api/prompts/${ctx.promptId}`,
    body: () => ({ text: "edited" }),
    intrusion: { body: () => ({ text: "edited by bob" }), status: 403, code: "NOT_OWNER" },
  },
  {
    method: "DELETE",
    path: "/api/prompts/:id",
    url: (ctx) => `/api/prompts/${ctx.promptId}`,
    intrusion: { status: 403, code: "NOT_OWNER" },
  },
  {
    method: "DELETE",
    path: "/api/prompts/:id",
    url: (ctx) => `/api/prompts/${ctx.promptId}`,
    intrusion: { body: (ctx) => ({ userId: ctx.aliceId }), status: 400, code: "VALIDATION_FAILED" },
  },
  {
    method: "PUT",
    path: "/api/prompts/:id/like",
    url: (ctx) => `/api/prompts/${ctx.promptId}/like`,
    // Liking another's prompt is allowed; what bob must not do is like as alice.
    intrusion: { body: (ctx) => ({ userId: ctx.aliceId }), status: 400, code: "VALIDATION_FAILED" },
  },
  {
    method: "DELETE",
    path: "/api/prompts/:id/like",
    url: (ctx) => `/api/prompts/${ctx.promptId}/like`,
    // Alice liked it, bob did not: bob's unlike is about bob's like only, and changes nothing.
    intrusion: { status: 200 },
  },
  {
    method: "DELETE",
    path: "/api/prompts/:id/like",
    url: (ctx) => `/api/prompts/${ctx.promptId}/like`,
    intrusion: { body: (ctx) => ({ userId: ctx.aliceId }), status: 400, code: "VALIDATION_FAILED" },
  },
  {
    method: "PUT",
    path: "/api/users/:name/follow",
    url: () => "/api/users/carol/follow",
    intrusion: { body: () => ({ follower: "alice" }), status: 400, code: "VALIDATION_FAILED" },
  },
  {
    method: "DELETE",
    path: "/api/users/:name/follow",
    url: () => "/api/users/carol/follow",
    // Alice follows carol, bob does not: bob's unfollow touches bob's follows only.
    intrusion: { status: 200 },
  },
  {
    method: "DELETE",
    path: "/api/users/:name/follow",
    url: () => "/api/users/carol/follow",
    intrusion: { body: () => ({ follower: "alice" }), status: 400, code: "VALIDATION_FAILED" },
  },
];

let t: TestApp;
let ctx: Context;
let bobToken: string;
let bobId: number;
let loggedOutToken: string;

const freshBobSession = async (): Promise<string> =>
  (await t.call("POST", "/api/auth/login", { body: { username: "bob", password: PASSWORD } })).body.token;

beforeAll(async () => {
  t = await buildTestApp();
  const alice = await t.register("alice");
  const bob = await t.register("bob");
  await t.register("carol");
  const prompt = await t.call("POST", "/api/prompts", {
    token: alice.token,
    body: { text: "alice's prompt" },
  });
  await t.call("PUT", `/api/prompts/${prompt.body.id}/like`, { token: alice.token });
  await t.call("PUT", "/api/users/carol/follow", { token: alice.token });
  await t.call("PUT", "/api/users/bob/follow", { token: alice.token });
  const extra = await t.call("POST", "/api/auth/login", { body: { username: "bob", password: PASSWORD } });
  loggedOutToken = extra.body.token;
  await t.call("POST", "/api/auth/logout", { token: loggedOutToken });
  ctx = { promptId: prompt.body.id, aliceId: alice.id };
  bobToken = bob.token;
  bobId = bob.id;
});

afterAll(async () => {
  await t.close();
});

const anonymousVariants: Array<[string, Record<string, string>]> = [
  ["no credentials", {}],
  ["a garbage bearer token", { authorization: "Bearer not-a-token" }],
  ["a logged-out token", {}],
  ["a garbage cookie", { cookie: "verso_session=forged" }],
];

describe.each(routes)("$method $path", (route) => {
  it.each(anonymousVariants)("answers 401 with %s and changes nothing", async (variant, headers) => {
    const before = await snapshot(t.db);
    const reply = await t.call(route.method, route.url(ctx), {
      ...(variant === "a logged-out token" ? { token: loggedOutToken } : { headers }),
      ...(route.body ? { body: route.body(ctx) } : {}),
    });
    expect(reply.status).toBe(401);
    expect(reply.body.error.code).toBe("AUTH_REQUIRED");
    expect(await snapshot(t.db)).toEqual(before);
  });

  it("refuses another user's object (or touches nothing of theirs) and changes nothing", async () => {
    const { intrusion } = route;
    const token = intrusion.endsOwnSession ? await freshBobSession() : bobToken;
    const before = await snapshot(t.db);
    const body = intrusion.body ?? route.body;
    const reply = await t.call(route.method, (intrusion.url ?? route.url)(ctx), {
      token,
      ...(body ? { body: body(ctx) } : {}),
    });
    expect(reply.status).toBe(intrusion.status);
    if (intrusion.code) expect(reply.body.error.code).toBe(intrusion.code);
    const after = await snapshot(t.db);
    if (intrusion.endsOwnSession) {
      const ended = (before.sessions as Array<{ token_hash: string }>).filter(
        (session) =>
          !(after.sessions as Array<{ token_hash: string }>).some((s) => s.token_hash === session.token_hash),
      );
      expect(ended).toEqual([expect.objectContaining({ user_id: bobId })]);
      expect(after).toEqual({
        ...before,
        sessions: (before.sessions as unknown[]).filter((s) => !ended.includes(s as never)),
      });
    } else {
      expect(after).toEqual(before);
    }
  });
});

it("covers every state-changing route the app has, except the public register and login", () => {
  const changing = t.declaredRoutes.filter(
    (route) =>
      /^(POST|PUT|PATCH|DELETE) \/api\//.test(route) && !/\/api\/auth\/(register|login)$/.test(route),
  );
  const tested = routes.map((route) => `${route.method} ${route.path}`);
  expect([...new Set(tested)].sort()).toEqual([...changing].sort());
});
