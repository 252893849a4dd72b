/**
 * The writes that move a job row through its leases: the next lease, its extension, the
 * acknowledgement, the retry and the dead letter. The pair (id, attempts) names one lease
 * exactly, so every write after the grant is guarded by it and a consumer whose lease was taken
 * over can never touch its successor's.
 */
import type { Kysely } from "kysely";
import type { Database } from "../sql/schema/index.js";

/** One delivery of a job: its row, its attempt, and the payload as stored. */
export interface Lease {
  id: number;
  attempts: number;
  payload: string;
}

/** The row of a job as a claim reads it: `attempts` counts the leases granted so far. */
export interface JobRow {
  id: number;
  attempts: number;
}

export interface SqlQueueLeasesDeps {
  db: Kysely<Database>;
  /** Recorded on leased rows to tell which process holds them. */
  owner: string;
  leaseMs: number;
  /** Deliveries before a job is dead-lettered. */
  maxAttempts: number;
  /** Delay before the first retry, doubling with every attempt up to maxRetryDelayMs. */
  retryDelayMs: number;
  maxRetryDelayMs: number;
}

const LAST_ERROR_MAX = 4000;

export const iso = (ms: number) => new Date(ms).toISOString();

export class SqlQueueLeases {
  constructor(private readonly deps: SqlQueueLeasesDeps) {}

  /** Gives the job its next lease, held by this process until `leaseMs` after `at`. */
  grant(db: Kysely<Database>, row: JobRow, at: number) {
    return db
      .updateTable("jobs")
      .set({
        status: "leased",
        attempts: row.attempts + 1,
        lease_owner: this.deps.owner,
        lease_expires_at: iso(at + this.deps.leaseMs),
        updated_at: iso(at),
      })
      .where("id", "=", row.id);
  }

  /** Whether a job whose lease expired has used up its deliveries: its consumers keep dying. */
  exhausted(row: JobRow): boolean {
    return row.attempts >= this.deps.maxAttempts;
  }

  /**
   * Dead-letters a job whose consumers keep dying (it may be what kills them), so that it
   * does not circulate forever.
   */
  buryAbandoned(db: Kysely<Database>, row: JobRow, at: number) {
    const reason = `lease expired ${row.attempts} times: its consumer stopped before acknowledging`;
    return db.updateTable("jobs").set(deadLetter(reason, at)).where("id", "=", row.id);
  }

  /** Extends this process's leases; answers how many were still its own. */
  async extend(leases: readonly Lease[]): Promise<number> {
    if (leases.length === 0) return 0;
    const at = Date.now();
    const result = await this.deps.db
      .updateTable("jobs")
      .set({ lease_expires_at: iso(at + this.deps.leaseMs), updated_at: iso(at) })
      .where("status", "=", "leased")
      .where("lease_owner", "=", this.deps.owner)
      .where((eb) =>
        eb.or(leases.map((lease) => eb.and([eb("id", "=", lease.id), eb("attempts", "=", lease.attempts)]))),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async ack(lease: Lease): Promise<void> {
    await this.deps.db
      .deleteFrom("jobs")
      .where("id", "=", lease.id)
      .where("attempts", "=", lease.attempts)
      .where("status", "=", "leased")
      .where("lease_owner", "=", this.deps.owner)
      .execute();
  }

  /** The handler failed: the job is retried after a growing delay, or dead-lettered on its last attempt. */
  async fail(lease: Lease, error: unknown): Promise<void> {
    const at = Date.now();
    const lastError = describeError(error);
    if (lease.attempts >= this.deps.maxAttempts) {
      await this.held(lease).set(deadLetter(lastError, at)).execute();
      return;
    }
    const delay = Math.min(this.deps.maxRetryDelayMs, this.deps.retryDelayMs * 2 ** (lease.attempts - 1));
    await this.held(lease)
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

  /** The row while this very lease holds it. */
  private held(lease: Lease) {
    return this.deps.db
      .updateTable("jobs")
      .where("id", "=", lease.id)
      .where("attempts", "=", lease.attempts)
      .where("status", "=", "leased")
      .where("lease_owner", "=", this.deps.owner);
  }
}

function deadLetter(lastError: string, at: number) {
  return {
    status: "dead",
    lease_owner: null,
    lease_expires_at: null,
    last_error: lastError,
    updated_at: iso(at),
  } as const;
}

function describeError(error: unknown): string {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  return text.length > LAST_ERROR_MAX ? `${text.slice(0, LAST_ERROR_MAX - 1)}…` : text;
}
