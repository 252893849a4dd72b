/**
 * How a consumer takes deliverable jobs: those ready and due, and those whose lease expired
 * (their consumer died). Claims differ by dialect. On MariaDB and PostgreSQL, where workers of
 * several processes claim at once, a claim is one short transaction that locks the jobs it
 * takes with `FOR UPDATE SKIP LOCKED`, so concurrent claimers pass each other instead of
 * queueing on (or racing for) the same rows. SQLite has one writer at a time: there a claim
 * reads candidates and takes each with an UPDATE that re-checks what it read.
 */
import type { Kysely } from "kysely";
import type { SqlDialect } from "../sql/database.js";
import type { Database } from "../sql/schema/index.js";
import { iso, type JobRow, type Lease, type SqlQueueLeases } from "./sql-queue-leases.js";

export interface SqlQueueClaimsDeps {
  db: Kysely<Database>;
  dialect: SqlDialect;
  /** Name of the queue in the jobs table. */
  queue: string;
  leases: SqlQueueLeases;
}

export class SqlQueueClaims {
  constructor(private readonly deps: SqlQueueClaimsDeps) {}

  /** Up to `limit` new leases, oldest jobs first; fewer when there is no more work now. */
  claim(limit: number): Promise<Lease[]> {
    return this.deps.dialect === "sqlite" ? this.claimEach(limit) : this.claimLocked(limit);
  }

  /** MariaDB and PostgreSQL: lock what is deliverable, skipping rows other claimers hold. */
  private claimLocked(limit: number): Promise<Lease[]> {
    const { db, queue, leases } = this.deps;
    return db.transaction().execute(async (trx) => {
      const at = Date.now();
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
      const taken: Lease[] = [];
      for (const row of rows) {
        if (row.status === "leased" && leases.exhausted(row)) {
          await leases.buryAbandoned(trx, row, at).execute();
          continue;
        }
        await leases.grant(trx, row, at).execute();
        taken.push({ id: row.id, attempts: row.attempts + 1, payload: row.payload });
      }
      return taken;
    });
  }

  /** SQLite: read the candidates, then take each unless another consumer took it first. */
  private async claimEach(limit: number): Promise<Lease[]> {
    const { leases } = this.deps;
    const taken: Lease[] = [];
    for (;;) {
      const at = Date.now();
      const { expired, ready } = await this.candidates(limit - taken.length, at);
      // A candidate that was not delivered (buried, or taken by a faster consumer) may hide
      // more work behind it; when every candidate was delivered, that is all there is now.
      let undelivered = 0;
      for (const row of expired) {
        if (leases.exhausted(row)) {
          await this.buryIfStillExpired(row, at);
          undelivered += 1;
        } else if (await this.take(row, "leased", at)) {
          taken.push({ ...row, attempts: row.attempts + 1 });
        } else undelivered += 1;
      }
      for (const row of ready) {
        if (await this.take(row, "ready", at)) taken.push({ ...row, attempts: row.attempts + 1 });
        else undelivered += 1;
      }
      if (undelivered === 0 || taken.length >= limit) return taken;
    }
  }

  /**
   * Abandoned jobs first: they are older than anything ready, and this is where a lost
   * consumer's work resumes. There are at most (consumers × prefetch) leased rows.
   */
  private async candidates(want: number, at: number): Promise<{ expired: Lease[]; ready: Lease[] }> {
    const { db, queue } = this.deps;
    const jobs = () => db.selectFrom("jobs").select(["id", "attempts", "payload"]).where("queue", "=", queue);
    const expired = await jobs()
      .where("status", "=", "leased")
      .where("lease_expires_at", "<=", iso(at))
      .orderBy("id")
      .limit(want)
      .execute();
    const ready =
      expired.length < want
        ? await jobs()
            .where("status", "=", "ready")
            .where("available_at", "<=", iso(at))
            .orderBy("available_at")
            .orderBy("id")
            .limit(want - expired.length)
            .execute()
        : [];
    return { expired, ready };
  }

  /**
   * Takes a ready job (or one whose lease expired) if nobody took it first. Reading the
   * candidate and updating it are two statements (MariaDB refuses an UPDATE whose subquery
   * reads the same table), so the UPDATE re-checks the state it read and the caller counts
   * the rows it changed: 0 means another consumer won the race.
   */
  private async take(row: JobRow, status: "ready" | "leased", at: number): Promise<boolean> {
    const result = await this.deps.leases
      .grant(this.deps.db, row, at)
      .where("attempts", "=", row.attempts)
      .where((eb) =>
        status === "ready"
          ? eb("status", "=", "ready")
          : eb.and([eb("status", "=", "leased"), eb("lease_expires_at", "<=", iso(at))]),
      )
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  private async buryIfStillExpired(row: JobRow, at: number): Promise<void> {
    await this.deps.leases
      .buryAbandoned(this.deps.db, row, at)
      .where("attempts", "=", row.attempts)
      .where("status", "=", "leased")
      .where("lease_expires_at", "<=", iso(at))
      .execute();
  }
}
