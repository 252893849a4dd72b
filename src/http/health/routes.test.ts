import { afterEach, describe, expect, it } from "vitest";
import { createMetrics } from "../../observability/metrics.js";
import { buildHttpApp, type HttpApp } from "../app.js";
import { healthRoutes } from "./routes.js";

const token = "a-scrape-token-of-some-length";
let app: HttpApp | undefined;
afterEach(async () => {
  await app?.close();
});

async function serving(metricsToken?: string): Promise<HttpApp> {
  const metrics = createMetrics({ defaultMetrics: false });
  metrics.cacheRequests.labels("hit").inc();
  app = await buildHttpApp({
    metrics,
    routes: [healthRoutes({ registry: metrics.registry, checks: {}, metricsToken })],
  });
  return app;
}

const scrape = (target: HttpApp, authorization?: string) =>
  target.inject({ method: "GET", url: "/metrics", headers: authorization ? { authorization } : {} });

describe("/metrics", () => {
  it("is open when no token is set", async () => {
    const reply = await scrape(await serving());
    expect(reply.statusCode).toBe(200);
    expect(reply.body).toContain("verso_cache_requests_total");
  });

  it("with a token, answers only the bearer of that token; health stays open", async () => {
    const target = await serving(token);
    for (const authorization of [undefined, "Bearer wrong-token", `Basic ${token}`, `Bearer ${token}x`]) {
      const refused = await scrape(target, authorization);
      expect(refused.statusCode, authorization).toBe(401);
      expect(refused.headers["www-authenticate"]).toBe('Bearer realm="metrics"');
      expect(refused.json().error.code).toBe("AUTH_REQUIRED");
      expect(refused.body).not.toContain("verso_cache_requests_total");
    }
    const allowed = await scrape(target, `Bearer ${token}`);
    expect(allowed.statusCode).toBe(200);
    expect(allowed.body).toContain("verso_cache_requests_total");
    expect((await target.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
  });
});
