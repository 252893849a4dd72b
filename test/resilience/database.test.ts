/**
 * A database server that is not up when Verso starts, and one that drops every connection
 * while Verso runs: Verso waits with a clear log line (never the password), answers /readyz
 * with 503 meanwhile, becomes ready by itself once the database answers, and a lost
 * connection costs at most a 503 for the requests that met it, never a 500 or a crash.
 */
import { Writable } from "node:stream";
import mysql from "mysql2/promise";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import type { SqlDialect } from "../../src/adapters/sql/database.js";
import { loadConfig } from "../../src/config.js";
import { serveProcess, type RunningProcess } from "../../src/roles/serve.js";
import { createTestDatabaseUrl } from "../support/databases.js";
import { testServers } from "../support/servers.js";
import { startRelay, type TcpRelay } from "../support/tcp-relay.js";
import { tempDir } from "../support/verso.js";
import { freePort } from "../support/ports.js";

const PASSWORD = "not-for-logs-7f3a";

/** A URL of a fresh database, with a password, whose server is reached through `relay`. */
async function databaseBehind(dialect: SqlDialect) {
  const created = await createTestDatabaseUrl(dialect);
  const url = new URL(created.url);
  if (dialect === "mariadb") {
    // The test server's root has no password: a user of our own has one.
    const admin = await mysql.createConnection(testServers.mariadb);
    await admin.query(`CREATE USER IF NOT EXISTS 'verso_resilience'@'%' IDENTIFIED BY '${PASSWORD}'`);
    await admin.query(`GRANT ALL ON *.* TO 'verso_resilience'@'%'`);
    await admin.end();
    url.username = "verso_resilience";
  }
  // PostgreSQL here trusts local connections and ignores the password; it is still sent.
  url.password = PASSWORD;
  const relay = await startRelay(url.toString(), { cut: true });
  return { relay, drop: created.drop };
}

async function until(condition: () => Promise<boolean>, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition().catch(() => false))) {
    if (Date.now() > end) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe.each(["mariadb", "postgres"] as const)("Verso on %s when the database is away", (dialect) => {
  let running: RunningProcess | undefined;
  let relay: TcpRelay | undefined;
  let drop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await running?.stop();
    await relay?.close();
    await drop?.();
  });

  it("waits for it at start, ready once it answers, and survives it dropping every connection", async () => {
    ({ relay, drop } = await databaseBehind(dialect));
    const lines: string[] = [];
    const logger = pino(
      { level: "info" },
      new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const port = await freePort();
    const config = loadConfig(
      {},
      {
        dataDir: tempDir(),
        databaseUrl: relay.url,
        roles: "api",
        port: String(port),
        host: "127.0.0.1",
        demo: "false",
        embedThreads: "1",
        logLevel: "info",
      },
    );
    running = serveProcess(config, { logger });
    const base = `http://127.0.0.1:${port}`;
    const get = (path: string) => fetch(`${base}${path}`);

    await until(async () => (await get("/healthz")).status === 200);
    const waiting = await get("/readyz");
    expect(waiting.status).toBe(503);
    expect(((await waiting.json()) as { checks: Record<string, boolean> }).checks).toMatchObject({
      database: false,
    });
    const early = await fetch(`${base}/api/ask`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ prompt: "rain" }),
    });
    expect(early.status).toBe(503);
    expect(early.headers.get("retry-after")).toBe("5");
    await until(async () => lines.some((line) => /database .* unavailable .*retrying in/.test(line)), 20_000);

    await relay.restore();
    await until(async () => (await get("/readyz")).status === 200);
    const signUp = await fetch(`${base}/api/auth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username: "resilient", password: "a long enough passphrase" }),
    });
    expect(signUp.status).toBe(201);

    // Every connection dropped under the process's feet, the server back at once.
    await relay.cut();
    await relay.restore();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) statuses.push((await get("/api/prompts")).status);
    expect(statuses.every((status) => status === 200 || status === 503)).toBe(true);
    expect(statuses.at(-1)).toBe(200);
    expect((await get("/healthz")).status).toBe(200);

    expect(lines.join("\n")).not.toContain(PASSWORD);
  }, 180_000);
});
