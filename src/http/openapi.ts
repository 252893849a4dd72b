/** The OpenAPI document of every route, and its page at /api/docs. */
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import { SESSION_COOKIE } from "./session-cookie.js";

/**
 * The docs page's own policy: its scripts, styles and calls from this origin only, its icons
 * as data: URIs, no framing. Swagger UI's standalone layout draws a logo whose SVG holds an
 * inline <style>, so the page uses the base layout (no top bar) and needs no inline style.
 */
export const docsContentSecurityPolicy =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'";

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: {
        title: "Verso API",
        description: "Find songs by what their lyrics mean, and share the prompts that found them.",
        version: "0.1.0",
      },
      components: {
        securitySchemes: {
          bearer: { type: "http", scheme: "bearer" },
          cookie: { type: "apiKey", in: "cookie", name: SESSION_COOKIE },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, {
    routePrefix: "/api/docs",
    staticCSP: docsContentSecurityPolicy,
    uiConfig: { layout: "BaseLayout" },
  });
}
