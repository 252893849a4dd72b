/**
 * The cache server killed during a run of asks: every ask still answers (without the cache,
 * counted in verso_cache_fallbacks_total), never a 500; when the server is back, answers are
 * cached there again. Memcached and Redis, each a private server this test starts and kills.
 */
import fs from "node:fs";
import { parse } from "csv-parse/sync";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ingestOnce } from "../../src/roles/ingest-once.js";
import { demoCatalogFolder } from "../../src/paths.js";
import { privateServer, type PrivateServer } from "../support/private-server.js";
import { openTestVerso, tempDir, writeCsv } from "../support/verso.js";

const prompts = [
  "songs about the ocean",
  "missing my hometown",
  "canciones de amor",
  "dancing all night",
  "rain on the window",
  "my mother",
];

describe.each(["memcached", "redis"] as const)("asks while the %s cache server dies", (kind) => {
  let server: PrivateServer | undefined;
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    await server?.kill().catch(() => {});
  });

  it("answers every ask, with and without the cache, and uses the server again once it is back", async () => {
    server = await privateServer(kind);
    await server.start();
    const bucket = tempDir("verso-cache-bucket-");
    cleanups.push(() => fs.rmSync(bucket, { recursive: true, force: true }));
    // A part of the demo catalog: enough songs to answer, quick to ingest.
    const [header, ...rows] = parse(
      fs.readFileSync(path.join(demoCatalogFolder, "verso-demo-catalog.csv")),
    ) as string[][];
    writeCsv(path.join(bucket, "demo.csv"), header!, rows.slice(0, 30));
    const t = await openTestVerso({ cacheUrl: server.url, cacheTimeoutMs: "200" });
    cleanups.push(() => t.close());
    await ingestOnce(t.verso, `file://${bucket}`);

    const statuses: number[] = [];
    const ask = async (prompt: string) => {
      const reply = await t.app.inject({ method: "POST", url: "/api/ask", payload: { prompt } });
      statuses.push(reply.statusCode);
      return reply.json<{ cached: boolean; results: unknown[] }>();
    };
    for (const prompt of prompts) await ask(prompt);
    await new Promise((resolve) => setTimeout(resolve, 100)); // answers are stored after they are sent
    expect((await ask(prompts[0]!)).cached).toBe(true);

    await server.kill();
    for (let round = 0; round < 3; round += 1) {
      for (const prompt of prompts) expect((await ask(prompt)).results.length).toBeGreaterThan(0);
    }
    const metrics = (await t.app.inject({ method: "GET", url: "/metrics" })).body;
    const fallbacks = [...metrics.matchAll(/^verso_cache_fallbacks_total\{operation="(\w+)"\} (\d+)/gm)];
    expect(fallbacks.reduce((sum, m) => sum + Number(m[2]), 0)).toBeGreaterThan(0);

    await server.start();
    // The circuit breaker tries the server again after its cool-down (5 s).
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    await ask("a prompt asked only now");
    await new Promise((resolve) => setTimeout(resolve, 200));
    await ask("a prompt asked only now");
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await ask("a prompt asked only now")).cached).toBe(true);

    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(statuses.length).toBeGreaterThan(prompts.length * 4);
  }, 180_000);
});
