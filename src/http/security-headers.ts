/**
 * Headers on every answer: no sniffing, no framing (CSP `frame-ancestors 'none'`, and
 * X-Frame-Options DENY for browsers that predate it, never a weaker SAMEORIGIN beside it), no
 * referrer to other sites, and HSTS on answers over HTTPS only (as the request's protocol says,
 * behind a trusted proxy its X-Forwarded-Proto): over plain HTTP the header means nothing and
 * only tells of a misconfiguration. JSON needs no sources at all; the web app's pages and the
 * API docs send policies of their own.
 */
import helmet from "@fastify/helmet";
import type { FastifyInstance } from "fastify";

export const STRICT_TRANSPORT_SECURITY = `max-age=${180 * 24 * 3600}`;

export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
    frameguard: { action: "deny" },
    referrerPolicy: { policy: "same-origin" },
    hsts: false,
    crossOriginEmbedderPolicy: false,
  });
  app.addHook("onRequest", async (request, reply) => {
    if (request.protocol === "https") reply.header("strict-transport-security", STRICT_TRANSPORT_SECURITY);
  });
}
