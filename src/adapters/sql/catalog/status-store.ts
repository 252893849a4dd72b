/** What the catalog holds and how ingest is going, on SQL: counts, objects, their first bad rows. */
import { sql } from "kysely";
import type {
  CatalogStatusStore,
  CatalogTotals,
  ObjectStatus,
  RowReport,
} from "../../../core/catalog/store.js";
import { isAnyOf, type SqlContext } from "../dialect-sql.js";
import { currentVersion } from "./catalog-version.js";
import { listObjects } from "./object-rows.js";
import { PerCatalogVersion } from "./per-version.js";

type ContentTotals = Pick<CatalogTotals, "songs" | "songsWithPassages" | "passages">;

/** Counts over the songs and passages: the part of the totals that costs the catalog's size. */
async function countContent(db: SqlContext["db"]): Promise<ContentTotals> {
  const songs = await db
    .selectFrom("songs")
    // Counted where vector is not null, not as count(vector): the songs_embedded_model index
    // answers that without reading each song's row.
    .select((eb) => [
      eb.fn.countAll<number>().as("songs"),
      eb
        .selectFrom("songs")
        .select((inner) => inner.fn.countAll<number>().as("n"))
        .where("vector", "is not", null)
        .as("with_vectors"),
    ])
    .executeTakeFirstOrThrow();
  const passages = await db
    .selectFrom("passages")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return {
    songs: Number(songs.songs),
    songsWithPassages: Number(songs.with_vectors),
    passages: Number(passages.n),
  };
}

export function createSqlCatalogStatusStore({ db, dialect }: SqlContext): CatalogStatusStore {
  const contentTotals = new PerCatalogVersion(() => countContent(db));
  return {
    listObjects: (options) => listObjects(db, options),

    async rowErrors(objectIds, limitPerObject) {
      const out = new Map<number, RowReport[]>();
      if (objectIds.length === 0 || limitPerObject <= 0) return out;
      const { rows } = await sql<{
        object_id: number;
        line: number;
        reason: string;
        kind: RowReport["kind"];
      }>`
        SELECT object_id, line, reason, kind FROM (
          SELECT object_id, line, reason, kind,
            ROW_NUMBER() OVER (PARTITION BY object_id ORDER BY line) AS position
          FROM catalog_row_errors WHERE ${isAnyOf(dialect, "object_id", objectIds)}
        ) numbered
        WHERE position <= ${limitPerObject}
        ORDER BY object_id, line`.execute(db);
      for (const row of rows) {
        const list = out.get(row.object_id) ?? [];
        list.push({ line: row.line, reason: row.reason, kind: row.kind });
        out.set(row.object_id, list);
      }
      return out;
    },

    async totals(): Promise<CatalogTotals> {
      const statuses = await db
        .selectFrom("catalog_objects")
        .select((eb) => ["status", eb.fn.countAll<number>().as("n")])
        .groupBy("status")
        .execute();
      const objects: Record<ObjectStatus, number> = { queued: 0, processing: 0, done: 0, failed: 0 };
      for (const s of statuses) objects[s.status] = Number(s.n);
      const content = await contentTotals.get(await currentVersion(db));
      return { ...content.value, objects, catalogVersion: content.version };
    },
  };
}
