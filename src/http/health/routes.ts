import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Registry } from "prom-client";
import { createHash, timingSafeEqual } from "node:crypto";
import { VersoError } from "../../core/errors.js";
import { HealthSchema } from "./schema.js";

export interface HealthDeps {
  registry: Registry;
  /** Each dependency's readiness: a name and whether it answers. */
  checks: Record<string, () => Promise<boolean>>;
  /** When set, /metrics answers only `Authorization: Bearer <token>` (VERSO_METRICS_TOKEN). */
  metricsToken?: string | undefined;
}

const digest = (text: string) => createHash("sha256").update(text).digest();

/** Compared by digest, in constant time: neither the token's length nor its prefix leaks. */
function bearerMatcher(token: string): (header: string | undefined) => boolean {
  const expected = digest(token);
  return (header) => {
    const presented = /^Bearer\s+(\S+)$/i.exec(header ?? "")?.[1];
    return presented !== undefined && timingSafeEqual(digest(presented), expected);
  };
}

export const healthRoutes =
  (deps: HealthDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/healthz",
      {
        schema: {
          tags: ["health"],
          summary: "Liveness: the process answers",
          response: { 200: HealthSchema },
        },
      },
      async () => ({ status: "ok" }),
    );

    app.get(
      "/readyz",
      {
        schema: {
          tags: ["health"],
          summary: "Readiness: every dependency answers",
          response: { 200: HealthSchema, 503: HealthSchema },
        },
      },
      async (_request, reply) => {
        const entries = await Promise.all(
          Object.entries(deps.checks).map(
            async ([name, check]) => [name, await check().catch(() => false)] as const,
          ),
        );
        const checks = Object.fromEntries(entries);
        const ready = entries.every(([, ok]) => ok);
        return reply.status(ready ? 200 : 503).send({ status: ready ? "ready" : "not ready", checks });
      },
    );

    const authorized = deps.metricsToken ? bearerMatcher(deps.metricsToken) : () => true;
    app.get(
      "/metrics",
      { schema: { tags: ["health"], summary: "Prometheus metrics", hide: true } },
      async (request, reply) => {
        if (!authorized(request.headers.authorization)) {
          reply.header("www-authenticate", 'Bearer realm="metrics"');
          throw new VersoError("AUTH_REQUIRED", "/metrics needs the bearer token set in VERSO_METRICS_TOKEN");
        }
        reply.header("content-type", deps.registry.contentType);
        return deps.registry.metrics();
      },
    );
  };
