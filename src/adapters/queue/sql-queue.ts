/**
 * Queue port, embedded: a durable job table in the SQL database. It keeps the semantics the
 * RabbitMQ adapter has (manual ack, prefetch, dead-letter), so the worker never learns which
 * one it runs on.
 *
 * A delivery is a lease: the row goes ready → leased with an owner and an expiry, and its
 * `attempts` counter goes up by one. The pair (id, attempts) names one lease exactly, so every
 * later write (heartbeat, ack, retry, dead-letter) is guarded by it and a consumer whose lease
 * was taken over can never touch its successor's. A consumer extends its leases while its
 * handlers run; one that dies stops extending them, and the job becomes deliverable again
 * once the lease expires (at-least-once).
 *
 * Claims differ by dialect (sql-queue-claims.ts); every other write is a single auto-committed
 * statement guarded by the lease (sql-queue-leases.ts); the consumer's loop and heartbeat are
 * sql-queue-consumer.ts.
 */
import { randomUUID } from "node:crypto";
import os from "node:os";
import type { JobQueue, QueueMessage, QueueStats, Subscription } from "../../core/ports.js";
import type { SqlContext } from "../sql/dialect-sql.js";
import { SqlQueueClaims } from "./sql-queue-claims.js";
import { SqlQueueConsumer, type SqlQueueConsumerDeps } from "./sql-queue-consumer.js";
import { SqlQueueLeases, iso } from "./sql-queue-leases.js";
import { notifyEnqueued } from "./sql-queue-wakeups.js";

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

const OWNER_MAX = 100;

export function createSqlQueue<T>(context: SqlContext, options: SqlQueueOptions): JobQueue<T> {
  return new SqlQueue<T>(context, options);
}

class SqlQueue<T> implements JobQueue<T> {
  private readonly db: SqlContext["db"];
  private readonly name: string;
  /** What every consumer of this handle shares: the handler and prefetch are each one's own. */
  private readonly consumerDeps: Omit<SqlQueueConsumerDeps<T>, "handler" | "prefetch">;
  private readonly consumers = new Set<SqlQueueConsumer<T>>();
  private closed = false;

  constructor(context: SqlContext, options: SqlQueueOptions) {
    const queue = options.queue;
    this.db = context.db;
    this.name = queue;
    const leaseMs = positive("leaseSeconds", options.leaseSeconds ?? 30) * 1000;
    const leases = new SqlQueueLeases({
      db: context.db,
      owner: (options.owner ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`).slice(
        0,
        OWNER_MAX,
      ),
      leaseMs,
      maxAttempts: positiveInteger("maxAttempts", options.maxAttempts ?? 5),
      retryDelayMs: nonNegative("retryDelayMs", options.retryDelayMs ?? 2000),
      maxRetryDelayMs: nonNegative("maxRetryDelayMs", options.maxRetryDelayMs ?? 5 * 60_000),
    });
    this.consumerDeps = {
      queue,
      claims: new SqlQueueClaims({ db: context.db, dialect: context.dialect, queue, leases }),
      leases,
      leaseMs,
      pollIntervalMs: positive("pollIntervalMs", options.pollIntervalMs ?? 500),
      onError: options.onError ?? ((error: unknown) => console.error(`verso: queue "${queue}":`, error)),
    };
    if (!queue) throw new RangeError("queue name must not be empty");
  }

  async enqueue(payload: T): Promise<void> {
    if (this.closed) throw new Error(`queue "${this.name}" is closed`);
    const text = JSON.stringify(payload);
    if (text === undefined) throw new TypeError(`queue "${this.name}": the payload is not JSON-serializable`);
    const at = iso(Date.now());
    await this.db
      .insertInto("jobs")
      .values({
        queue: this.name,
        payload: text,
        status: "ready",
        attempts: 0,
        available_at: at,
        created_at: at,
        updated_at: at,
      })
      .execute();
    notifyEnqueued(this.name);
  }

  consume(
    handler: (message: QueueMessage<T>) => Promise<void>,
    { prefetch }: { prefetch: number },
  ): Subscription {
    if (this.closed) throw new Error(`queue "${this.name}" is closed`);
    positiveInteger("prefetch", prefetch);
    const consumer = new SqlQueueConsumer<T>({ ...this.consumerDeps, handler, prefetch });
    this.consumers.add(consumer);
    return { stop: () => consumer.stop().finally(() => this.consumers.delete(consumer)) };
  }

  async stats(): Promise<QueueStats> {
    const rows = await this.db
      .selectFrom("jobs")
      .select((eb) => ["status", eb.fn.countAll<number | string | bigint>().as("count")])
      .where("queue", "=", this.name)
      .groupBy("status")
      .execute();
    const count = (status: string) => Number(rows.find((r) => r.status === status)?.count ?? 0);
    return { ready: count("ready"), inFlight: count("leased"), dead: count("dead") };
  }

  /** Stops every consumer of this handle and waits for their handlers; the database stays open (it is the caller's). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.consumers].map((consumer) => consumer.stop()));
    this.consumers.clear();
  }
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
