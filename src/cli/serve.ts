/**
 * `verso serve`: the roles of this process until a signal stops them. A person at a terminal
 * reads a line with the address to open and readable logs; anything else gets JSON lines.
 */
import type { Config } from "../config.js";
import { browserAddress, createLogger } from "../observability/logging.js";
import { serveProcess } from "../roles/serve.js";
import { configFrom } from "./options.js";

export async function serve(options: Record<string, unknown>) {
  const pending: string[] = [];
  const config = configFrom(options, (warning) => pending.push(warning));
  const logger = createLogger(config.logLevel);
  for (const warning of pending) logger.warn(warning);
  const running = serveProcess(config, {
    logger,
    ...(process.stdout.isTTY ? { onListening: () => console.log(welcome(config)) } : {}),
  });
  let stopping = false;
  const shutdown = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${reason}: shutting down (at most ${config.shutdownSeconds} s)`);
    const deadline = setTimeout(() => {
      logger.error(`still stopping after ${config.shutdownSeconds} s: exiting anyway`);
      process.exit(code || 1);
    }, config.shutdownSeconds * 1000);
    deadline.unref();
    await running.stop().catch((error: unknown) => logger.error({ err: error }, "shutdown failed"));
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown("SIGINT", 0));
  process.on("SIGTERM", () => void shutdown("SIGTERM", 0));
  // A bug that escaped every handler leaves the process in a state nobody planned for: it is
  // logged, and the process stops in order (a supervisor starts a fresh one) instead of going on.
  process.on("unhandledRejection", (error) => {
    logger.fatal({ err: error }, "unhandled rejection");
    void shutdown("unhandled rejection", 1);
  });
  process.on("uncaughtException", (error) => {
    logger.fatal({ err: error }, "uncaught exception");
    void shutdown("uncaught exception", 1);
  });
  await running.started.catch(async (error: unknown) => {
    if (stopping) return;
    logger.fatal({ err: error }, "could not start");
    await shutdown("start-up failed", 1);
  });
}

/** The line a person at the terminal reads first: where Verso is. */
function welcome(config: Config): string {
  const address = browserAddress(config.host, config.port);
  return config.roles.has("api")
    ? `Verso is starting: open ${address} in a browser (Ctrl+C stops it)`
    : `Verso (${[...config.roles].join(", ")}) is starting on ${address} (Ctrl+C stops it)`;
}
