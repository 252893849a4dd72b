/**
 * One HTTP server per process, whatever its roles: /healthz, /readyz (the dependencies of this
 * process's own roles only) and /metrics always; the API with the api role; the embedding
 * service with the embedder role. While the process waits for its dependencies at start (a
 * database that is not up yet), a starting server answers health and metrics, /readyz says
 * what is missing with 503, the web app's files are served (with the api role), and every other
 * request gets 503 with Retry-After.
 */
import type { FastifyBaseLogger, FastifyPluginAsync, FastifyServerFactory } from "fastify";
import type { Verso } from "../compose/index.js";
import type { Role } from "../config.js";
import { buildHttpApp, type HttpApp } from "../http/app.js";
import { healthRoutes } from "../http/health/routes.js";
import { webAppRoutes, type WebAppOptions } from "../http/web/routes.js";
import { VersoError } from "../core/errors.js";
import { apiRoutes } from "./api.js";
import { embedderServiceRoutes } from "./embedder.js";

const within = <T>(work: Promise<T>, ms: number, otherwise: T): Promise<T> =>
  Promise.race([work, new Promise<T>((resolve) => setTimeout(() => resolve(otherwise), ms).unref())]);

/**
 * Readiness of what this process's roles need. A dependency still being set up counts as not
 * ready; asking never starts building one.
 */
export function readinessChecks(
  verso: Verso,
  roles: ReadonlySet<Role>,
): Record<string, () => Promise<boolean>> {
  const checks: Record<string, () => Promise<boolean>> = {};
  const usesCatalog = roles.has("api") || roles.has("worker") || roles.has("crawler");
  if (usesCatalog) {
    checks.database = async () =>
      verso.catalogStores.ready &&
      within(
        (await verso.catalogStores()).changeLog.catalogVersion().then(() => true),
        1000,
        false,
      );
  }
  if (roles.has("worker") || roles.has("crawler")) {
    checks.queue = async () =>
      verso.queue.ready &&
      within(
        (await verso.queue()).stats().then(() => true),
        1000,
        false,
      );
  }
  if (roles.has("api")) checks.index = async () => verso.index.ready;
  if (roles.has("api") || roles.has("worker") || roles.has("embedder")) {
    // A model still loading counts as not ready; readiness must answer quickly.
    checks.embedder = async () =>
      verso.embedder.ready &&
      within(
        (await verso.embedder()).ready().then(() => true),
        250,
        false,
      );
  }
  return checks;
}

export async function buildProcessApp(
  verso: Verso,
  roles: ReadonlySet<Role>,
  extraRoutes: FastifyPluginAsync[] = [],
  logger?: FastifyBaseLogger,
  serverFactory?: FastifyServerFactory,
): Promise<HttpApp> {
  const routes: FastifyPluginAsync[] = [
    healthRoutes({
      registry: verso.metrics.registry,
      checks: readinessChecks(verso, roles),
      metricsToken: verso.config.metricsToken,
    }) as FastifyPluginAsync,
  ];
  if (roles.has("api")) routes.push(...(await apiRoutes(verso)));
  if (roles.has("embedder")) routes.push(...(await embedderServiceRoutes(verso)));
  return buildHttpApp({
    metrics: verso.metrics,
    trustProxy: verso.config.trustProxy,
    ...(logger ? { logger } : {}),
    routes: [...routes, ...extraRoutes],
    ...(serverFactory ? { serverFactory } : {}),
  });
}

const everyMethod = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

const starting = async () => {
  throw new VersoError("DEPENDENCY_UNAVAILABLE", "Verso is starting: its dependencies are not ready yet", {
    retryAfterSeconds: 5,
  });
};

/**
 * The stand-in while the roles start. With the api role it already serves the web app's files,
 * so a person who opens the page at once gets the page (which says that Verso is starting, from
 * the API's 503) rather than an error in JSON.
 */
export async function buildStartingApp(
  verso: Verso,
  roles: ReadonlySet<Role>,
  logger?: FastifyBaseLogger,
  serverFactory?: FastifyServerFactory,
  webApp: WebAppOptions = {},
): Promise<HttpApp> {
  const servesPage = roles.has("api");
  const app = await buildHttpApp({
    ...(serverFactory ? { serverFactory } : {}),
    metrics: verso.metrics,
    trustProxy: verso.config.trustProxy,
    ...(logger ? { logger } : {}),
    routes: [
      healthRoutes({
        registry: verso.metrics.registry,
        checks: readinessChecks(verso, roles),
        metricsToken: verso.config.metricsToken,
      }) as FastifyPluginAsync,
      ...(servesPage ? [webAppRoutes(webApp) as FastifyPluginAsync] : []),
    ],
  });
  const schema = { hide: true };
  if (servesPage) {
    app.route({ method: everyMethod, url: "/api/*", schema, handler: starting });
    const notReading = everyMethod.filter((method) => method !== "GET" && method !== "HEAD");
    app.route({ method: notReading, url: "/*", schema, handler: starting });
  } else {
    app.route({ method: everyMethod, url: "/*", schema, handler: starting });
  }
  return app;
}
