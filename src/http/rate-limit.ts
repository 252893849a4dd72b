/**
 * Routes name their limit in `config.rateLimit`; this hook counts each such request before its
 * handler runs (after the session hook, so a signed-in account is counted as itself) and
 * refuses it with 429 and Retry-After once a limit is spent.
 */
import type { FastifyPluginAsync } from "fastify";
import fp from "fastify-plugin";
import type { LimitedAction, RequestLimits } from "../core/limits/request-limits.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The request limit this route counts against. */
    rateLimit?: LimitedAction;
  }
}

export const rateLimitPlugin = (limits: RequestLimits | null): FastifyPluginAsync =>
  fp(
    async (app) => {
      if (!limits) return;
      app.addHook("preHandler", async (request) => {
        const action = request.routeOptions.config.rateLimit;
        if (action === undefined) return;
        await limits.admit(action, {
          address: request.ip,
          account: request.viewer ? String(request.viewer.user.id) : undefined,
        });
      });
    },
    { name: "verso-rate-limit" },
  );
