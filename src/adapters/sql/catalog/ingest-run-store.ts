/**
 * Ingest runs on SQL: a worker takes an object's lease for the job it was queued with, renews
 * or gives it up, commits batches (batch-commit.ts) and ends the run. Every write of the run is
 * guarded by the lease token, so a worker that lost its lease writes nothing.
 */
import type { EmbeddingModelIds, IngestRunStore, StartOutcome } from "../../../core/catalog/store.js";
import { transaction, type SqlContext } from "../dialect-sql.js";
import { commitBatch } from "./batch-commit.js";
import { currentVersion } from "./catalog-version.js";
import { iso, lockingRows, objectById } from "./object-rows.js";
import { storedVectors } from "./passages.js";
import { releaseSongs } from "./released-songs.js";

export function createSqlIngestRunStore(context: SqlContext, models: EmbeddingModelIds): IngestRunStore {
  const { db, dialect } = context;

  return {
    modelId: (model) => models.modelId(model),

    getObject: (id) => objectById(db, id),

    async startObject(job, model, lease): Promise<StartOutcome> {
      const result = await db
        .updateTable("catalog_objects")
        .set((eb) => ({
          status: "processing",
          started_at: eb.fn.coalesce("started_at", eb.val(iso(lease.now))),
          lease_token: lease.token,
          lease_expires_at: iso(lease.until),
          deliveries: eb("deliveries", "+", 1),
        }))
        .where("id", "=", job.objectId)
        .where("etag", "=", job.etag)
        .where("generation", "=", job.generation)
        .where("model", "=", model)
        .where("status", "in", ["queued", "processing"])
        .where((eb) => eb.or([eb("lease_token", "is", null), eb("lease_expires_at", "<=", iso(lease.now))]))
        .executeTakeFirst();
      const object = await objectById(db, job.objectId);
      if (Number(result.numUpdatedRows) === 1 && object) {
        return { status: "started", object, lease: { objectId: job.objectId, token: lease.token } };
      }
      const sameRun =
        object !== null &&
        object.generation === job.generation &&
        object.etag === job.etag &&
        object.model === model &&
        (object.status === "queued" || object.status === "processing");
      return sameRun ? { status: "busy" } : { status: "stale" };
    },

    async renewLease(lease, until) {
      const result = await db
        .updateTable("catalog_objects")
        .set({ lease_expires_at: iso(until) })
        .where("id", "=", lease.objectId)
        .where("lease_token", "=", lease.token)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    // A clean give-up (retry later, slice over, shutdown) is not a worker that died on the
    // object: the count of such deaths starts again.
    async releaseLease(lease) {
      await db
        .updateTable("catalog_objects")
        .set({ lease_token: null, lease_expires_at: null, deliveries: 0 })
        .where("id", "=", lease.objectId)
        .where("lease_token", "=", lease.token)
        .execute();
    },

    commitBatch: (batch) => commitBatch(context, batch),

    storedVectors: (modelId, textHashes) => storedVectors(context, modelId, textHashes),

    async noteTransientFailure(lease, at, reason) {
      await db
        .updateTable("catalog_objects")
        .set((eb) => ({ transient_since: eb.fn.coalesce("transient_since", eb.val(iso(at))), error: reason }))
        .where("id", "=", lease.objectId)
        .where("lease_token", "=", lease.token)
        .execute();
      const row = await db
        .selectFrom("catalog_objects")
        .select(["transient_since", "lease_token"])
        .where("id", "=", lease.objectId)
        .executeTakeFirst();
      return row && row.lease_token === lease.token ? row.transient_since : null;
    },

    async finishObject(lease, outcome, at) {
      return transaction(db, async (trx) => {
        const object = await lockingRows(
          context,
          trx
            .selectFrom("catalog_objects")
            .select(["generation", "started_at"])
            .where("id", "=", lease.objectId)
            .where("lease_token", "=", lease.token),
        ).executeTakeFirst();
        if (!object) return null;
        const released =
          outcome.status === "done"
            ? await releaseSongs({ db: trx, dialect }, lease.objectId, object.generation)
            : null;
        const started = object.started_at ? Date.parse(object.started_at) : at.getTime();
        await trx
          .updateTable("catalog_objects")
          .set((eb) => ({
            status: outcome.status,
            error: outcome.status === "failed" ? outcome.error : null,
            finished_at: iso(at),
            duration_ms: at.getTime() - started,
            lease_token: null,
            lease_expires_at: null,
            transient_since: null,
            removed: eb("removed", "+", released?.songs ?? 0),
          }))
          .where("id", "=", lease.objectId)
          .execute();
        return {
          catalogVersion: released?.catalogVersion ?? (await currentVersion(trx)),
          added: [],
          removed: released?.removed ?? [],
        };
      });
    },
  };
}
