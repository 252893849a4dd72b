import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { createSqlQueue, type SqlQueueOptions } from "../../src/adapters/queue/sql-queue.js";
import { openDatabase, type SqlDatabase } from "../../src/adapters/sql/database.js";
import { createTestDatabaseUrl, openTestDatabase, testDialect } from "../support/databases.js";
import type { JobQueue } from "../../src/core/ports.js";
import { describeQueueContract, gate, waitFor, type TestJob } from "./queue.contract.js";

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * One database that several connections (several consumers, or processes) open, on the dialect
 * under test: a SQLite file, or a MariaDB database / PostgreSQL schema of its own.
 */
async function sharedDatabase(): Promise<{ url: string; remove: () => Promise<void> }> {
  if (testDialect !== "sqlite") {
    const { url, drop } = await createTestDatabaseUrl();
    return { url, remove: drop };
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "verso-queue-"));
  return {
    url: `sqlite:${path.join(dir, "verso.db")}`,
    remove: () => fs.rm(dir, { recursive: true, force: true }),
  };
}

describeQueueContract(`SQL queue on ${testDialect}, one connection per consumer`, async (settings) => {
  const { url, remove } = await sharedDatabase();
  const connections: Array<{
    database: SqlDatabase;
    queue: JobQueue<TestJob>;
    errors: unknown[];
    killed: boolean;
  }> = [];
  return {
    async connect() {
      const database = await openDatabase(url);
      const errors: unknown[] = [];
      const queue = createSqlQueue<TestJob>(database, {
        queue: "contract",
        leaseSeconds: settings.lostConsumerTimeoutMs / 1000,
        maxAttempts: settings.maxAttempts,
        retryDelayMs: settings.retryDelayMs,
        pollIntervalMs: 25,
        owner: `consumer-${connections.length + 1}`,
        onError: (error) => errors.push(error),
      });
      connections.push({ database, queue, errors, killed: false });
      return queue;
    },
    async kill(queue) {
      const connection = connections.find((c) => c.queue === queue);
      if (!connection) throw new Error("not a connection of this harness");
      // Without its database the consumer can neither heartbeat nor acknowledge: to everyone
      // else it is gone, as a killed process is.
      connection.killed = true;
      await connection.database.close();
    },
    async close() {
      for (const connection of connections) {
        await connection.queue.close();
        if (!connection.killed) await connection.database.close();
      }
      await remove();
      const unexpected = connections.filter((c) => !c.killed).flatMap((c) => c.errors);
      if (unexpected.length > 0)
        throw new AggregateError(unexpected, "background errors in live connections");
    },
  };
});

describe("SQL queue: what the table shows", () => {
  const cleanups: Array<() => Promise<void>> = [];
  const gates: Array<() => void> = [];
  afterEach(async () => {
    // Handlers still held (a failed test) would keep every close() below waiting.
    for (const open of gates.splice(0)) open();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function hold() {
    const held = gate();
    gates.push(held.open);
    return held;
  }

  async function fileDatabase() {
    const { url, remove } = await sharedDatabase();
    cleanups.push(remove);
    const open = async () => {
      const database = await openDatabase(url);
      cleanups.push(() => database.close());
      return database;
    };
    return { url, open };
  }

  function queueOn(database: SqlDatabase, options: Partial<SqlQueueOptions> = {}) {
    const errors: unknown[] = [];
    const queue = createSqlQueue<TestJob>(database, {
      queue: "jobs",
      pollIntervalMs: 25,
      retryDelayMs: 10,
      onError: (error) => errors.push(error),
      ...options,
    });
    cleanups.push(() => queue.close());
    return { queue, errors };
  }

  const jobRows = (database: SqlDatabase) =>
    database.db.selectFrom("jobs").selectAll().orderBy("id").execute();

  it("keeps a dead-lettered job with its attempts and last error for inspection", async () => {
    const database = await openTestDatabase();
    cleanups.push(() => database.close());
    const { queue } = queueOn(database, { maxAttempts: 2 });
    const subscription = queue.consume(
      async (message) => {
        throw new Error(`cannot parse object ${message.payload.n}`);
      },
      { prefetch: 1 },
    );
    await queue.enqueue({ n: 7 });
    await waitFor(async () => (await queue.stats()).dead === 1, "a dead job");
    await subscription.stop();
    const [row] = await jobRows(database);
    expect(row).toMatchObject({ queue: "jobs", status: "dead", attempts: 2, lease_owner: null });
    expect(JSON.parse(row!.payload)).toEqual({ n: 7 });
    expect(row!.last_error).toContain("cannot parse object 7");
  });

  it("puts a failed job back with its error and a later available_at", async () => {
    const database = await openTestDatabase();
    cleanups.push(() => database.close());
    const { queue } = queueOn(database, { maxAttempts: 5, retryDelayMs: 60_000 });
    const subscription = queue.consume(
      async () => {
        throw new Error("database busy");
      },
      { prefetch: 1 },
    );
    const before = new Date().toISOString();
    await queue.enqueue({ n: 1 });
    await waitFor(
      async () => (await jobRows(database))[0]?.attempts === 1 && (await queue.stats()).ready === 1,
      "a retry",
    );
    await subscription.stop();
    const [row] = await jobRows(database);
    expect(row).toMatchObject({ status: "ready", attempts: 1, lease_owner: null, lease_expires_at: null });
    expect(row!.last_error).toContain("database busy");
    expect(row!.available_at > new Date(Date.parse(before) + 59_000).toISOString()).toBe(true);
  });

  it("wakes an idle consumer of the same process as soon as a job is enqueued", async () => {
    const database = await openTestDatabase();
    cleanups.push(() => database.close());
    // A poll interval far beyond the wait below: only the wake-up can deliver in time.
    const { queue } = queueOn(database, { pollIntervalMs: 120_000 });
    const seen: number[] = [];
    const subscription = queue.consume(
      async (message) => {
        seen.push(message.payload.n);
      },
      { prefetch: 1 },
    );
    await queue.enqueue({ n: 1 });
    await waitFor(() => seen.length === 1, "the first job", 10_000);
    await queue.enqueue({ n: 2 });
    await waitFor(() => seen.length === 2, "the second job", 10_000);
    await subscription.stop();
  });

  it("keeps the lease of a handler that runs longer than the lease, so no one else takes the job", async () => {
    const { open } = await fileDatabase();
    const first = await open();
    const second = await open();
    const { queue: a, errors } = queueOn(first, { leaseSeconds: 1, owner: "a" });
    const { queue: b } = queueOn(second, { leaseSeconds: 1, owner: "b" });
    const held = hold();
    const byA: number[] = [];
    const byB: number[] = [];
    const subA = a.consume(
      async (message) => {
        byA.push(message.attempt);
        await held.wait;
      },
      { prefetch: 1 },
    );
    await a.enqueue({ n: 1 });
    await waitFor(() => byA.length === 1, "delivery to a");
    const subB = b.consume(
      async (message) => {
        byB.push(message.attempt);
      },
      { prefetch: 1 },
    );
    const [leased] = await jobRows(first);
    const firstExpiry = Date.parse(leased!.lease_expires_at!);
    // Heartbeats have carried the lease more than two lease lengths past where it began.
    await waitFor(
      async () => Date.parse((await jobRows(first))[0]?.lease_expires_at ?? "0") > firstExpiry + 2000,
      "the lease to be extended",
    );
    held.open();
    await waitFor(async () => (await a.stats()).inFlight === 0, "the acknowledgement");
    await Promise.all([subA.stop(), subB.stop()]);
    expect(byA).toEqual([1]);
    expect(byB).toEqual([]);
    expect(await jobRows(first)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("ignores the late acknowledgement of a consumer whose lease was taken over", async () => {
    const { open } = await fileDatabase();
    const first = await open();
    const second = await open();
    // Long leases: the heartbeat of a (every 200 s) cannot rescue the lease expired by hand below.
    const { queue: a } = queueOn(first, { leaseSeconds: 600, owner: "a" });
    const { queue: b } = queueOn(second, { leaseSeconds: 600, owner: "b" });
    const heldA = hold();
    const heldB = hold();
    let aDone = false;
    let bStarted = false;
    const subA = a.consume(
      async () => {
        await heldA.wait;
        aDone = true;
      },
      { prefetch: 1 },
    );
    await a.enqueue({ n: 1 });
    await waitFor(async () => (await a.stats()).inFlight === 1, "delivery to a");
    // As if a had stopped heartbeating long enough for its lease to run out.
    await first.db.updateTable("jobs").set({ lease_expires_at: "2000-01-01T00:00:00.000Z" }).execute();
    const subB = b.consume(
      async () => {
        bStarted = true;
        await heldB.wait;
      },
      { prefetch: 1 },
    );
    await waitFor(() => bStarted, "redelivery to b");
    heldA.open();
    await waitFor(() => aDone, "a to finish");
    await subA.stop();
    const [row] = await jobRows(first);
    expect(row).toMatchObject({ status: "leased", lease_owner: "b", attempts: 2 });
    heldB.open();
    await subB.stop();
    expect(await jobRows(first)).toEqual([]);
  });

  it("dead-letters a job whose consumers keep dying instead of passing it on for ever", async () => {
    const { open } = await fileDatabase();
    const victims = [await open(), await open()];
    const held = hold();
    for (const [index, database] of victims.entries()) {
      const { queue } = queueOn(database, { leaseSeconds: 0.3, maxAttempts: 2, owner: `victim-${index}` });
      if (index === 0) await queue.enqueue({ n: 1 });
      let taken = false;
      queue.consume(
        async () => {
          taken = true;
          await held.wait;
        },
        { prefetch: 1 },
      );
      await waitFor(() => taken, `delivery to victim ${index}`);
      await database.close();
    }
    const observer = await open();
    const { queue } = queueOn(observer, { leaseSeconds: 0.3, maxAttempts: 2, owner: "observer" });
    let delivered = false;
    queue.consume(
      async () => {
        delivered = true;
      },
      { prefetch: 1 },
    );
    await waitFor(async () => (await queue.stats()).dead === 1, "the job to be dead-lettered");
    expect(delivered).toBe(false);
    const [row] = await jobRows(observer);
    expect(row).toMatchObject({ status: "dead", attempts: 2 });
    expect(row!.last_error).toMatch(/lease expired 2 times/);
  });

  it("redelivers the job of a consumer process killed with SIGKILL mid-job", async () => {
    const { url, open } = await fileDatabase();
    const database = await open();
    const { queue, errors } = queueOn(database, { queue: "kill", owner: "survivor", leaseSeconds: 30 });
    await queue.enqueue({ n: 1 });

    const child = spawn(
      process.execPath,
      ["--import", "tsx", path.join(here, "queue.sql-consumer.ts"), url, "kill", "1"],
      { cwd: path.resolve(here, "../.."), stdio: ["ignore", "pipe", "pipe"] },
    );
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
      child.on("exit", (code, signal) => resolve(signal ?? code)),
    );
    cleanups.push(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    await waitFor(() => stdout.includes("started"), `the child to take the job (stderr: ${stderr})`, 30_000);
    expect(stdout).toMatch(/^started \d+ 1\n/);

    // While the child lives, its heartbeat keeps the job: the lease moves forward.
    const [leased] = await jobRows(database);
    expect(leased).toMatchObject({ status: "leased", lease_owner: "doomed", attempts: 1 });
    await waitFor(
      async () => ((await jobRows(database))[0]?.lease_expires_at ?? "") > leased!.lease_expires_at!,
      "a heartbeat from the child",
    );

    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");

    const attempts: number[] = [];
    const subscription = queue.consume(
      async (message) => {
        attempts.push(message.attempt);
      },
      { prefetch: 1 },
    );
    await waitFor(() => attempts.length === 1, "the redelivery after the lease expired");
    await waitFor(async () => (await jobRows(database)).length === 0, "the acknowledgement");
    await subscription.stop();
    expect(attempts).toEqual([2]);
    expect(errors).toEqual([]);
  });

  it("shares the jobs table between queues without mixing them", async () => {
    const database = await openTestDatabase();
    cleanups.push(() => database.close());
    const { queue: ingest } = queueOn(database, { queue: "ingest" });
    const { queue: other } = queueOn(database, { queue: "other" });
    await ingest.enqueue({ n: 1 });
    await other.enqueue({ n: 2 });
    await other.enqueue({ n: 3 });
    expect(await ingest.stats()).toEqual({ ready: 1, inFlight: 0, dead: 0 });
    const seen: number[] = [];
    const subscription = ingest.consume(
      async (message) => {
        seen.push(message.payload.n);
      },
      { prefetch: 4 },
    );
    await waitFor(async () => (await ingest.stats()).ready === 0 && seen.length === 1, "the ingest job");
    await subscription.stop();
    expect(seen).toEqual([1]);
    expect(await other.stats()).toEqual({ ready: 2, inFlight: 0, dead: 0 });
  });

  it("refuses work after close() and settles its consumers", async () => {
    const database = await openTestDatabase();
    cleanups.push(() => database.close());
    const { queue } = queueOn(database);
    const held = hold();
    let finished = false;
    queue.consume(
      async () => {
        await held.wait;
        finished = true;
      },
      { prefetch: 1 },
    );
    await queue.enqueue({ n: 1 });
    await waitFor(async () => (await queue.stats()).inFlight === 1, "a running handler");
    const closing = queue.close();
    held.open();
    await closing;
    expect(finished).toBe(true);
    expect(await queue.stats()).toEqual({ ready: 0, inFlight: 0, dead: 0 });
    await expect(queue.enqueue({ n: 2 })).rejects.toThrow(/closed/);
    expect(() => queue.consume(async () => {}, { prefetch: 1 })).toThrow(/closed/);
  });

  it("rejects a payload that JSON cannot carry", async () => {
    const database = await openTestDatabase();
    cleanups.push(() => database.close());
    const queue = createSqlQueue<unknown>(database, { queue: "jobs" });
    cleanups.push(() => queue.close());
    await expect(queue.enqueue(undefined)).rejects.toThrow(/JSON/);
  });
});
