import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import type { Registry } from "prom-client";

export interface HealthDeps {
  registry: Registry;
  /** Each dependency's readiness: a name and whether it answers. */
  checks: Record<string, () => Promise<boolean>>;
}

const Health = Type.Object({
  status: Type.String(),
  checks: Type.Optional(Type.Record(Type.String(), Type.Boolean())),
});

export const healthRoutes =
  (deps: HealthDeps): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      "/healthz",
      { schema: { tags: ["health"], summary: "Liveness: the process answers", response: { 200: Health } } },
      async () => ({ status: "ok" }),
    );

    app.get(
      "/readyz",
      {
        schema: {
          tags: ["health"],
          summary: "Readiness: every dependency answers",
          response: { 200: Health, 503: Health },
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

    app.get(
      "/metrics",
      { schema: { tags: ["health"], summary: "Prometheus metrics", hide: true } },
      async (_request, reply) => {
        reply.header("content-type", deps.registry.contentType);
        return deps.registry.metrics();
      },
    );
  };
