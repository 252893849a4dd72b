/**
 * The HTTP application: Fastify with a JSON schema on every route, OpenAPI at /api/docs, the
 * error catalogue, request metrics. Resources plug in as route plugins chosen by the
 * composition root, so this file knows no domain.
 */
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import cookie from "@fastify/cookie";
import helmet from "@fastify/helmet";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import { AjvCompiler } from "@fastify/ajv-compiler";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyReply,
  type FastifyServerFactory,
} from "fastify";
import type { Metrics } from "../observability/metrics.js";
import { registerErrorHandling, type ErrorBody } from "./errors.js";
import { sameOriginPlugin } from "./same-origin.js";
import { ErrorResponse } from "./schemas.js";
import { AudioFeatures, Song, SongHit } from "./songs/schema.js";

export interface HttpAppOptions {
  metrics: Metrics;
  /** The process's logger; none in tests. */
  logger?: FastifyBaseLogger;
  /** Whom X-Forwarded-* may come from: false (no one), a hop count, or addresses and CIDRs. */
  trustProxy?: boolean | number | string[];
  /** Route plugins, registered in order. */
  routes: FastifyPluginAsync[];
  bodyLimit?: number;
  /** Builds the app on a server made elsewhere (the process's one server; see handover-server.ts). */
  serverFactory?: FastifyServerFactory;
}

export type HttpApp = FastifyInstance;

/** A hop count trusts the proxies nearest to us: the first `hops` addresses of the chain. */
const trustFunction = (trusted: boolean | number | string[]) =>
  typeof trusted === "number" ? (_address: string, hop: number) => hop < trusted : trusted;

export async function buildHttpApp(options: HttpAppOptions): Promise<HttpApp> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    ...(options.serverFactory ? { serverFactory: options.serverFactory } : {}),
    trustProxy: trustFunction(options.trustProxy ?? false),
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    // Schema validation reports every problem of a request at once. Query strings and path
    // parameters are text, so "?k=5" is read as a number; a JSON body is typed already, so
    // {"k": "5"} or {"prompt": 42} is refused rather than coerced.
    ajv: { customOptions: { allErrors: true, useDefaults: true, removeAdditional: false } },
    schemaController: {
      compilersFactory: {
        buildValidator(externalSchemas, serverOptions) {
          const customOptions = { ...(serverOptions?.customOptions as Record<string, unknown> | undefined) };
          const build = (coerceTypes: "array" | false) =>
            AjvCompiler()(externalSchemas, {
              ...serverOptions,
              customOptions: { ...customOptions, coerceTypes },
            } as Parameters<ReturnType<typeof AjvCompiler>>[1]);
          const coercing = build("array");
          const strict = build(false);
          return (route) => (route.httpPart === "body" ? strict(route) : coercing(route));
        },
      },
    },
    return503OnClosing: true,
    // The router refuses a path that is not valid percent-encoding, or a parameter longer than
    // it allows, before any hook runs: answered in the catalogue's body like every other error.
    frameworkErrors: (error, _request, reply) => {
      const body: ErrorBody = {
        error: { code: "VALIDATION_FAILED", message: `the request path is not valid: ${error.message}` },
      };
      // Typed for no route in particular: the generic reply of any status.
      void (reply as unknown as FastifyReply).status(error.statusCode === 414 ? 414 : 400).send(body);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  registerErrorHandling(app);
  // Every body is JSON; anything else is refused with 415 instead of reaching a route as text.
  app.removeContentTypeParser("text/plain");
  for (const schema of [ErrorResponse, AudioFeatures, Song, SongHit]) app.addSchema(schema);

  const { httpRequests, rateLimited } = options.metrics;
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "unmatched";
    httpRequests.labels(request.method, route, String(reply.statusCode)).observe(reply.elapsedTime / 1000);
    if (reply.statusCode === 429) rateLimited.labels(route).inc();
  });

  // Every answer: no sniffing, no framing, no referrer to other sites, HSTS (which browsers
  // honour over HTTPS only). JSON needs no sources at all; the web app's pages and the API
  // docs send policies of their own.
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
  await app.register(sameOriginPlugin);
  await app.register(cookie);
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
          cookie: { type: "apiKey", in: "cookie", name: "verso_session" },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _base, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  // Its page has inline scripts and styles: staticCSP sends a policy with their hashes.
  await app.register(swaggerUi, { routePrefix: "/api/docs", staticCSP: true });

  for (const routes of options.routes) await app.register(routes);
  return app;
}
