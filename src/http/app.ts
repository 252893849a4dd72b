/**
 * The HTTP application: Fastify with a JSON schema on every route, OpenAPI at /api/docs, the
 * error catalogue, request metrics. Resources plug in as route plugins chosen by the
 * composition root, so this file knows no domain.
 */
import cookie from "@fastify/cookie";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyServerFactory,
} from "fastify";
import type { Metrics } from "../observability/metrics.js";
import { frameworkErrors, registerErrorHandling } from "./errors.js";
import { registerOpenApi } from "./openapi.js";
import { recordRequestMetrics } from "./request-metrics.js";
import { sameOriginPlugin } from "./same-origin.js";
import { ErrorResponseSchema } from "./schemas.js";
import { registerSecurityHeaders } from "./security-headers.js";
import { AudioFeaturesSchema, SongHitSchema, SongSchema } from "./songs/schema.js";
import { ajvOptions, schemaController } from "./validation.js";

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

/** The schemas routes name by `$id` (`Type.Ref`). */
const sharedSchemas = [ErrorResponseSchema, AudioFeaturesSchema, SongSchema, SongHitSchema];

/** A hop count trusts the proxies nearest to us: the first `hops` addresses of the chain. */
const trustFunction = (trusted: boolean | number | string[]) =>
  typeof trusted === "number" ? (_address: string, hop: number) => hop < trusted : trusted;

export async function buildHttpApp(options: HttpAppOptions): Promise<HttpApp> {
  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    ...(options.serverFactory ? { serverFactory: options.serverFactory } : {}),
    trustProxy: trustFunction(options.trustProxy ?? false),
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    ajv: ajvOptions,
    schemaController,
    return503OnClosing: true,
    frameworkErrors,
  }).withTypeProvider<TypeBoxTypeProvider>();

  registerErrorHandling(app);
  // Every body is JSON; anything else is refused with 415 instead of reaching a route as text.
  app.removeContentTypeParser("text/plain");
  for (const schema of sharedSchemas) app.addSchema(schema);
  recordRequestMetrics(app, options.metrics);

  await registerSecurityHeaders(app);
  await app.register(sameOriginPlugin);
  await app.register(cookie);
  await registerOpenApi(app);

  for (const routes of options.routes) await app.register(routes);
  return app;
}
