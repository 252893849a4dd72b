import { afterEach, describe, expect, it } from "vitest";
import { buildTestApp, PASSWORD, type TestApp } from "../../test/support/test-app.js";
import { SESSION_COOKIE } from "./session-cookie.js";

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** Signs in through the cookie, as the web app does, and answers the cookie's header. */
async function cookieOf(app: TestApp, username: string): Promise<string> {
  await app.register(username);
  const login = await app.call("POST", "/api/auth/login", {
    body: { username, password: PASSWORD },
    headers: { "sec-fetch-site": "same-origin" },
  });
  expect(login.status).toBe(200);
  const setCookie = [login.headers["set-cookie"]]
    .flat()
    .find((c) => String(c).startsWith(`${SESSION_COOKIE}=`));
  return String(setCookie).split(";")[0]!;
}

describe("cross-site requests", () => {
  it("refuses a state change a page of another site makes the browser send with the session cookie", async () => {
    t = await buildTestApp();
    const cookie = await cookieOf(t, "victim");
    const publish = (headers: Record<string, string>) =>
      t!.call("POST", "/api/prompts", { body: { text: "forged" }, headers: { cookie, ...headers } });

    const forgeries: Record<string, string>[] = [
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
      { origin: "https://evil.example" },
      { origin: "null" },
    ];
    for (const headers of forgeries) {
      const forged = await publish(headers);
      expect([forged.status, forged.body.error.code], JSON.stringify(headers)).toEqual([
        403,
        "CROSS_SITE_REQUEST",
      ]);
    }
    // A bodyless POST too: signing out from another site.
    const logout = await t.call("POST", "/api/auth/logout", {
      headers: { cookie, origin: "https://evil.example" },
    });
    expect(logout.status).toBe(403);
    // Nothing was written, and the session still works from our own pages.
    const mine = await t.call("GET", "/api/users/victim/prompts");
    expect(mine.body.items).toEqual([]);
    expect((await publish({ "sec-fetch-site": "same-origin" })).status).toBe(201);
    expect((await publish({ origin: "http://localhost:80" })).status).toBe(201);
  });

  it("lets through a client that authenticates with a header, and reads without a check", async () => {
    t = await buildTestApp();
    const { token } = await t.register("scripted");
    const withToken = await t.call("POST", "/api/prompts", {
      token,
      body: { text: "from a script" },
      headers: { origin: "https://elsewhere.example", "sec-fetch-site": "cross-site" },
    });
    expect(withToken.status).toBe(201);
    const read = await t.call("GET", "/api/prompts?q=script", {
      headers: { "sec-fetch-site": "cross-site" },
    });
    expect(read.status).toBe(200);
  });
});
