/**
 * Routes name their limits in `config.rateLimit` (one, or several: editing a prompt is a write
 * and costs a search); this hook counts each such request before its handler runs (after the
 * session hook, so a signed-in account is counted as itself) and refuses it with 429 and
 * Retry-After once a limit is spent.
 */
import type { FastifyPluginAsync } from "fastify";
import fp from "fastify-plugin";
import type { LimitedAction, RequestLimits } from "../core/limits/request-limits.js";

declare module "fastify" {
  interface FastifyContextConfig {
    /** The request limits this route counts against. */
    rateLimit?: LimitedAction | readonly LimitedAction[];
  }
}

export const rateLimitPlugin = (limits: RequestLimits | null): FastifyPluginAsync =>
  fp(
    async (app) => {
      if (!limits) return;
      app.addHook("preHandler", async (request) => {
        const actions = [request.routeOptions.config.rateLimit ?? []].flat();
        const subject = {
          address: request.ip,
          account: request.viewer ? String(request.viewer.user.id) : undefined,
        };
        for (const action of actions) await limits.admit(action, subject);
      });
    },
    { name: "verso-rate-limit" },
  );
