import type { FastifyPluginAsync } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { manualClock } from "../../test/support/manual-clock.js";
import { PASSWORD, buildTestApp, type TestApp } from "../../test/support/test-app.js";
import { requireAdmin } from "./access.js";

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
    t = await buildTestApp({ otherRoutes: [adminResource] });
    const root = await t.register("root");
    const bob = await t.register("bob");
    await t.grantAdmin("Root");
    expect((await t.call("GET", "/api/test/whoami", { token: bob.token })).body).toEqual({ viewer: "bob" });
    expect((await t.call("GET", "/api/test/whoami")).body).toEqual({ viewer: null });

    const anonymous = await t.call("POST", "/api/test/admin-only");
    expect([anonymous.status, anonymous.body.error.code]).toEqual([401, "AUTH_REQUIRED"]);
    const notAdmin = await t.call("POST", "/api/test/admin-only", { token: bob.token });
    expect([notAdmin.status, notAdmin.body.error.code]).toEqual([403, "ADMIN_ONLY"]);
    const admin = await t.call("POST", "/api/test/admin-only", { token: root.token });
    expect([admin.status, admin.body]).toEqual([200, { by: "root" }]);
  });

  it("keeps administration with the account, not its name: renamed, deleted and re-registered", async () => {
    t = await buildTestApp({ otherRoutes: [adminResource] });
    const root = await t.register("root");
    await t.grantAdmin("root");
    const renamed = await t.call("PATCH", "/api/me", {
      token: root.token,
      body: { username: "groot", currentPassword: PASSWORD },
    });
    expect(renamed.status).toBe(200);
    expect((await t.call("POST", "/api/test/admin-only", { token: root.token })).status).toBe(200);
    // The freed name is anyone's to take, and taking it gives no rights.
    const squatter = await t.register("root");
    const refused = await t.call("POST", "/api/test/admin-only", { token: squatter.token });
    expect([refused.status, refused.body.error.code]).toEqual([403, "ADMIN_ONLY"]);
    const deleted = await t.call("DELETE", "/api/me", { token: root.token, body: { password: PASSWORD } });
    expect(deleted.status).toBe(204);
    const again = await t.register("groot");
    expect((await t.call("POST", "/api/test/admin-only", { token: again.token })).status).toBe(403);
  });

  it("applies a revocation from the next request on, and signs an account out everywhere", async () => {
    t = await buildTestApp({ otherRoutes: [adminResource] });
    const root = await t.register("root");
    const second = await t.call("POST", "/api/auth/login", {
      body: { username: "root", password: PASSWORD },
    });
    await t.grantAdmin("root");
    expect((await t.call("POST", "/api/test/admin-only", { token: root.token })).status).toBe(200);
    await t.module.administration.revokeAdmin("root");
    expect((await t.call("POST", "/api/test/admin-only", { token: root.token })).status).toBe(403);
    expect(await t.module.administration.listAdmins()).toEqual([]);

    const { ended } = await t.module.administration.revokeSessions("ROOT");
    expect(ended).toBe(2);
    for (const token of [root.token, second.body.token as string]) {
      const reply = await t.call("GET", "/api/test/whoami", { token });
      expect(reply.body).toEqual({ viewer: null });
    }
    await expect(t.module.administration.grantAdmin("nobody")).rejects.toMatchObject({
      code: "USER_NOT_FOUND",
    });
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
