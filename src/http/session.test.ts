import type { FastifyPluginAsync } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { buildTestApp, manualClock, type TestApp } from "../../test/social/harness.js";
import { requireAdmin } from "./session.js";

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

/** Another resource, registered after the social routes as the api role does, using the session. */
const adminResource: FastifyPluginAsync = async (app) => {
  app.post(
    "/api/test/admin-only",
    { preHandler: async (request) => void requireAdmin(request) },
    async (request) => ({
      by: request.viewer?.user.username,
    }),
  );
  app.get("/api/test/whoami", async (request) => ({ viewer: request.viewer?.user.username ?? null }));
};

describe("session plugin seen by other resources", () => {
  it("tells other routes who is signed in, and lets them demand an administrator", async () => {
    t = await buildTestApp({ admins: ["Root"], otherRoutes: [adminResource] });
    const root = await t.register("root");
    const bob = await t.register("bob");
    expect((await t.call("GET", "/api/test/whoami", { token: bob.token })).body).toEqual({ viewer: "bob" });
    expect((await t.call("GET", "/api/test/whoami")).body).toEqual({ viewer: null });

    const anonymous = await t.call("POST", "/api/test/admin-only");
    expect([anonymous.status, anonymous.body.error.code]).toEqual([401, "AUTH_REQUIRED"]);
    const notAdmin = await t.call("POST", "/api/test/admin-only", { token: bob.token });
    expect([notAdmin.status, notAdmin.body.error.code]).toEqual([403, "ADMIN_ONLY"]);
    const admin = await t.call("POST", "/api/test/admin-only", { token: root.token });
    expect([admin.status, admin.body]).toEqual([200, { by: "root" }]);
  });
});

describe("session cookie", () => {
  it("is renewed when the session is extended, and cleared when it is no longer valid", async () => {
    const time = manualClock();
    t = await buildTestApp({ clock: time.clock, sessionTtlDays: 1 });
    const { token } = await t.register("alice");
    const cookie = { cookie: `verso_session=${token}` };
    const soon = await t.call("GET", "/api/me", { headers: cookie });
    expect(soon.headers["set-cookie"]).toBeUndefined();
    time.advance(2 * 60 * 1000);
    const later = await t.call("GET", "/api/me", { headers: cookie });
    expect(String(later.headers["set-cookie"])).toMatch(new RegExp(`verso_session=${token}; Max-Age=86400`));
    time.advance(2 * 24 * 60 * 60 * 1000);
    const expired = await t.call("GET", "/api/me", { headers: cookie });
    expect(expired.status).toBe(401);
    expect(String(expired.headers["set-cookie"])).toMatch(/verso_session=;/);
  });

  it("prefers the Authorization header over the cookie", async () => {
    t = await buildTestApp();
    const alice = await t.register("alice");
    const bob = await t.register("bob");
    const reply = await t.call("GET", "/api/me", {
      token: bob.token,
      headers: { cookie: `verso_session=${alice.token}` },
    });
    expect(reply.body.username).toBe("bob");
  });
});
