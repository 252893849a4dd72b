import { afterEach, describe, expect, it } from "vitest";
import { defaultAccountRateRules } from "../../core/accounts/account-service.js";
import type { PasswordHasher } from "../../core/accounts/password-hasher.js";
import { hashSessionToken } from "../../core/accounts/session-token.js";
import { manualClock } from "../../../test/support/manual-clock.js";
import {
  buildTestApp,
  lightHasher,
  PASSWORD,
  type TestApp,
  type TestAppOptions,
} from "../../../test/support/test-app.js";

let t: TestApp;
const start = async (options: TestAppOptions = {}) => {
  t = await buildTestApp(options);
  return t;
};
afterEach(async () => {
  await t?.close();
});

const cookieOf = (headers: Record<string, unknown>): string => {
  const value = headers["set-cookie"];
  return Array.isArray(value) ? value.join("\n") : String(value ?? "");
};

describe("register", () => {
  it("creates the account, signs in, and sets an HttpOnly SameSite=Lax cookie", async () => {
    await start();
    const reply = await t.call("POST", "/api/auth/register", {
      body: { username: "Alice", password: PASSWORD },
    });
    expect(reply.status).toBe(201);
    expect(reply.body.user).toEqual({
      id: expect.any(Number),
      username: "alice",
      displayName: "",
      bio: "",
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    expect(reply.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const cookie = cookieOf(reply.headers);
    expect(cookie).toContain(`verso_session=${reply.body.token}`);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).not.toMatch(/Secure/i);
    const me = await t.call("GET", "/api/me", { token: reply.body.token });
    expect(me.body.username).toBe("alice");
  });

  it("marks the cookie Secure when the client came over HTTPS through a trusted proxy", async () => {
    await start({ trustProxy: true });
    const reply = await t.call("POST", "/api/auth/register", {
      body: { username: "alice", password: PASSWORD },
      headers: { "x-forwarded-proto": "https" },
    });
    expect(cookieOf(reply.headers)).toMatch(/; Secure/i);
  });

  it("stores only a SHA-256 of the token and an argon2id hash of the password", async () => {
    await start();
    const { token, id } = await t.register("alice");
    const session = await t.db.selectFrom("sessions").selectAll().executeTakeFirstOrThrow();
    expect(session.token_hash).toBe(hashSessionToken(token));
    expect(session.token_hash).not.toContain(token);
    const user = await t.db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
    expect(user.password_hash).not.toContain(PASSWORD);
  });

  it("refuses a username taken in any letter case with 409", async () => {
    await start();
    await t.register("alice");
    const reply = await t.call("POST", "/api/auth/register", {
      body: { username: "ALICE", password: PASSWORD },
    });
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe("USERNAME_TAKEN");
  });

  it("lets exactly one of two simultaneous registrations of a name win", async () => {
    await start();
    const replies = await Promise.all(
      ["racer", "RACER", "Racer"].map((username) =>
        t.call("POST", "/api/auth/register", { body: { username, password: PASSWORD } }),
      ),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(await t.db.selectFrom("users").select("username").execute()).toEqual([{ username: "racer" }]);
  });

  it("refuses a common password with a clear message", async () => {
    await start();
    const reply = await t.call("POST", "/api/auth/register", {
      body: { username: "alice", password: "Password1" },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("PASSWORD_TOO_COMMON");
    expect(reply.body.error.message).toMatch(/common/);
  });

  it("accepts a 1,000-character password and refuses 1,001", async () => {
    await start();
    const long = await t.call("POST", "/api/auth/register", {
      body: { username: "long", password: "xyz".repeat(333) + "w" },
    });
    expect(long.status).toBe(201);
    const tooLong = await t.call("POST", "/api/auth/register", {
      body: { username: "longer", password: "x".repeat(1001) },
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.code).toBe("PASSWORD_TOO_LONG");
  });

  it("refuses a username that names a route", async () => {
    await start();
    const reply = await t.call("POST", "/api/auth/register", {
      body: { username: "random", password: PASSWORD },
    });
    expect(reply.body.error.code).toBe("USERNAME_RESERVED");
  });
});

describe("login", () => {
  it("gives a new session at every login, each accepted as Bearer and as cookie", async () => {
    await start();
    const registered = await t.register("alice");
    const first = await t.call("POST", "/api/auth/login", {
      body: { username: "Alice", password: PASSWORD },
    });
    const second = await t.call("POST", "/api/auth/login", {
      body: { username: "alice", password: PASSWORD },
    });
    expect(first.status).toBe(200);
    expect(new Set([registered.token, first.body.token, second.body.token]).size).toBe(3);
    expect((await t.db.selectFrom("sessions").selectAll().execute()).length).toBe(3);
    const byCookie = await t.call("GET", "/api/me", {
      headers: { cookie: `verso_session=${second.body.token}` },
    });
    expect(byCookie.status).toBe(200);
    expect(byCookie.body.username).toBe("alice");
  });

  it("answers the same 401 for a wrong password and for an unknown username, and counts both", async () => {
    await start();
    await t.register("alice");
    const wrong = await t.call("POST", "/api/auth/login", {
      body: { username: "alice", password: "not the password" },
    });
    const unknown = await t.call("POST", "/api/auth/login", {
      body: { username: "nobody", password: PASSWORD },
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
    const exported = await t.metrics.registry.metrics();
    expect(exported).toContain('verso_auth_attempts_total{action="login",outcome="refused"} 2');
    expect(exported).toContain('verso_auth_attempts_total{action="register",outcome="success"} 1');
  });

  it("spends a hash on an unknown username too, so timing does not reveal which names exist", async () => {
    const inner = lightHasher();
    let verifications = 0;
    const counting: PasswordHasher = {
      hash: (password) => inner.hash(password),
      verify: (hash, password) => {
        verifications += 1;
        return inner.verify(hash, password);
      },
      needsRehash: (hash) => inner.needsRehash(hash),
    };
    await start({ hasher: counting });
    await t.call("POST", "/api/auth/login", { body: { username: "nobody", password: PASSWORD } });
    await t.call("POST", "/api/auth/login", { body: { username: "not a valid name!", password: PASSWORD } });
    expect(verifications).toBe(2);
  });

  it("never truncates a password: a long one differing only in its last character is refused", async () => {
    await start();
    const password = "abc".repeat(333) + "b";
    await t.register("alice", password);
    const nearMiss = await t.call("POST", "/api/auth/login", {
      body: { username: "alice", password: "abc".repeat(333) + "c" },
    });
    expect(nearMiss.status).toBe(401);
    const exact = await t.call("POST", "/api/auth/login", { body: { username: "alice", password } });
    expect(exact.status).toBe(200);
  });

  it("upgrades a hash made with weaker parameters at the next login", async () => {
    await start();
    const { id } = await t.register("alice");
    const weak = await createWeakHash(PASSWORD);
    await t.db.updateTable("users").set({ password_hash: weak }).where("id", "=", id).execute();
    expect(
      (await t.call("POST", "/api/auth/login", { body: { username: "alice", password: PASSWORD } })).status,
    ).toBe(200);
    const stored = await t.db
      .selectFrom("users")
      .select("password_hash")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    expect(weak).toContain("p=2");
    expect(stored.password_hash).not.toBe(weak);
    expect(stored.password_hash).toContain("p=1");
  });
});

const createWeakHash = async (password: string): Promise<string> => {
  const { createArgon2Hasher } = await import("../../adapters/password/argon2-hasher.js");
  return createArgon2Hasher({ memoryCost: 1024, timeCost: 2, parallelism: 2 }).hash(password);
};

describe("logout and session lifetime", () => {
  it("ends the session on the server: the same token is refused afterwards", async () => {
    await start();
    const { token } = await t.register("alice");
    const logout = await t.call("POST", "/api/auth/logout", { token });
    expect(logout.status).toBe(204);
    expect(cookieOf(logout.headers)).toMatch(/verso_session=;/);
    const stolen = await t.call("GET", "/api/me", { token });
    expect(stolen.status).toBe(401);
    expect(stolen.body.error.code).toBe("AUTH_REQUIRED");
    expect(await t.db.selectFrom("sessions").selectAll().execute()).toEqual([]);
  });

  it("expires a session after sessionTtlDays without use, and slides while it is used", async () => {
    const time = manualClock();
    await start({ clock: time.clock, sessionTtlDays: 2 });
    const { token } = await t.register("alice");
    const day = 24 * 60 * 60 * 1000;
    time.advance(1.5 * day);
    expect((await t.call("GET", "/api/me", { token })).status).toBe(200);
    // 3 days after login, but only 1.5 since last use: still valid.
    time.advance(1.5 * day);
    expect((await t.call("GET", "/api/me", { token })).status).toBe(200);
    time.advance(2 * day);
    expect((await t.call("GET", "/api/me", { token })).status).toBe(401);
    expect(await t.db.selectFrom("sessions").selectAll().execute()).toEqual([]);
  });

  it("ends a session sessionMaxAgeDays after sign-in, however often it is used", async () => {
    const time = manualClock();
    await start({ clock: time.clock, sessionTtlDays: 30, sessionMaxAgeDays: 3 });
    const { token } = await t.register("alice");
    const day = 24 * 60 * 60 * 1000;
    for (let i = 0; i < 2; i++) {
      time.advance(day);
      expect((await t.call("GET", "/api/me", { token })).status).toBe(200);
    }
    time.advance(day);
    expect((await t.call("GET", "/api/me", { token })).status).toBe(401);
    expect(await t.db.selectFrom("sessions").selectAll().execute()).toEqual([]);
  });

  it("writes last-seen at most once a minute", async () => {
    const time = manualClock();
    await start({ clock: time.clock });
    const { token } = await t.register("alice");
    const lastSeen = async () =>
      (await t.db.selectFrom("sessions").select("last_seen_at").executeTakeFirstOrThrow()).last_seen_at;
    const initial = await lastSeen();
    time.advance(30_000);
    await t.call("GET", "/api/me", { token });
    expect(await lastSeen()).toBe(initial);
    time.advance(31_000);
    await t.call("GET", "/api/me", { token });
    expect(await lastSeen()).toBe(time.clock().toISOString());
  });

  it("treats a garbled or unknown token as no session", async () => {
    await start();
    for (const token of ["garbage", "A".repeat(43), "x".repeat(500)]) {
      const reply = await t.call("GET", "/api/me", { token });
      expect(reply.status).toBe(401);
    }
    const malformedHeader = await t.call("GET", "/api/me", { headers: { authorization: "Basic abc" } });
    expect(malformedHeader.status).toBe(401);
  });
});

describe("the session, for the web app", () => {
  it("answers 200 with no user to a visitor, where /api/me answers 401", async () => {
    await start();
    const visitor = await t.call("GET", "/api/session");
    expect([visitor.status, visitor.body]).toEqual([200, { user: null, isAdmin: false }]);
    const garbled = await t.call("GET", "/api/session", { token: "not-a-session" });
    expect([garbled.status, garbled.body]).toEqual([200, { user: null, isAdmin: false }]);
    expect((await t.call("GET", "/api/me")).status).toBe(401);
  });

  it("answers who is signed in, and whether they are an administrator", async () => {
    await start();
    const bob = await t.register("bob");
    const root = await t.register("root");
    await t.grantAdmin("root");
    const asBob = await t.call("GET", "/api/session", { token: bob.token });
    expect(asBob.status).toBe(200);
    expect(asBob.body).toEqual({
      user: (await t.call("GET", "/api/me", { token: bob.token })).body,
      isAdmin: false,
    });
    const asRoot = await t.call("GET", "/api/session", { token: root.token });
    expect([asRoot.body.user.username, asRoot.body.isAdmin]).toEqual(["root", true]);
    await t.call("POST", "/api/auth/logout", { token: bob.token });
    expect((await t.call("GET", "/api/session", { token: bob.token })).body.user).toBeNull();
  });
});

describe("rate limits", () => {
  it("answers 429 with Retry-After after repeated failures from one address, while the owner elsewhere still signs in", async () => {
    const time = manualClock(new Date("2026-12-01T12:00:00.000Z"));
    await start({ rateRules: defaultAccountRateRules, clock: time.clock });
    await t.register("alice");
    const attacker = "203.0.113.7";
    const limit = defaultAccountRateRules.login.perAddressAndName.limit;
    for (let i = 0; i < limit; i += 1) {
      const reply = await t.call("POST", "/api/auth/login", {
        address: attacker,
        body: { username: "alice", password: `guess number ${i}` },
      });
      expect(reply.status).toBe(401);
    }
    const limited = await t.call("POST", "/api/auth/login", {
      address: attacker,
      body: { username: "alice", password: PASSWORD },
    });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe("RATE_LIMITED");
    // Any 15 minutes hold at most `limit` attempts: not before the first ones are that old.
    const wait = Number(limited.headers["retry-after"]);
    expect(wait).toBeGreaterThanOrEqual(15 * 60);

    const owner = await t.call("POST", "/api/auth/login", {
      address: "198.51.100.20",
      body: { username: "alice", password: PASSWORD },
    });
    expect(owner.status).toBe(200);

    time.advance(wait * 1000);
    const later = await t.call("POST", "/api/auth/login", {
      address: attacker,
      body: { username: "alice", password: PASSWORD },
    });
    expect(later.status).toBe(200);
  });

  it("limits guesses on one account from many addresses, but not its owner from where they signed in before", async () => {
    await start({ rateRules: defaultAccountRateRules });
    await t.register("alice");
    const login = (address: string, password: string) =>
      t.call("POST", "/api/auth/login", { address, body: { username: "alice", password } });
    expect((await login("198.51.100.20", PASSWORD)).status).toBe(200);
    // The owner's first sign-in came from an address not known yet: it spent one of the budget.
    const budget = defaultAccountRateRules.login.perName!.limit - 1;
    // One guess from each of many addresses: no address reaches its own limit.
    for (let i = 0; i < budget; i += 1)
      expect((await login(`203.0.113.${i + 1}`, `guess ${i}`)).status).toBe(401);
    const next = await login("203.0.113.200", PASSWORD);
    expect(next.status).toBe(429);
    expect(Number(next.headers["retry-after"])).toBeGreaterThan(0);
    // The owner, from the address they signed in from, is not held back.
    expect((await login("198.51.100.20", PASSWORD)).status).toBe(200);
  });

  it("limits one address across many usernames", async () => {
    await start({ rateRules: defaultAccountRateRules });
    const limit = defaultAccountRateRules.login.perAddress.limit;
    const statuses: number[] = [];
    for (let i = 0; i <= limit; i += 1) {
      const reply = await t.call("POST", "/api/auth/login", {
        address: "203.0.113.8",
        body: { username: `user${i}`, password: PASSWORD },
      });
      statuses.push(reply.status);
    }
    expect(statuses.slice(0, limit).every((s) => s === 401)).toBe(true);
    expect(statuses[limit]).toBe(429);
  });

  it("forgets failures after a successful login", async () => {
    await start({ rateRules: defaultAccountRateRules });
    await t.register("alice");
    const limit = defaultAccountRateRules.login.perAddressAndName.limit;
    const login = (password: string) =>
      t.call("POST", "/api/auth/login", { address: "192.0.2.1", body: { username: "alice", password } });
    for (let i = 0; i < limit - 1; i += 1) expect((await login("wrong password")).status).toBe(401);
    expect((await login(PASSWORD)).status).toBe(200);
    for (let i = 0; i < limit - 1; i += 1) expect((await login("wrong password")).status).toBe(401);
    expect((await login(PASSWORD)).status).toBe(200);
  });

  it("limits registrations per address", async () => {
    await start({ rateRules: defaultAccountRateRules });
    const limit = defaultAccountRateRules.register.perAddress.limit;
    for (let i = 0; i < limit; i += 1) {
      const reply = await t.call("POST", "/api/auth/register", {
        address: "203.0.113.9",
        body: { username: `bot${i}`, password: PASSWORD },
      });
      expect(reply.status).toBe(201);
    }
    const limited = await t.call("POST", "/api/auth/register", {
      address: "203.0.113.9",
      body: { username: "onemore", password: PASSWORD },
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
  });
});

describe("bounded hashing", () => {
  it("refuses sign-ins beyond the waiting queue with 503 and Retry-After instead of queueing without bound", async () => {
    await start({ hashConcurrency: 1, maxHashesWaiting: 2 });
    await t.register("alice");
    const replies = await Promise.all(
      Array.from({ length: 12 }, () =>
        t.call("POST", "/api/auth/login", { body: { username: "alice", password: PASSWORD } }),
      ),
    );
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    const busy = replies.filter((r) => r.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0]?.body.error.code).toBe("AUTH_BUSY");
    expect(busy[0]?.headers["retry-after"]).toBe("1");
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
  });
});
