/**
 * The scale-out engines against their embedded twins, side by side in one run:
 *
 *   npm run bench -- --only caches,remote-embedder
 *
 * caches            POST /api/ask (app.inject, the whole HTTP stack) with each cache: the
 *                   in-process LRU, Memcached, Redis; each prompt uncached once, then cached
 * remote-embedder   the same objects ingested twice into fresh catalogs: with the model in
 *                   process, and with it behind Verso's embedder role in another process
 *                   (HTTP, /v1/embeddings); songs/s of each, and their ratio
 *
 * Memcached and Redis are the servers the tests use (VERSO_TEST_MEMCACHED_URL,
 * VERSO_TEST_REDIS_URL; the machine's own by default), with a key prefix of this run.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { composeVerso } from "../src/compose/index.js";
import { loadConfig } from "../src/config.js";
import { packageRoot, sharedDir } from "../src/paths.js";
import { buildProcessApp } from "../src/roles/server.js";
import { ingestOnce } from "../src/roles/ingest-once.js";
import { testServers, uniqueName } from "../test/support/servers.js";
import { percentiles, type Percentiles } from "./embedder.js";
import { benchPrompts } from "./prompts.js";

type Log = (line: string) => void;
const ms = (p: Percentiles) => `p50 ${p.p50.toFixed(2)} ms · p99 ${p.p99.toFixed(2)} ms`;

function scratch(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A bucket folder holding the named files of the 21-artists set. */
function bucketOf(names: string[]): string {
  const folder = scratch("verso-bench-bucket-");
  for (const name of names) {
    fs.copyFileSync(
      path.join(sharedDir, "datasets", "song-lyrics-21-artists", `${name}.csv`),
      path.join(folder, `${name}.csv`),
    );
  }
  return folder;
}

export async function benchCaches(log: Log): Promise<[string, string][]> {
  const bucket = bucketOf(["Khalid", "CharliePuth"]);
  const dataDir = scratch("verso-bench-caches-");
  const summary: [string, string][] = [];
  try {
    // One catalog, ingested once; each cache then serves the same asks over it.
    const setup = composeVerso(loadConfig({}, { dataDir, demo: false, logLevel: "warn" }));
    await (await setup.index()).refresh();
    await ingestOnce(setup, `file://${bucket}`);
    await setup.close();

    const caches = [
      ["memory", "memory"],
      ["memcached", testServers.memcached],
      ["redis", testServers.redis],
    ] as const;
    const prompts = benchPrompts.slice(0, 60);
    log(`\n── ask with each cache: ${prompts.length} prompts, uncached then cached (app.inject) ──`);
    for (const [name, url] of caches) {
      const verso = composeVerso(
        loadConfig(
          {},
          {
            dataDir,
            demo: false,
            logLevel: "warn",
            cacheUrl: url,
            cachePrefix: `${uniqueName("bench")}:`,
            rateLimitFactor: 0,
          },
        ),
      );
      try {
        await (await verso.index()).refresh();
        const app = await buildProcessApp(verso, new Set(["api"]));
        const timed = async (prompt: string) => {
          const began = performance.now();
          const reply = await app.inject({ method: "POST", url: "/api/ask", payload: { prompt } });
          const elapsed = performance.now() - began;
          if (reply.statusCode !== 200) throw new Error(`${name}: ${reply.statusCode} ${reply.body}`);
          return { elapsed, cached: reply.json<{ cached: boolean }>().cached };
        };
        for (let i = 0; i < 10; i += 1) await timed(`warming up ${name} ${i}`);
        const uncached: number[] = [];
        const cached: number[] = [];
        for (const prompt of prompts) {
          uncached.push((await timed(prompt)).elapsed);
          // The answer is stored just after it is sent.
          await new Promise((resolve) => setTimeout(resolve, 5));
          const again = await timed(prompt);
          if (!again.cached) throw new Error(`${name}: the second ask of "${prompt}" was not cached`);
          cached.push(again.elapsed);
        }
        const u = percentiles(uncached);
        const c = percentiles(cached);
        log(`${name.padEnd(10)} uncached ${ms(u)}   cached ${ms(c)}`);
        summary.push([
          `ask, ${name} cache: uncached / cached p50`,
          `${u.p50.toFixed(2)} / ${c.p50.toFixed(2)} ms`,
        ]);
        await app.close();
      } finally {
        await verso.close();
      }
    }
  } finally {
    fs.rmSync(bucket, { recursive: true, force: true });
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return summary;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function benchRemoteEmbedder(log: Log, threads: number): Promise<[string, string][]> {
  const names = ["Khalid", "CharliePuth"];
  log(
    `\n── ingest with the model in process vs behind the embedder role (${names.join(", ")}; ${threads} threads) ──`,
  );
  const rates: Record<string, number> = {};
  const port = await freePort();
  const embedderDir = scratch("verso-bench-embedder-");
  const embedder = spawn(process.execPath, ["bin/verso.js", "serve"], {
    cwd: packageRoot,
    env: {
      ...process.env,
      VERSO_ROLES: "embedder",
      VERSO_PORT: String(port),
      VERSO_HOST: "127.0.0.1",
      VERSO_DATA_DIR: embedderDir,
      VERSO_EMBED_THREADS: String(threads),
      VERSO_LOG_LEVEL: "warn",
    },
    stdio: "ignore",
  });
  try {
    for (;;) {
      if (embedder.exitCode !== null) throw new Error("the embedder role exited");
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ready) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    for (const [label, setting] of [
      ["in process", "use-lite"],
      ["embedder role over HTTP", `http://127.0.0.1:${port}`],
    ] as const) {
      const bucket = bucketOf(names);
      const dataDir = scratch("verso-bench-remote-");
      const verso = composeVerso(
        loadConfig(
          {},
          { dataDir, demo: false, logLevel: "warn", embedder: setting, embedThreads: String(threads) },
        ),
        // This process only ingests: it keeps no vector index of its own, as a worker would.
        { searches: false },
      );
      try {
        const run = await ingestOnce(verso, `file://${bucket}`);
        const songs = run.objects.reduce((s, o) => s + o.songs, 0);
        const passages = run.objects.reduce((s, o) => s + o.passages, 0);
        rates[label] = songs / (run.ms / 1000);
        log(
          `${label.padEnd(26)} ${songs} songs, ${passages} passages in ${(run.ms / 1000).toFixed(1)} s = ${rates[label]!.toFixed(2)} songs/s`,
        );
      } finally {
        await verso.close();
        fs.rmSync(bucket, { recursive: true, force: true });
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
    }
  } finally {
    embedder.kill("SIGTERM");
    fs.rmSync(embedderDir, { recursive: true, force: true });
  }
  const ratio = rates["embedder role over HTTP"]! / rates["in process"]!;
  log(`remote / in process = ${ratio.toFixed(2)}`);
  return [
    [
      "ingest songs/s, in process vs remote embedder",
      `${rates["in process"]!.toFixed(2)} vs ${rates["embedder role over HTTP"]!.toFixed(2)} (×${ratio.toFixed(2)})`,
    ],
  ];
}
