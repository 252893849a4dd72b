/**
 * SIGTERM drains: a process serving the api and a worker stops taking requests, finishes the
 * one in flight, gives the object it is ingesting up at its next commit (queued again, the
 * lease released at once), and exits within VERSO_SHUTDOWN_TIMEOUT; a second worker process
 * resumes the object at once and the catalog ends complete, nothing doubled.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../src/paths.js";
import { expectedCatalog } from "../system/stack.js";
import { sharedDatasets, tempDir } from "../support/verso.js";
import { freePort } from "../support/ports.js";

const csvFile = path.join(sharedDatasets, "song-lyrics-21-artists", "CharliePuth.csv");
const dataDir = tempDir("verso-shutdown-");
const bucket = path.join(dataDir, "bucket");

function serve(roles: string, port: number) {
  const child = spawn(process.execPath, ["bin/verso.js", "serve"], {
    cwd: packageRoot,
    env: {
      ...process.env,
      VERSO_DATA_DIR: dataDir,
      VERSO_ROLES: roles,
      VERSO_PORT: String(port),
      VERSO_HOST: "127.0.0.1",
      VERSO_DEMO: "false",
      VERSO_EMBED_THREADS: "1",
      VERSO_SHUTDOWN_TIMEOUT: "20",
      VERSO_LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.on("exit", (code) => resolve({ code, at: Date.now() })),
  );
  return { child, exited, output: () => output, url: `http://127.0.0.1:${port}` };
}

const query = <T>(sql: string): T[] => {
  const db = new SQLite(path.join(dataDir, "verso.db"), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
};

async function until<T>(probe: () => Promise<T | undefined> | T | undefined, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await Promise.resolve()
      .then(probe)
      .catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("SIGTERM", () => {
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it("finishes the request in flight, hands the object over, and exits within its deadline", async () => {
    fs.mkdirSync(bucket, { recursive: true });
    fs.copyFileSync(csvFile, path.join(bucket, "CharliePuth.csv"));
    const first = serve("api,worker,crawler", await freePort());
    await until(
      async () => ((await fetch(`${first.url}/readyz`)).status === 200 ? true : undefined),
      120_000,
    );
    await until(
      () => (query<{ n: number }>("SELECT songs AS n FROM catalog_objects")[0]?.n ?? 0) >= 10 || undefined,
      300_000,
    );

    const inFlight = fetch(`${first.url}/api/ask`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ prompt: "a song about being lost and found" }),
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const signalled = Date.now();
    first.child.kill("SIGTERM");
    expect((await inFlight).status).toBe(200);
    const { code, at } = await first.exited;
    expect(code, first.output()).toBe(0);
    expect(at - signalled).toBeLessThan(20_000);
    await expect(fetch(`${first.url}/healthz`)).rejects.toThrow();

    // Given up cleanly: not done, and no lease left for another worker to wait out.
    const [object] = query<{ status: string; lease_token: string | null; songs: number }>(
      "SELECT status, lease_token, songs FROM catalog_objects",
    );
    expect(object).toMatchObject({ lease_token: null });
    expect(object!.status).not.toBe("done");

    const second = serve("worker", await freePort());
    await until(
      () =>
        query<{ status: string }>("SELECT status FROM catalog_objects")[0]?.status === "done"
          ? true
          : undefined,
      600_000,
    );
    second.child.kill("SIGTERM");
    expect((await second.exited).code).toBe(0);

    const expected = await expectedCatalog([csvFile]);
    const [counts] = query<{ songs: number; passages: number; doubled: number }>(`
      SELECT (SELECT count(*) FROM songs) AS songs, (SELECT count(*) FROM passages) AS passages,
             (SELECT count(*) FROM (SELECT song_id, ordinal FROM passages GROUP BY 1, 2 HAVING count(*) > 1)) AS doubled`);
    expect(counts).toEqual({ songs: expected.songs.size, passages: expected.passages, doubled: 0 });
  }, 900_000);
});
