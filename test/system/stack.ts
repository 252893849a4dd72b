/**
 * Verso as it runs scaled out: each role a process of its own (`node bin/verso.js serve
 * --roles …`, the built program), on real engines: MariaDB or PostgreSQL, RabbitMQ, an
 * S3-compatible server, Memcached or Redis; the embedding model in an embedder process that
 * the other roles reach over HTTP. Everything the stack creates is named uniquely and removed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { sql } from "kysely";
import { openDatabase, type SqlDatabase, type SqlDialect } from "../../src/adapters/sql/database.js";
import { readCatalogCsv } from "../../src/core/catalog/csv.js";
import { judgeLyrics, toPassages } from "../../src/core/catalog/lyrics.js";
import { packageRoot } from "../../src/paths.js";
import { createTestDatabaseUrl } from "../support/databases.js";
import { startS3Server, type S3TestServer } from "../support/s3-server.js";
import { testServers, uniqueName } from "../support/servers.js";
import { sharedDatasets, tempDir } from "../support/verso.js";
import { freePort } from "../support/ports.js";
import { ensureSharedServersUp } from "./shared-servers.js";

export type StackRole = "api" | "worker" | "crawler" | "embedder";

export interface VersoProcess {
  name: string;
  url: string;
  port: number;
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or signal) once the process is gone. */
  exited: Promise<number | NodeJS.Signals | null>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface StackOptions {
  dialect: Exclude<SqlDialect, "sqlite">;
  cache: "memcached" | "redis";
  /** Settings for every role (VERSO_* names). */
  env?: Record<string, string>;
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 120_000,
  everyMs = 250,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > until)
      throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** The songs and passages a set of catalog files should give, read with Verso's own rules. */
export async function expectedCatalog(files: string[]): Promise<{ songs: Set<string>; passages: number }> {
  const songs = new Map<string, number>();
  for (const file of files) {
    for await (const event of readCatalogCsv(Readable.from([fs.readFileSync(file)]))) {
      if (event.kind !== "song") continue;
      const lyrics = judgeLyrics(event.song.lyrics);
      // The same id twice: the later row wins, as in the catalog.
      songs.set(event.song.id, lyrics.status === "ok" ? toPassages(lyrics.text).length : 0);
    }
  }
  return { songs: new Set(songs.keys()), passages: [...songs.values()].reduce((s, n) => s + n, 0) };
}

export const datasetFiles = (...names: string[]) =>
  names.map((name) => path.join(sharedDatasets, "song-lyrics-21-artists", `${name}.csv`));

export async function startStack(options: StackOptions) {
  await ensureSharedServersUp();
  const processes: VersoProcess[] = [];
  const dataDirs: string[] = [];
  const s3: S3TestServer = await startS3Server();
  const bucket = await s3.createBucket();
  const database = await createTestDatabaseUrl(options.dialect);
  const db: SqlDatabase = await openDatabase(database.url);
  const queueName = uniqueName("verso_system");
  const embedderPort = await freePort();

  const baseEnv: Record<string, string> = {
    VERSO_DATABASE_URL: database.url,
    VERSO_QUEUE_URL: testServers.rabbitmq,
    VERSO_QUEUE_NAME: queueName,
    VERSO_BUCKET_URL: `s3://${bucket}/catalog`,
    VERSO_S3_ENDPOINT: s3.endpoint,
    VERSO_S3_PATH_STYLE: "true",
    VERSO_S3_REGION: s3.region,
    VERSO_S3_ACCESS_KEY_ID: s3.credentials.accessKeyId,
    VERSO_S3_SECRET_ACCESS_KEY: s3.credentials.secretAccessKey,
    VERSO_CACHE_URL: options.cache === "memcached" ? testServers.memcached : testServers.redis,
    VERSO_CACHE_PREFIX: `${queueName}:`,
    VERSO_EMBEDDER: `http://127.0.0.1:${embedderPort}`,
    VERSO_EMBED_THREADS: "2",
    VERSO_DEMO: "false",
    VERSO_CRAWL_SCHEDULE: "*/3 * * * * *",
    VERSO_QUEUE_LEASE: "5",
    VERSO_HOST: "127.0.0.1",
    VERSO_LOG_LEVEL: "info",
    ...options.env,
  };

  async function start(
    name: string,
    role: StackRole,
    env: Record<string, string> = {},
  ): Promise<VersoProcess> {
    const port = role === "embedder" ? embedderPort : await freePort();
    const dataDir = tempDir(`verso-system-${name}-`);
    dataDirs.push(dataDir);
    const child = spawn(process.execPath, ["bin/verso.js", "serve"], {
      cwd: packageRoot,
      env: {
        ...process.env,
        ...baseEnv,
        ...(role === "embedder" ? { VERSO_EMBEDDER: "use-lite" } : {}),
        VERSO_ROLES: role,
        VERSO_PORT: String(port),
        VERSO_DATA_DIR: dataDir,
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
      child.on("exit", (code, signal) => resolve(code ?? signal)),
    );
    const started: VersoProcess = {
      name,
      url: `http://127.0.0.1:${port}`,
      port,
      child,
      output: () => output,
      exited,
      async kill(signal = "SIGTERM") {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        await exited;
      },
    };
    processes.push(started);
    return started;
  }

  async function ready(process_: VersoProcess, timeoutMs = 120_000): Promise<void> {
    await waitFor(
      `${process_.name} to be ready`,
      async () => {
        if (process_.child.exitCode !== null)
          throw new Error(`${process_.name} exited:\n${process_.output()}`);
        return (await fetch(`${process_.url}/readyz`)).status === 200;
      },
      timeoutMs,
    );
  }

  return {
    s3,
    bucket,
    db,
    databaseUrl: database.url,
    queueName,
    start,
    ready,
    processes,
    async upload(files: string[]) {
      for (const file of files) await s3.put(bucket, `catalog/${path.basename(file)}`, fs.readFileSync(file));
    },
    /** What the catalog holds, straight from the database. */
    async census() {
      const count = async (query: ReturnType<typeof sql<{ n: number }>>) =>
        Number((await query.execute(db.db)).rows[0]!.n);
      return {
        songs: await count(sql<{ n: number }>`SELECT count(*) AS n FROM songs`),
        distinctSongs: await count(sql<{ n: number }>`SELECT count(DISTINCT id) AS n FROM songs`),
        passages: await count(sql<{ n: number }>`SELECT count(*) AS n FROM passages`),
        doubledPassages: await count(
          sql<{
            n: number;
          }>`SELECT count(*) AS n FROM (SELECT song_id, ordinal FROM passages GROUP BY song_id, ordinal HAVING count(*) > 1) d`,
        ),
        objects: await db.db
          .selectFrom("catalog_objects")
          .select(["key", "status", "error", "started_at", "finished_at", "songs"])
          .execute(),
      };
    },
    async stop() {
      await Promise.all(processes.map((p) => p.kill("SIGKILL")));
      await db.close();
      await database.drop();
      await s3.stop();
      for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type Stack = Awaited<ReturnType<typeof startStack>>;

/** Songs per second from the first object started to the last finished. */
export function songsPerSecond(
  objects: { started_at: string | null; finished_at: string | null; songs: number }[],
) {
  const starts = objects.map((o) => Date.parse(o.started_at ?? "")).filter(Number.isFinite);
  const ends = objects.map((o) => Date.parse(o.finished_at ?? "")).filter(Number.isFinite);
  const seconds = (Math.max(...ends) - Math.min(...starts)) / 1000;
  return objects.reduce((s, o) => s + o.songs, 0) / seconds;
}

/** Waits until every one of `objects` catalog objects is done or failed, and returns the census. */
export async function allFinished(stack: Stack, objects: number) {
  return waitFor(
    "every object to finish",
    async () => {
      const census = await stack.census();
      return census.objects.length === objects &&
        census.objects.every((o) => o.status === "done" || o.status === "failed")
        ? census
        : undefined;
    },
    900_000,
    1000,
  );
}
