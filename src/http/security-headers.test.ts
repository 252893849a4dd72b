import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "../../test/support/test-app.js";

let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** A GET sent over a real socket with its path exactly as written (as `curl --path-as-is` does). */
async function getAsIs(app: TestApp, path: string): Promise<{ status: number; body: string }> {
  if (!app.app.server.listening) await app.app.listen({ port: 0, host: "127.0.0.1" });
  const { port } = app.app.server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path }, (response) => {
        let body = "";
        response.on("data", (chunk: Buffer) => (body += chunk.toString()));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      })
      .on("error", reject);
  });
}

describe("security headers", () => {
  it("sends nosniff, no framing (DENY beside frame-ancestors 'none') and a same-origin referrer policy with every API answer", async () => {
    t = await buildTestApp();
    for (const url of ["/api/prompts?q=a", "/api/no-such-route"]) {
      const reply = await t.call("GET", url);
      expect(reply.headers["x-content-type-options"]).toBe("nosniff");
      expect(String(reply.headers["content-security-policy"])).toContain("frame-ancestors 'none'");
      expect(String(reply.headers["content-security-policy"])).toContain("default-src 'none'");
      expect(reply.headers["referrer-policy"]).toBe("same-origin");
      expect(reply.headers["x-frame-options"]).toBe("DENY");
    }
  });

  it("sends HSTS over HTTPS only: never over plain HTTP, and behind a trusted proxy when it says HTTPS", async () => {
    t = await buildTestApp({ trustProxy: ["10.0.0.0/8"] });
    const plain = await t.call("GET", "/api/prompts");
    expect(plain.headers["strict-transport-security"]).toBeUndefined();
    // A client cannot make it so by saying it: only the trusted proxy's word counts.
    const spoofed = await t.call("GET", "/api/prompts", {
      address: "203.0.113.5",
      headers: { "x-forwarded-proto": "https" },
    });
    expect(spoofed.headers["strict-transport-security"]).toBeUndefined();
    const proxied = await t.call("GET", "/api/prompts", {
      address: "10.1.2.3",
      headers: { "x-forwarded-proto": "https" },
    });
    expect(String(proxied.headers["strict-transport-security"])).toMatch(/^max-age=\d{7,}/);
  });

  it("serves the API docs with frame-ancestors 'none', without X-Frame-Options SAMEORIGIN nor inline styles or scripts", async () => {
    t = await buildTestApp();
    for (const url of ["/api/docs", "/api/docs/"]) {
      const reply = await t.call("GET", url);
      expect(reply.status).toBe(200);
      const policy = String(reply.headers["content-security-policy"]);
      expect(policy).toContain("frame-ancestors 'none'");
      expect(policy).not.toContain("unsafe-inline");
      expect(policy).toMatch(/script-src 'self'(;|$)/);
      expect(reply.headers["x-frame-options"]).toBe("DENY");
    }
  });

  it("answers a docs file path that leaves its folder with the catalogue's 404, not a 500", async () => {
    t = await buildTestApp();
    for (const path of [
      "/api/docs/static/%2e%2e/package.json",
      "/api/docs/static/%2e%2e/%2e%2e/package.json",
    ]) {
      const reply = await getAsIs(t, path);
      expect(reply.status, path).toBe(404);
      expect(JSON.parse(reply.body).error.code).toBe("ROUTE_NOT_FOUND");
    }
    expect(t.statuses.filter((status) => status >= 500)).toEqual([]);
  });
});
