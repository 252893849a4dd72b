/**
 * Faults of the real servers during a scaled-out ingest of a few hundred songs: RabbitMQ
 * restarted, the database (MariaDB, then PostgreSQL) restarted, the embedder process killed and
 * started again, the cache server killed while prompts are asked. Each ends with nothing lost
 * and nothing doubled, and prints its counts.
 *
 * These restart the machine's shared servers: they run last (the system project), alone.
 */
import { execFileSync, execSync } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { privateServer, type PrivateServer } from "../support/private-server.js";
import { ensureSharedServersUp } from "./shared-servers.js";
import {
  datasetFiles,
  expectedCatalog,
  startStack,
  waitFor,
  type Stack,
  type StackOptions,
  type VersoProcess,
} from "./stack.js";

const files = datasetFiles("Khalid", "CharliePuth", "CardiB");

const sh = (command: string) => execSync(command, { stdio: "pipe", timeout: 120_000 }).toString();

async function restartRabbitmq() {
  try {
    sh("rabbitmqctl stop_app");
    await new Promise((resolve) => setTimeout(resolve, 3000));
  } finally {
    await ensureSharedServersUp();
  }
}

async function restartMariadb() {
  sh("mysqladmin -h 127.0.0.1 -u root shutdown");
  await waitFor("MariaDB to stop", async () => {
    try {
      execFileSync("mysqladmin", ["-h", "127.0.0.1", "-u", "root", "ping"], { stdio: "pipe" });
      return false;
    } catch {
      return true;
    }
  });
  await new Promise((resolve) => setTimeout(resolve, 3000));
  sh("start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd");
  await waitFor("MariaDB to start", async () => {
    execFileSync("mysqladmin", ["-h", "127.0.0.1", "-u", "root", "ping"], { stdio: "pipe" });
    return true;
  });
}

async function restartPostgres() {
  const version = sh("ls /etc/postgresql").trim().split("\n")[0]!;
  sh(`pg_ctlcluster --skip-systemctl-redirect ${version} main stop --mode fast`);
  await new Promise((resolve) => setTimeout(resolve, 3000));
  sh(`pg_ctlcluster --skip-systemctl-redirect ${version} main start`);
  await waitFor("PostgreSQL to start", async () => {
    execFileSync("pg_isready", ["-h", "127.0.0.1", "-q"]);
    return true;
  });
}

interface Running {
  stack: Stack;
  api: VersoProcess;
  embedder: VersoProcess;
  workers: VersoProcess[];
}

describe("faults during a scaled-out ingest", () => {
  let stack: Stack | undefined;
  let cacheServer: PrivateServer | undefined;
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
    await cacheServer?.kill().catch(() => {});
    cacheServer = undefined;
    // A fault whose restart failed half-way must not fail every test after it.
    await ensureSharedServersUp();
  });

  async function ingestThrough(
    name: string,
    options: StackOptions,
    fault: (running: Running) => Promise<void>,
  ): Promise<void> {
    const expected = await expectedCatalog(files);
    stack = await startStack(options);
    await stack.upload(files);
    const embedder = await stack.start("embedder", "embedder");
    await stack.ready(embedder);
    const api = await stack.start("api", "api");
    const crawler = await stack.start("crawler", "crawler");
    const workers = [await stack.start("worker-1", "worker"), await stack.start("worker-2", "worker")];
    for (const p of [api, crawler, ...workers]) await stack.ready(p);
    await waitFor("the first songs", async () => (await stack!.census()).songs >= 40, 600_000, 250);

    await fault({ stack, api, embedder, workers });

    const census = await waitFor(
      "every object to finish",
      async () => {
        const now = await stack!.census();
        return now.objects.length === files.length &&
          now.objects.every((o) => o.status === "done" || o.status === "failed")
          ? now
          : undefined;
      },
      900_000,
      1000,
    );
    const counts = {
      expected: expected.songs.size,
      present: census.songs,
      doubled: census.songs - census.distinctSongs,
      passagesExpected: expected.passages,
      passagesPresent: census.passages,
      passagesDoubled: census.doubledPassages,
    };
    console.log(`${name}: ${JSON.stringify(counts)}`);
    expect(census.objects.map((o) => [o.status, o.error])).toEqual(files.map(() => ["done", null]));
    expect(counts).toEqual({
      ...counts,
      present: expected.songs.size,
      doubled: 0,
      passagesPresent: expected.passages,
      passagesDoubled: 0,
    });
    // No process gave up: each is still alive and ready.
    for (const p of [api, embedder, crawler, ...workers]) {
      expect(p.child.exitCode, `${p.name}:\n${p.output().slice(-3000)}`).toBeNull();
      await stack.ready(p, 60_000);
    }
  }

  it("RabbitMQ restarted", async () => {
    await ingestThrough("RabbitMQ restarted", { dialect: "mariadb", cache: "memcached" }, restartRabbitmq);
  }, 1_200_000);

  it("MariaDB restarted", async () => {
    await ingestThrough("MariaDB restarted", { dialect: "mariadb", cache: "memcached" }, restartMariadb);
  }, 1_200_000);

  it("PostgreSQL restarted", async () => {
    await ingestThrough("PostgreSQL restarted", { dialect: "postgres", cache: "redis" }, restartPostgres);
  }, 1_200_000);

  it("the embedder process killed and started again", async () => {
    await ingestThrough(
      "embedder killed and restarted",
      { dialect: "mariadb", cache: "memcached" },
      async (running) => {
        await running.embedder.kill("SIGKILL");
        await new Promise((resolve) => setTimeout(resolve, 5000));
        const again = await running.stack.start("embedder-again", "embedder");
        await running.stack.ready(again);
      },
    );
  }, 1_200_000);

  it("the cache server killed while prompts are asked", async () => {
    cacheServer = await privateServer("memcached");
    await cacheServer.start();
    const server = cacheServer;
    const statuses: number[] = [];
    await ingestThrough(
      "cache server killed",
      { dialect: "mariadb", cache: "memcached", env: { VERSO_CACHE_URL: server.url } },
      async ({ api }) => {
        const ask = async (prompt: string) =>
          (
            await fetch(`${api.url}/api/ask`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ prompt }),
            })
          ).status;
        for (const prompt of ["love", "the night", "home"]) statuses.push(await ask(prompt));
        await server.kill("SIGKILL");
        for (let round = 0; round < 5; round += 1) {
          for (const prompt of ["love", "the night", "home", `round ${round}`])
            statuses.push(await ask(prompt));
        }
      },
    );
    console.log(
      `cache server killed: ${statuses.length} asks, ${statuses.filter((s) => s !== 200).length} failed`,
    );
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
  }, 1_200_000);
});
