/**
 * The bucket objects the catalog records, on SQL: offering a listed object (a new run when it
 * is new or changed), the crawler's listings, and objects failed or removed without a lease.
 */
import type { Selectable } from "kysely";
import type { CatalogObject, CatalogObjectStore, OfferOptions } from "../../../core/catalog/store.js";
import type { BucketObject } from "../../../core/ports.js";
import { isUniqueViolation } from "../constraint-errors.js";
import { transaction, type SqlContext } from "../dialect-sql.js";
import type { CatalogObjectsTable } from "../schema/catalog.js";
import { iso, listObjects, lockingRows, objectById, toObject } from "./object-rows.js";
import { releaseSongs } from "./released-songs.js";

type ObjectRow = Selectable<CatalogObjectsTable>;

/** Whether a recorded object is to be queued again, though it did not change. */
function dueAgain(existing: ObjectRow, options: OfferOptions): boolean {
  if (existing.status !== "failed") return false; // done, or on its way (queued or processing)
  const coolDownOver =
    existing.finished_at !== null &&
    Date.parse(existing.finished_at) + options.failedCooldownMs <= options.now.getTime();
  return options.force === true || coolDownOver;
}

/** The columns of an object queued for a new run from its first row. */
const freshRun = (listed: BucketObject, model: string, at: string) => ({
  etag: listed.etag,
  size: listed.size,
  status: "queued" as const,
  model,
  songs: 0,
  passages: 0,
  skipped: 0,
  errors: 0,
  changed: 0,
  removed: 0,
  passages_reused: 0,
  rows_done: 0,
  lines_done: 0,
  bytes_done: 0,
  error: null,
  queued_at: at,
  started_at: null,
  finished_at: null,
  duration_ms: null,
  deliveries: 0,
  enqueued_at: at,
  lease_token: null,
  lease_expires_at: null,
  transient_since: null,
  modified_at: stamp(listed.modifiedAt),
});

/** A listed time as ISO, or null when the store gave none that reads as a date. */
const stamp = (at: Date): string | null => (Number.isNaN(at.getTime()) ? null : at.toISOString());

export function createSqlCatalogObjectStore(context: SqlContext): CatalogObjectStore {
  const { db, dialect } = context;

  const offerOnce = (source: string, listed: BucketObject, model: string, options: OfferOptions) =>
    transaction(db, async (trx): Promise<{ object: CatalogObject; enqueue: boolean }> => {
      const existing = await lockingRows(
        context,
        trx
          .selectFrom("catalog_objects")
          .selectAll()
          .where("source", "=", source)
          .where("key", "=", listed.key),
      ).executeTakeFirst();
      const unchanged =
        existing &&
        existing.etag === listed.etag &&
        Number(existing.size) === listed.size &&
        existing.model === model;
      if (existing && unchanged && !dueAgain(existing, options)) {
        // Touched, not changed: the new time is kept, so the next listing trusts it.
        const modifiedAt = stamp(listed.modifiedAt);
        if (existing.modified_at !== modifiedAt) {
          await trx
            .updateTable("catalog_objects")
            .set({ modified_at: modifiedAt })
            .where("id", "=", existing.id)
            .execute();
        }
        return { object: toObject({ ...existing, modified_at: modifiedAt }), enqueue: false };
      }
      const fresh = freshRun(listed, model, iso(options.now));
      if (existing) {
        await trx.deleteFrom("catalog_row_errors").where("object_id", "=", existing.id).execute();
        await trx
          .updateTable("catalog_objects")
          .set({ ...fresh, generation: existing.generation + 1 })
          .where("id", "=", existing.id)
          .execute();
        return { object: (await objectById(trx, existing.id))!, enqueue: true };
      }
      const { id } = await trx
        .insertInto("catalog_objects")
        .values({ source, key: listed.key, ...fresh, generation: 1 })
        .returning("id")
        .executeTakeFirstOrThrow();
      return { object: (await objectById(trx, id))!, enqueue: true };
    });

  return {
    async offerObject(source, listed, model, options) {
      // Two crawlers may offer the same new object at once: the second insert meets the first.
      return offerOnce(source, listed, model, options).catch((error: unknown) => {
        if (isUniqueViolation(error)) return offerOnce(source, listed, model, options);
        throw error;
      });
    },

    async markEnqueued(id, at) {
      await db
        .updateTable("catalog_objects")
        .set({ enqueued_at: iso(at) })
        .where("id", "=", id)
        .execute();
    },

    getObject: (id) => objectById(db, id),

    listObjects: (options) => listObjects(db, options),

    async unattendedObjects(source, now) {
      let query = db.selectFrom("catalog_objects").selectAll();
      if (source !== null) query = query.where("source", "=", source);
      const rows = await query
        .where("status", "in", ["queued", "processing"])
        .where((eb) => eb.or([eb("lease_token", "is", null), eb("lease_expires_at", "<=", iso(now))]))
        .orderBy("id")
        .execute();
      return rows.map(toObject);
    },

    async failObject(id, error, at) {
      await db
        .updateTable("catalog_objects")
        .set({
          status: "failed",
          error,
          finished_at: iso(at),
          lease_token: null,
          lease_expires_at: null,
          transient_since: null,
        })
        .where("id", "=", id)
        .where("status", "in", ["queued", "processing"])
        .execute();
    },

    async removeObject(id) {
      return transaction(db, async (trx) => {
        const released = await releaseSongs({ db: trx, dialect }, id, null);
        await trx.deleteFrom("catalog_row_errors").where("object_id", "=", id).execute();
        await trx.deleteFrom("catalog_object_songs").where("object_id", "=", id).execute();
        await trx.updateTable("songs").set({ object_id: null }).where("object_id", "=", id).execute();
        await trx.deleteFrom("catalog_objects").where("id", "=", id).execute();
        return released
          ? { catalogVersion: released.catalogVersion, added: [], removed: released.removed }
          : null;
      });
    },
  };
}
