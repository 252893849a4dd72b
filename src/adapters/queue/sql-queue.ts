/**
 * Queue port, embedded: a durable job table in the SQL database. It keeps the semantics the
 * RabbitMQ adapter will have (manual ack, prefetch, dead-letter), so the worker never learns
 * which one it runs on.
 *
 * A delivery is a lease: the row goes ready → leased with an owner and an expiry, and its
 * `attempts` counter goes up by one. The pair (id, attempts) names one lease exactly, so every
 * later write (heartbeat, ack, retry, dead-letter) is guarded by it and a consumer whose lease
 * was taken over can never touch its successor's. A consumer extends its leases while its
 * handlers run; one that dies stops extending them, and the job becomes deliverable again
 * once the lease expires (at-least-once).
 *
 * Claims differ by dialect. On MariaDB and PostgreSQL, where workers of several processes
 * claim at once, a claim is one short transaction that locks the jobs it takes with
 * `FOR UPDATE SKIP LOCKED`, so concurrent claimers pass each other instead of queueing on (or
 * racing for) the same rows. SQLite has one writer at a time: there a claim reads candidates
 * and takes each with an UPDATE that re-checks what it read. Every other write is a single
 * auto-committed statement guarded by the lease.
 */
import { randomUUID } from "node:crypto";
import os from "node:os";
import type { JobQueue, QueueMessage, QueueStats, Subscription } from "../../core/ports.js";
import type { SqlContext } from "../sql/dialect-sql.js";

export interface SqlQueueOptions {
  /** Name of the queue in the jobs table; several queues share the table. */
  queue: string;
  /** How long a delivery stays owned without a heartbeat (default 30 s); how soon a dead consumer's job comes back. */
  leaseSeconds?: number;
  /** Deliveries before a job is dead-lettered, counting lost consumers (default 5). */
  maxAttempts?: number;
  /** Delay before the first retry; doubles with every attempt (default 2000 ms). */
  retryDelayMs?: number;
  /** Ceiling of the retry delay (default 5 min). */
  maxRetryDelayMs?: number;
  /** How often an idle consumer looks for work that another process enqueued (default 500 ms). */
  pollIntervalMs?: number;
  /** Recorded on leased rows to tell which process holds them (default host:pid:random). */
  owner?: string;
  /**
   * Errors that have no caller to go to: a failed poll, heartbeat or acknowledgement, a lost
   * lease. The queue goes on after them (the job comes back when its lease expires).
   * Default: console.error.
   */
  onError?: (error: unknown) => void;
}

const LAST_ERROR_MAX = 4000;
const OWNER_MAX = 100;

interface Lease {
  id: number;
  attempts: number;
  payload: string;
}

export function createSqlQueue<T>(context: SqlContext, options: SqlQueueOptions): JobQueue<T> {
  const { db, dialect } = context;
  const queue = options.queue;
  const leaseMs = positive("leaseSeconds", options.leaseSeconds ?? 30) * 1000;
  const maxAttempts = positiveInteger("maxAttempts", options.maxAttempts ?? 5);
  const retryDelayMs = nonNegative("retryDelayMs", options.retryDelayMs ?? 2000);
  const maxRetryDelayMs = nonNegative("maxRetryDelayMs", options.maxRetryDelayMs ?? 5 * 60_000);
  const pollIntervalMs = positive("pollIntervalMs", options.pollIntervalMs ?? 500);
  const owner = (options.owner ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`).slice(
    0,
    OWNER_MAX,
  );
  const onError = options.onError ?? ((error: unknown) => console.error(`verso: queue "${queue}":`, error));
  if (!queue) throw new RangeError("queue name must not be empty");

  const consumers = new Set<Consumer>();
  let closed = false;

  const now = () => Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();

  /**
   * Takes a ready job (or one whose lease expired) if nobody took it first. Reading the
   * candidate and updating it are two statements (MariaDB refuses an UPDATE whose subquery
   * reads the same table), so the UPDATE re-checks the state it read and the caller counts
   * the rows it changed: 0 means another consumer won the race.
   */
  async function take(row: Lease & { status: "ready" | "leased" }, at: number): Promise<boolean> {
    const result = await db
      .updateTable("jobs")
      .set({
        status: "leased",
        attempts: row.attempts + 1,
        lease_owner: owner,
        lease_expires_at: iso(at + leaseMs),
        updated_at: iso(at),
      })
      .where("id", "=", row.id)
      .where("attempts", "=", row.attempts)
      .where((eb) =>
        row.status === "ready"
          ? eb("status", "=", "ready")
          : eb.and([eb("status", "=", "leased"), eb("lease_expires_at", "<=", iso(at))]),
      )
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /** A job whose consumers keep dying (it may be what kills them) must not circulate forever. */
  async function buryAbandoned(row: Lease, at: number): Promise<void> {
    await db
      .updateTable("jobs")
      .set({
        status: "dead",
        lease_owner: null,
        lease_expires_at: null,
        last_error: `lease expired ${row.attempts} times: its consumer stopped before acknowledging`,
        updated_at: iso(at),
      })
      .where("id", "=", row.id)
      .where("attempts", "=", row.attempts)
      .where("status", "=", "leased")
      .where("lease_expires_at", "<=", iso(at))
      .execute();
  }

  /** MariaDB and PostgreSQL: lock what is deliverable, skipping rows other claimers hold. */
  async function claimLocked(limit: number): Promise<Lease[]> {
    return db.transaction().execute(async (trx) => {
      const at = now();
      const rows = await trx
        .selectFrom("jobs")
        .select(["id", "attempts", "payload", "status"])
        .where("queue", "=", queue)
        .where((eb) =>
          eb.or([
            eb.and([eb("status", "=", "ready"), eb("available_at", "<=", iso(at))]),
            eb.and([eb("status", "=", "leased"), eb("lease_expires_at", "<=", iso(at))]),
          ]),
        )
        .orderBy("id")
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .execute();
      const leases: Lease[] = [];
      for (const row of rows) {
        if (row.status === "leased" && row.attempts >= maxAttempts) {
          await trx
            .updateTable("jobs")
            .set({
              status: "dead",
              lease_owner: null,
              lease_expires_at: null,
              last_error: `lease expired ${row.attempts} times: its consumer stopped before acknowledging`,
              updated_at: iso(at),
            })
            .where("id", "=", row.id)
            .execute();
          continue;
        }
        await trx
          .updateTable("jobs")
          .set({
            status: "leased",
            attempts: row.attempts + 1,
            lease_owner: owner,
            lease_expires_at: iso(at + leaseMs),
            updated_at: iso(at),
          })
          .where("id", "=", row.id)
          .execute();
        leases.push({ id: row.id, attempts: row.attempts + 1, payload: row.payload });
      }
      return leases;
    });
  }

  async function claim(limit: number): Promise<Lease[]> {
    if (dialect !== "sqlite") return claimLocked(limit);
    const leases: Lease[] = [];
    for (;;) {
      const at = now();
      const want = limit - leases.length;
      // Abandoned jobs first: they are older than anything ready, and this is where a lost
      // consumer's work resumes. There are at most (consumers × prefetch) leased rows.
      const expired = await db
        .selectFrom("jobs")
        .select(["id", "attempts", "payload"])
        .where("queue", "=", queue)
        .where("status", "=", "leased")
        .where("lease_expires_at", "<=", iso(at))
        .orderBy("id")
        .limit(want)
        .execute();
      const ready =
        expired.length < want
          ? await db
              .selectFrom("jobs")
              .select(["id", "attempts", "payload"])
              .where("queue", "=", queue)
              .where("status", "=", "ready")
              .where("available_at", "<=", iso(at))
              .orderBy("available_at")
              .orderBy("id")
              .limit(want - expired.length)
              .execute()
          : [];
      // A candidate that was not delivered (buried, or taken by a faster consumer) may hide
      // more work behind it; when every candidate was delivered, that is all there is now.
      let undelivered = 0;
      for (const row of expired) {
        if (row.attempts >= maxAttempts) {
          await buryAbandoned(row, at);
          undelivered += 1;
        } else if (await take({ ...row, status: "leased" }, at)) {
          leases.push({ ...row, attempts: row.attempts + 1 });
        } else undelivered += 1;
      }
      for (const row of ready) {
        if (await take({ ...row, status: "ready" }, at)) leases.push({ ...row, attempts: row.attempts + 1 });
        else undelivered += 1;
      }
      if (undelivered === 0 || leases.length >= limit) return leases;
    }
  }

  const leaseGuard = (lease: Lease) =>
    db
      .updateTable("jobs")
      .where("id", "=", lease.id)
      .where("attempts", "=", lease.attempts)
      .where("status", "=", "leased")
      .where("lease_owner", "=", owner);

  async function extend(leases: readonly Lease[]): Promise<number> {
    if (leases.length === 0) return 0;
    const at = now();
    const result = await db
      .updateTable("jobs")
      .set({ lease_expires_at: iso(at + leaseMs), updated_at: iso(at) })
      .where("status", "=", "leased")
      .where("lease_owner", "=", owner)
      .where((eb) =>
        eb.or(leases.map((lease) => eb.and([eb("id", "=", lease.id), eb("attempts", "=", lease.attempts)]))),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async function ack(lease: Lease): Promise<void> {
    await db
      .deleteFrom("jobs")
      .where("id", "=", lease.id)
      .where("attempts", "=", lease.attempts)
      .where("status", "=", "leased")
      .where("lease_owner", "=", owner)
      .execute();
  }

  async function fail(lease: Lease, error: unknown): Promise<void> {
    const at = now();
    const lastError = describeError(error);
    if (lease.attempts >= maxAttempts) {
      await leaseGuard(lease)
        .set({
          status: "dead",
          lease_owner: null,
          lease_expires_at: null,
          last_error: lastError,
          updated_at: iso(at),
        })
        .execute();
      return;
    }
    const delay = Math.min(maxRetryDelayMs, retryDelayMs * 2 ** (lease.attempts - 1));
    await leaseGuard(lease)
      .set({
        status: "ready",
        available_at: iso(at + delay),
        lease_owner: null,
        lease_expires_at: null,
        last_error: lastError,
        updated_at: iso(at),
      })
      .execute();
  }

  class Consumer {
    private readonly running = new Map<number, { lease: Lease; done: Promise<void> }>();
    private stopping = false;
    private poked = false;
    private wakeSleeper: (() => void) | undefined;
    private beating = false;
    private readonly heartbeat: NodeJS.Timeout;
    private readonly loop: Promise<void>;
    private stopped: Promise<void> | undefined;
    private readonly handler: (message: QueueMessage<T>) => Promise<void>;
    private readonly prefetch: number;

    constructor(handler: (message: QueueMessage<T>) => Promise<void>, prefetch: number) {
      this.handler = handler;
      this.prefetch = prefetch;
      // A third of the lease leaves two missed beats of slack before anyone may take the job.
      this.heartbeat = setInterval(() => void this.beat(), Math.max(10, Math.floor(leaseMs / 3)));
      this.loop = this.run();
    }

    readonly poke = (): void => {
      this.poked = true;
      this.wakeSleeper?.();
    };

    stop(): Promise<void> {
      this.stopped ??= (async () => {
        this.stopping = true;
        this.poke();
        await this.loop;
        await Promise.all([...this.running.values()].map((r) => r.done));
        // Beats go on until the last handler settles, so a slow shutdown keeps its leases.
        clearInterval(this.heartbeat);
      })();
      return this.stopped;
    }

    private async run(): Promise<void> {
      const unsubscribe = wakeups.subscribe(queue, this.poke);
      try {
        while (!this.stopping) {
          this.poked = false;
          const free = this.prefetch - this.running.size;
          let claimed = 0;
          if (free > 0) {
            try {
              const leases = await claim(free);
              claimed = leases.length;
              // Leases taken while stop() was called are still started: they are ours now,
              // and running them is cheaper than waiting for them to expire.
              for (const lease of leases) this.start(lease);
            } catch (error) {
              onError(error);
            }
          }
          if (this.stopping) break;
          if (free > 0 && claimed === free) continue;
          await this.idle();
        }
      } finally {
        unsubscribe();
      }
    }

    private idle(): Promise<void> {
      if (this.poked) return Promise.resolve();
      return new Promise((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.wakeSleeper = undefined;
          resolve();
        };
        const timer = setTimeout(wake, pollIntervalMs);
        this.wakeSleeper = wake;
      });
    }

    private start(lease: Lease): void {
      const done = (async () => {
        let outcome: unknown = undefined;
        let failed = false;
        try {
          const payload = JSON.parse(lease.payload) as T;
          await this.handler({ id: String(lease.id), payload, attempt: lease.attempts });
        } catch (error) {
          failed = true;
          outcome = error;
        }
        try {
          if (failed) await fail(lease, outcome);
          else await ack(lease);
        } catch (error) {
          onError(error);
        }
      })().finally(() => {
        this.running.delete(lease.id);
        this.poke();
      });
      this.running.set(lease.id, { lease, done });
    }

    private async beat(): Promise<void> {
      if (this.beating || this.running.size === 0) return;
      this.beating = true;
      try {
        const leases = [...this.running.values()].map((r) => r.lease);
        const extended = await extend(leases);
        if (extended < leases.length) {
          // Either a handler settled between the snapshot and the update (harmless), or a
          // lease expired before this beat and another consumer may now run the same job.
          const still = leases.filter((lease) => this.running.has(lease.id)).length;
          if (extended < still) {
            onError(
              new Error(
                `queue "${queue}": ${still - extended} lease(s) expired before the heartbeat; ` +
                  `their jobs may run twice (is the event loop blocked longer than ${leaseMs} ms?)`,
              ),
            );
          }
        }
      } catch (error) {
        onError(error);
      } finally {
        this.beating = false;
      }
    }
  }

  return {
    async enqueue(payload) {
      if (closed) throw new Error(`queue "${queue}" is closed`);
      const text = JSON.stringify(payload);
      if (text === undefined) throw new TypeError(`queue "${queue}": the payload is not JSON-serializable`);
      const at = iso(now());
      await db
        .insertInto("jobs")
        .values({
          queue,
          payload: text,
          status: "ready",
          attempts: 0,
          available_at: at,
          created_at: at,
          updated_at: at,
        })
        .execute();
      wakeups.notify(queue);
    },

    consume(handler, { prefetch }) {
      if (closed) throw new Error(`queue "${queue}" is closed`);
      positiveInteger("prefetch", prefetch);
      const consumer = new Consumer(handler, prefetch);
      consumers.add(consumer);
      const subscription: Subscription = {
        stop: () => consumer.stop().finally(() => consumers.delete(consumer)),
      };
      return subscription;
    },

    async stats(): Promise<QueueStats> {
      const rows = await db
        .selectFrom("jobs")
        .select((eb) => ["status", eb.fn.countAll<number | string | bigint>().as("count")])
        .where("queue", "=", queue)
        .groupBy("status")
        .execute();
      const count = (status: string) => Number(rows.find((r) => r.status === status)?.count ?? 0);
      return { ready: count("ready"), inFlight: count("leased"), dead: count("dead") };
    },

    /** Stops every consumer of this handle and waits for their handlers; the database stays open (it is the caller's). */
    async close() {
      closed = true;
      await Promise.all([...consumers].map((consumer) => consumer.stop()));
      consumers.clear();
    },
  };
}

/**
 * Lets an enqueue wake the idle consumers of the same process at once instead of at their
 * next poll. Keyed by queue name only: a consumer of another database woken by mistake just
 * polls once, which is cheaper than tracking which handles share a file.
 */
const wakeups = (() => {
  const listeners = new Map<string, Set<() => void>>();
  return {
    subscribe(queue: string, listener: () => void): () => void {
      const set = listeners.get(queue) ?? new Set<() => void>();
      listeners.set(queue, set);
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(queue);
      };
    },
    notify(queue: string): void {
      for (const listener of listeners.get(queue) ?? []) listener();
    },
  };
})();

function describeError(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return text.length > LAST_ERROR_MAX ? `${text.slice(0, LAST_ERROR_MAX - 1)}…` : text;
}

function positive(name: string, value: number): number {
  if (!(Number.isFinite(value) && value > 0))
    throw new RangeError(`${name} must be a positive number, got ${value}`);
  return value;
}

function nonNegative(name: string, value: number): number {
  if (!(Number.isFinite(value) && value >= 0))
    throw new RangeError(`${name} must be zero or more, got ${value}`);
  return value;
}

function positiveInteger(name: string, value: number): number {
  if (!(Number.isInteger(value) && value > 0))
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}
