/**
 * The api role: the HTTP API (and, later, the built web UI) with health and metrics. The vector
 * index is refreshed from the database on a timer, since another process may write the catalog.
 */
import type { FastifyBaseLogger } from "fastify";
import type { Verso } from "../compose.js";
import { buildHttpApp, type HttpApp } from "../http/app.js";
import { catalogRoutes } from "../http/catalog/routes.js";
import { healthRoutes } from "../http/health/routes.js";
import { searchRoutes } from "../http/search/routes.js";
import { songsRoutes } from "../http/songs/routes.js";
import { webAppRoutes } from "../http/web/plugin.js";
import { scanConfiguredBucket } from "./crawler.js";

export async function buildApi(verso: Verso, logger?: FastifyBaseLogger): Promise<HttpApp> {
  const { config, metrics } = verso;
  return buildHttpApp({
    metrics,
    trustProxy: config.trustProxy,
    ...(logger ? { logger } : {}),
    routes: [
      healthRoutes({
        registry: metrics.registry,
        checks: {
          database: async () => (await verso.catalogStore.catalogVersion()) >= 0,
          queue: async () => (await verso.queue.stats()).ready >= 0,
          index: async () => (await verso.index.index.size()) >= 0,
          // Readiness must answer quickly: a model still loading counts as not ready.
          embedder: () =>
            Promise.race([
              verso.embedder.ready().then(() => true),
              new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 250).unref()),
            ]),
        },
      }),
      searchRoutes(verso.search),
      songsRoutes({ store: verso.songStore, similar: (id, k) => verso.search.similar(id, k) }),
      catalogRoutes({
        store: verso.catalogStore,
        queueStats: () => verso.queue.stats(),
        scan: async () => {
          const report = await scanConfiguredBucket(verso);
          return { listed: report.listed, queued: report.queued.length };
        },
        requireAdmin: async (request) => {
          await verso.social.requireAdmin(request);
        },
      }),
      ...verso.social.routes,
      webAppRoutes(),
    ],
  });
}

export async function startApi(verso: Verso, logger: FastifyBaseLogger) {
  const app = await buildApi(verso, logger);
  await app.listen({ port: verso.config.port, host: verso.config.host });
  // Another process (a separate worker, `verso ingest`) may change the catalog: the index
  // follows the database. When this process made the change, the check is one query.
  const timer = setInterval(() => {
    verso.index.refresh().catch((error: unknown) => logger.warn({ err: error }, "index refresh failed"));
  }, 10_000);
  timer.unref();
  return {
    app,
    async stop() {
      clearInterval(timer);
      await app.close();
    },
  };
}
