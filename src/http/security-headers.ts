/**
 * Headers on every answer: no sniffing, no framing, no referrer to other sites, HSTS (which
 * browsers honour over HTTPS only). JSON needs no sources at all; the web app's pages and the
 * API docs send policies of their own.
 */
import helmet from "@fastify/helmet";
import type { FastifyInstance } from "fastify";

export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
    },
    referrerPolicy: { policy: "same-origin" },
    hsts: { maxAge: 180 * 24 * 3600, includeSubDomains: false },
    crossOriginEmbedderPolicy: false,
  });
}
