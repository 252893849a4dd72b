/** Catalog objects as rows: reading them back, listing them, and locking one for a transaction. */
import type { Kysely, Selectable } from "kysely";
import type { CatalogObject, CatalogObjectStore } from "../../../core/catalog/store.js";
import type { SqlContext } from "../dialect-sql.js";
import type { CatalogObjectsTable } from "../schema/catalog.js";
import type { Database } from "../schema/index.js";

export const iso = (at: Date): string => at.toISOString();

export const toObject = (row: Selectable<CatalogObjectsTable>): CatalogObject => ({
  id: row.id,
  source: row.source,
  key: row.key,
  etag: row.etag,
  size: Number(row.size),
  status: row.status,
  model: row.model,
  songs: row.songs,
  passages: row.passages,
  skipped: row.skipped,
  errors: row.errors,
  changed: row.changed,
  removed: row.removed,
  reused: row.passages_reused,
  rowsDone: row.rows_done,
  linesDone: row.lines_done,
  bytesDone: Number(row.bytes_done),
  error: row.error,
  queuedAt: row.queued_at,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  durationMs: row.duration_ms,
  generation: row.generation,
  deliveries: row.deliveries,
  enqueuedAt: row.enqueued_at,
  leaseExpiresAt: row.lease_token === null ? null : row.lease_expires_at,
  transientSince: row.transient_since,
  modifiedAt: row.modified_at,
});

export async function objectById(db: Kysely<Database>, id: number): Promise<CatalogObject | null> {
  const row = await db.selectFrom("catalog_objects").selectAll().where("id", "=", id).executeTakeFirst();
  return row ? toObject(row) : null;
}

/** Objects by id, the order in which they were first recorded (see CatalogObjectStore.listObjects). */
export async function listObjects(
  db: Kysely<Database>,
  options: Parameters<CatalogObjectStore["listObjects"]>[0] = {},
): Promise<CatalogObject[]> {
  let query = db.selectFrom("catalog_objects").selectAll().orderBy("id");
  if (options.source) query = query.where("source", "=", options.source);
  if (options.afterId !== undefined) query = query.where("id", ">", options.afterId);
  if (options.limit !== undefined) query = query.limit(options.limit);
  return (await query.execute()).map(toObject);
}

/** Row locks where the dialect has them; SQLite's transactions hold the whole database. */
export const lockingRows = <Q extends { forUpdate(): Q }>({ dialect }: SqlContext, query: Q): Q =>
  dialect === "sqlite" ? query : query.forUpdate();
