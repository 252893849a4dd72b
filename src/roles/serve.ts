/**
 * `verso serve`: the roles of this process, started in order once their dependencies answer,
 * and stopped in the opposite order. Stopping drains: the HTTP server stops taking requests and
 * finishes those in flight, workers give their objects up at the next commit (queued again for
 * another worker), the crawler finishes its crawl; whatever is left when the deadline passes
 * is abandoned (its lease lapses and another process takes it over).
 */
import fs from "node:fs";
import type { FastifyBaseLogger, FastifyPluginAsync } from "fastify";
import { composeVerso, type Verso } from "../compose/index.js";
import { fileUrlPath, type Config } from "../config.js";
import type { HttpApp } from "../http/app.js";
import { versoVersion } from "../paths.js";
import { followCatalog } from "./api.js";
import { seedDemoCatalog, startCrawler } from "./crawler.js";
import { createHandoverServer } from "./handover-server.js";
import { buildProcessApp, buildStartingApp } from "./server.js";
import { startWorker } from "./worker.js";

export interface RunningProcess {
  verso: Verso;
  /** The HTTP server, once the roles are up. */
  app(): HttpApp | undefined;
  /** Resolves once every role is started. */
  started: Promise<void>;
  stop(): Promise<void>;
}

export interface ServeOptions {
  logger: FastifyBaseLogger;
  /** More route plugins for the api role (the web app). */
  extraRoutes?: FastifyPluginAsync[];
  /** Called once the port is open: the web app's page is served from then on. */
  onListening?: () => void;
}

export function serveProcess(config: Config, options: ServeOptions): RunningProcess {
  const { logger } = options;
  const log = (message: string) => logger.info(message);
  const verso = composeVerso(config, { log, waitForDatabase: true, searches: config.roles.has("api") });
  const roles = config.roles;
  const stops: (() => Promise<void>)[] = [];
  let app: HttpApp | undefined;
  let starting: HttpApp | undefined;
  const server = createHandoverServer();
  let stopping = false;
  for (const role of roles) verso.metrics.info.labels(role, versoVersion).set(1);

  const started = (async () => {
    if (config.bucketUrl.startsWith("file://"))
      fs.mkdirSync(fileUrlPath(config.bucketUrl), { recursive: true });
    const standIn = server.mount();
    starting = await buildStartingApp(verso, roles, logger, standIn.serverFactory);
    await starting.ready();
    standIn.activate();
    await server.listen(config.port, config.host);
    log(`listening on ${config.host}:${config.port} while the roles start`);
    options.onListening?.();

    if (roles.has("worker") || roles.has("crawler")) await verso.catalogStores();
    if (roles.has("api")) {
      const index = await verso.index();
      const refreshed = await index.refresh();
      log(`vector index ready: ${refreshed.count} passages${refreshed.rebuilt ? " (rebuilt)" : ""}`);
      const model = (await verso.embedder()).model.name;
      const stale = await (await verso.catalogStores()).reembedding.staleEmbeddings(model);
      if (stale.passages > 0) {
        logger.warn(
          `${stale.passages} passages of ${stale.songs} songs were embedded with ${stale.models.join(", ")}, ` +
            `not ${model}: search reads only ${model}'s; run \`verso reindex\` to embed them again`,
        );
      }
    }
    if (roles.has("embedder")) await verso.embedder();
    if (stopping) return;
    const mount = server.mount();
    const built = await buildProcessApp(
      verso,
      roles,
      roles.has("api") ? (options.extraRoutes ?? []) : [],
      logger,
      mount.serverFactory,
    );
    await built.ready();
    mount.activate();
    await starting.close();
    starting = undefined;
    app = built;
    stops.push(named("http server", () => drain(built)));
    if (roles.has("api")) stops.push(followCatalog(verso).stop);
    if (roles.has("worker")) stops.push(named("worker", (await startWorker(verso)).stop));
    if (roles.has("crawler")) {
      if (config.demo) {
        const demo = await seedDemoCatalog(verso);
        if (demo) log(`empty catalog: queued the demo catalog (${demo.queued.length} objects)`);
      }
      stops.push(named("crawler", (await startCrawler(verso)).stop));
    }
    log(`verso serving roles ${[...roles].join(", ")} on ${config.host}:${config.port}`);
  })();

  return {
    verso,
    app: () => app,
    started,
    async stop() {
      if (stopping) return;
      stopping = true;
      if (starting) {
        await server.close().catch(() => {});
        await starting.close().catch(() => {});
      }
      // The HTTP server first: nothing new comes in while the rest drains.
      for (const stop of stops) {
        await stop().catch((error: unknown) => logger.error({ err: error }, "stop failed"));
      }
      await named("adapters", () => verso.close())();
    },
  };

  /** Stops taking requests, waits for those in flight, then closes the app. */
  async function drain(app: HttpApp): Promise<void> {
    await server.close();
    await app.close();
  }

  /** A stop that says how long it took, so a slow shutdown shows what held it. */
  function named(what: string, stop: () => Promise<void>): () => Promise<void> {
    return async () => {
      const began = Date.now();
      await stop();
      logger.info(`stopped ${what} in ${Date.now() - began} ms`);
    };
  }
}
