/** Every answer counted and timed by route and status, and every refusal by a request limit. */
import type { FastifyInstance } from "fastify";
import type { Metrics } from "../observability/metrics.js";

export function recordRequestMetrics(app: FastifyInstance, metrics: Metrics): void {
  const { httpRequests, rateLimited } = metrics;
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    httpRequests.labels(request.method, route, String(reply.statusCode)).observe(reply.elapsedTime / 1000);
    if (reply.statusCode === 429) rateLimited.labels(route).inc();
  });
}
