import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMetrics } from "../../observability/metrics.js";
import { buildHttpApp, type HttpApp } from "../app.js";
import { healthRoutes } from "../health/routes.js";
import { webAppContentSecurityPolicy, webAppRoutes } from "./routes.js";

const indexHtml =
  '<!doctype html><html><head><script type="module" src="/assets/app-3f9a1c.js"></script></head></html>';
const appJs = "console.log('the app');";

function builtApp(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "verso-web-"));
  fs.mkdirSync(path.join(root, "assets"));
  fs.mkdirSync(path.join(root, ".vite"));
  fs.writeFileSync(path.join(root, "index.html"), indexHtml);
  fs.writeFileSync(path.join(root, "assets", "app-3f9a1c.js"), appJs);
  fs.writeFileSync(path.join(root, "assets", "app-3f9a1c.js.gz"), gzipSync(appJs));
  fs.writeFileSync(path.join(root, "favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
  fs.writeFileSync(path.join(root, ".vite", "manifest.json"), "{}");
  return root;
}

async function appServing(root: string): Promise<HttpApp> {
  const metrics = createMetrics({ defaultMetrics: false });
  return buildHttpApp({
    metrics,
    routes: [healthRoutes({ registry: metrics.registry, checks: {} }), webAppRoutes({ root })],
  });
}

describe("the web app, served by the api", () => {
  let root: string;
  let app: HttpApp;
  beforeAll(async () => {
    root = builtApp();
    app = await appServing(root);
  });
  afterAll(async () => {
    await app.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("answers / with index.html, revalidated on every load and with the content security policy", async () => {
    const reply = await app.inject({ method: "GET", url: "/" });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers["content-type"]).toMatch(/^text\/html/);
    expect(reply.body).toBe(indexHtml);
    expect(reply.headers["cache-control"]).toBe("no-cache");
    expect(reply.headers["content-security-policy"]).toBe(webAppContentSecurityPolicy);
  });

  it("answers every page of the app with index.html, query strings included", async () => {
    for (const url of ["/prompts/12", "/people/ana/followers", "/?q=songs%20about%20rain", "/me"]) {
      const reply = await app.inject({ method: "GET", url });
      expect(reply.statusCode, url).toBe(200);
      expect(reply.body, url).toBe(indexHtml);
      expect(reply.headers["cache-control"], url).toBe("no-cache");
    }
  });

  it("revalidates index.html cheaply: a matching ETag is a 304", async () => {
    const first = await app.inject({ method: "GET", url: "/feed" });
    const etag = String(first.headers.etag);
    expect(etag).not.toBe("undefined");
    const again = await app.inject({ method: "GET", url: "/feed", headers: { "if-none-match": etag } });
    expect(again.statusCode).toBe(304);
  });

  it("keeps hashed assets for a year, and serves their pre-compressed copy to who accepts it", async () => {
    const plain = await app.inject({ method: "GET", url: "/assets/app-3f9a1c.js" });
    expect(plain.statusCode).toBe(200);
    expect(plain.headers["content-type"]).toMatch(/javascript/);
    expect(plain.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(plain.body).toBe(appJs);
    const zipped = await app.inject({
      method: "GET",
      url: "/assets/app-3f9a1c.js",
      headers: { "accept-encoding": "gzip" },
    });
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(zipped.rawPayload).toEqual(gzipSync(appJs));
  });

  it("revalidates files that are not hashed", async () => {
    const reply = await app.inject({ method: "GET", url: "/favicon.svg" });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers["cache-control"]).toBe("no-cache");
  });

  it("answers a missing file with 404, not with the app", async () => {
    for (const url of ["/assets/app-0000.js", "/robots.txt", "/.vite/manifest.json"]) {
      const reply = await app.inject({ method: "GET", url });
      expect(reply.statusCode, url).toBe(404);
      expect(reply.json().error.code, url).toBe("ROUTE_NOT_FOUND");
    }
  });

  it("never shadows the server's own paths: their unknown URLs stay JSON 404s", async () => {
    for (const url of [
      "/api",
      "/api/nothing-here",
      "/api/prompts/1/comments",
      "/metrics/x",
      "/healthz/x",
      "/readyz/deep",
    ]) {
      const reply = await app.inject({ method: "GET", url });
      expect(reply.statusCode, url).toBe(404);
      expect(reply.headers["content-type"], url).toMatch(/application\/json/);
      expect(reply.json().error.code, url).toBe("ROUTE_NOT_FOUND");
    }
    const health = await app.inject({ method: "GET", url: "/healthz" });
    expect(health.json()).toEqual({ status: "ok" });
  });

  it("answers HEAD like GET, without a body", async () => {
    const reply = await app.inject({ method: "HEAD", url: "/people" });
    expect(reply.statusCode).toBe(200);
    expect(reply.headers["content-type"]).toMatch(/^text\/html/);
    expect(reply.body).toBe("");
  });

  it("leaves other methods on unknown paths to the API's 404", async () => {
    const reply = await app.inject({ method: "POST", url: "/prompts", payload: {} });
    expect(reply.statusCode).toBe(404);
    expect(reply.json().error.code).toBe("ROUTE_NOT_FOUND");
  });
});

describe("before the web app is built", () => {
  it("says how to build it at /, and the API still answers", async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "verso-web-empty-"));
    const app = await appServing(empty);
    try {
      const page = await app.inject({ method: "GET", url: "/" });
      expect(page.statusCode).toBe(503);
      expect(page.body).toContain("npm run build");
      expect((await app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    } finally {
      await app.close();
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
