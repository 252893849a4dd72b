/**
 * The catalog's write side on SQL: objects and their leases, songs, passages, which objects
 * hold which songs, the catalog version and its change log.
 *
 * Every commit of a worker runs in one transaction that first proves the worker still holds
 * the object's lease (an UPDATE guarded by the lease token, which also locks the object's row
 * so that nobody takes the lease over mid-commit), then bumps the catalog version (which
 * serializes commits across workers, so the change log's versions are in commit order).
 */
import { sql, type Kysely, type Selectable } from "kysely";
import { songAttributes, type SongAttributes } from "../../core/catalog/song-filter.js";
import type {
  CatalogChanges,
  CatalogObject,
  CatalogStore,
  CatalogTotals,
  CommittedBatch,
  IngestBatch,
  ObjectStatus,
  PassageVector,
  StartOutcome,
} from "../../core/catalog/store.js";
import type { SongRow } from "../../core/catalog/layout.js";
import type { EmbeddingModel } from "../../core/ports.js";
import { ignoringDuplicates, insertedValue, isAnyOf, transaction, type SqlContext } from "./dialect-sql.js";
import { isUniqueViolation } from "./constraint-errors.js";
import { songColumns, type CatalogObjectsTable, type SongsTable } from "./schema/catalog.js";
import type { Database } from "./schema/index.js";
import { decodeVector, encodeVector } from "./vector-codec.js";

/** Row errors kept per object: enough to find and fix a broken file, bounded for a hostile one. */
export const STORED_ROW_ERRORS = 1000;

/** Rows per multi-row INSERT, well under every dialect's bound-parameter limit. */
const insertChunk = 200;

const iso = (at: Date) => at.toISOString();

const toObject = (row: Selectable<CatalogObjectsTable>): CatalogObject => ({
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
  removed: row.removed,
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
});

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** The song columns a passage vector carries as its song's attributes. */
const attributeColumns = [
  "s.id as song_id",
  "s.language",
  "s.genre",
  "s.release_year",
  "s.danceability",
  "s.energy",
  "s.valence",
  "s.tempo",
  "s.acousticness",
  "s.instrumentalness",
  "s.speechiness",
  "s.liveness",
] as const;

type AttributeRow = Pick<
  Selectable<SongsTable>,
  | "language"
  | "genre"
  | "release_year"
  | "danceability"
  | "energy"
  | "valence"
  | "tempo"
  | "acousticness"
  | "instrumentalness"
  | "speechiness"
  | "liveness"
> & { song_id: string };

const toAttributes = (row: AttributeRow): SongAttributes => ({
  songId: row.song_id,
  language: row.language === null ? null : row.language.toLowerCase(),
  genre: row.genre === null ? null : row.genre.toLowerCase(),
  year: row.release_year,
  danceability: row.danceability,
  energy: row.energy,
  valence: row.valence,
  tempo: row.tempo,
  acousticness: row.acousticness,
  instrumentalness: row.instrumentalness,
  speechiness: row.speechiness,
  liveness: row.liveness,
});

const songValues = (song: SongRow) => ({
  id: song.id,
  title: song.title,
  artists: JSON.stringify(song.artists),
  album: song.album,
  genre: song.genre,
  language: song.language,
  release_date: song.releaseDate,
  release_year: songAttributes(song).year,
  popularity: song.popularity,
  danceability: song.features.danceability,
  energy: song.features.energy,
  key: song.features.key,
  loudness: song.features.loudness,
  mode: song.features.mode,
  speechiness: song.features.speechiness,
  acousticness: song.features.acousticness,
  instrumentalness: song.features.instrumentalness,
  liveness: song.features.liveness,
  valence: song.features.valence,
  tempo: song.features.tempo,
  duration_ms: song.features.durationMs,
  lyrics: song.lyrics || null,
});

/** The columns a new ingest of a song overwrites (all but its id and creation time). */
const updatedSongColumns = [
  ...songColumns.filter((column) => column !== "id"),
  "release_year",
  "popularity",
  "lyrics",
  "lyrics_status",
  "vector",
  "model_id",
  "object_id",
  "updated_at",
] as const;

export function createSqlCatalogStore(context: SqlContext): CatalogStore {
  const { db, dialect } = context;
  const anyOf = (column: string, values: readonly (string | number)[]) => isAnyOf(dialect, column, values);
  const models = new Map<string, { id: number; dimension: number }>();
  /** Row locks where the dialect has them; SQLite's transactions hold the whole database. */
  const locking = <Q extends { forUpdate(): Q }>(query: Q): Q =>
    dialect === "sqlite" ? query : query.forUpdate();

  async function bumpVersion(trx: Kysely<Database>): Promise<number> {
    await trx
      .updateTable("catalog_state")
      .set((eb) => ({ version: eb("version", "+", 1), updated_at: new Date().toISOString() }))
      .where("id", "=", 1)
      .execute();
    const row = await trx
      .selectFrom("catalog_state")
      .select("version")
      .where("id", "=", 1)
      .executeTakeFirstOrThrow();
    return Number(row.version);
  }

  async function currentVersion(trx: Kysely<Database>): Promise<number> {
    const row = await trx
      .selectFrom("catalog_state")
      .select("version")
      .where("id", "=", 1)
      .executeTakeFirstOrThrow();
    return Number(row.version);
  }

  /** Passages of these songs go: their ids are written to the change log under `version`. */
  async function removePassagesOf(trx: Kysely<Database>, songIds: readonly string[], version: number) {
    const removed: number[] = [];
    for (const part of chunks(songIds, insertChunk)) {
      const old = await trx.selectFrom("passages").select("id").where(anyOf("song_id", part)).execute();
      if (old.length === 0) continue;
      const ids = old.map((p) => p.id);
      removed.push(...ids);
      for (const idPart of chunks(ids, insertChunk)) {
        await trx.deleteFrom("passages").where(anyOf("id", idPart)).execute();
        await trx
          .insertInto("catalog_removals")
          .values(idPart.map((id) => ({ catalog_version: version, passage_id: id })))
          .execute();
      }
    }
    return removed;
  }

  /**
   * The songs this object held but no longer does (all of them when `keepGeneration` is null)
   * leave it; those that no other object holds leave the catalog with their passages.
   */
  async function releaseSongs(
    trx: Kysely<Database>,
    objectId: number,
    keepGeneration: number | null,
  ): Promise<{ catalogVersion: number; removed: number[]; songs: number } | null> {
    let staleQuery = trx
      .selectFrom("catalog_object_songs")
      .select("song_id")
      .where("object_id", "=", objectId);
    if (keepGeneration !== null) staleQuery = staleQuery.where("generation", "<>", keepGeneration);
    const stale = (await staleQuery.execute()).map((r) => r.song_id);
    if (stale.length === 0) return null;
    // Taken before anything is decided: commits of other workers that might hold one of
    // these songs again are serialized behind this transaction, or it behind theirs.
    const catalogVersion = await bumpVersion(trx);
    const orphans: string[] = [];
    for (const part of chunks(stale, insertChunk)) {
      await trx
        .deleteFrom("catalog_object_songs")
        .where("object_id", "=", objectId)
        .where(anyOf("song_id", part))
        .execute();
      const held = new Set(
        (
          await trx
            .selectFrom("catalog_object_songs")
            .select("song_id")
            .where(anyOf("song_id", part))
            .execute()
        ).map((r) => r.song_id),
      );
      orphans.push(...part.filter((id) => !held.has(id)));
    }
    const removed = await removePassagesOf(trx, orphans, catalogVersion);
    for (const part of chunks(orphans, insertChunk)) {
      await trx.deleteFrom("songs").where(anyOf("id", part)).execute();
    }
    return { catalogVersion, removed, songs: orphans.length };
  }

  async function selectPassageVectors(
    where: (query: ReturnType<typeof passageVectorQuery>) => ReturnType<typeof passageVectorQuery>,
  ): Promise<PassageVector[]> {
    const rows = await where(passageVectorQuery()).execute();
    return rows.map((r) => ({ id: r.id, vector: decodeVector(r.vector), song: toAttributes(r) }));
  }

  function passageVectorQuery() {
    return db
      .selectFrom("passages as p")
      .innerJoin("songs as s", "s.id", "p.song_id")
      .select(["p.id", "p.vector", ...attributeColumns]);
  }

  async function* pagePassageVectors(
    model: string,
    batchSize: number,
    sinceVersion: number | null,
  ): AsyncGenerator<PassageVector[]> {
    const modelRow = await db
      .selectFrom("embedding_models")
      .select("id")
      .where("name", "=", model)
      .executeTakeFirst();
    if (!modelRow) return;
    let after = 0;
    for (;;) {
      const batch = await selectPassageVectors((query) => {
        let q = query.where("p.model_id", "=", modelRow.id).where("p.id", ">", after);
        if (sinceVersion !== null) q = q.where("p.catalog_version", ">", sinceVersion);
        return q.orderBy("p.id").limit(batchSize);
      });
      if (batch.length === 0) return;
      yield batch;
      after = batch[batch.length - 1]!.id;
    }
  }

  const objectById = async (trx: Kysely<Database>, id: number) => {
    const row = await trx.selectFrom("catalog_objects").selectAll().where("id", "=", id).executeTakeFirst();
    return row ? toObject(row) : null;
  };

  return {
    async modelId(model: EmbeddingModel) {
      let known = models.get(model.name);
      if (!known) {
        await ignoringDuplicates(
          dialect,
          db
            .insertInto("embedding_models")
            .values({ name: model.name, dimension: model.dimension, created_at: new Date().toISOString() }),
          ["name"],
        ).execute();
        known = await db
          .selectFrom("embedding_models")
          .select(["id", "dimension"])
          .where("name", "=", model.name)
          .executeTakeFirstOrThrow();
        models.set(model.name, known);
      }
      // Vectors of one name and two sizes would be mixed in one index: refuse.
      if (known.dimension !== model.dimension) {
        throw new Error(
          `model ${model.name} was recorded with dimension ${known.dimension}, not ${model.dimension}`,
        );
      }
      return known.id;
    },

    catalogVersion: () => currentVersion(db),

    async offerObject(source, listed, model, options) {
      const offer = () =>
        transaction(db, async (trx) => {
          const existing = await locking(
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
          if (existing && unchanged) {
            const coolDownOver =
              existing.finished_at !== null &&
              Date.parse(existing.finished_at) + options.failedCooldownMs <= options.now.getTime();
            // Done, on its way (queued or processing), or failed too recently to try again.
            if (existing.status !== "failed" || !(options.force || coolDownOver)) {
              return { object: toObject(existing), enqueue: false };
            }
          }
          const at = iso(options.now);
          const fresh = {
            etag: listed.etag,
            size: listed.size,
            status: "queued" as const,
            model,
            songs: 0,
            passages: 0,
            skipped: 0,
            errors: 0,
            removed: 0,
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
          };
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
      // Two crawlers may offer the same new object at once: the second insert meets the first.
      return offer().catch((error: unknown) => {
        if (isUniqueViolation(error)) return offer();
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

    async listObjects(options = {}) {
      let query = db.selectFrom("catalog_objects").selectAll().orderBy("id");
      if (options.source) query = query.where("source", "=", options.source);
      if (options.afterId !== undefined) query = query.where("id", ">", options.afterId);
      if (options.limit !== undefined) query = query.limit(options.limit);
      return (await query.execute()).map(toObject);
    },

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

    async commitBatch(batch: IngestBatch): Promise<CommittedBatch | null> {
      return transaction(db, async (trx) => {
        // The fence first: it fails (and nothing is written) unless this worker's lease is the
        // current one, and it locks the object's row until the commit ends.
        const fenced = await trx
          .updateTable("catalog_objects")
          .set((eb) => ({
            songs: eb("songs", "+", batch.counts.songs),
            passages: eb("passages", "+", batch.counts.passages),
            skipped: eb("skipped", "+", batch.counts.skipped),
            errors: eb("errors", "+", batch.counts.errors),
            rows_done: batch.rowsDone,
            lines_done: batch.linesDone,
            bytes_done: batch.bytesDone,
          }))
          .where("id", "=", batch.lease.objectId)
          .where("lease_token", "=", batch.lease.token)
          .where("status", "=", "processing")
          .executeTakeFirst();
        if (Number(fenced.numUpdatedRows) !== 1) return null;
        const owner = await trx
          .selectFrom("catalog_objects")
          .select(["generation", "errors"])
          .where("id", "=", batch.lease.objectId)
          .executeTakeFirstOrThrow();
        const objectId = batch.lease.objectId;
        const catalogVersion = await bumpVersion(trx);

        // The same id twice in one batch: the later row wins, as it would across batches.
        const songs = [...new Map(batch.songs.map((s) => [s.song.id, s])).values()];
        const removed = await removePassagesOf(
          trx,
          songs.map((s) => s.song.id),
          catalogVersion,
        );

        const at = new Date().toISOString();
        for (const part of chunks(songs, insertChunk / 4)) {
          const values = part.map(({ song, lyricsStatus, vector }) => ({
            ...songValues(song),
            lyrics_status: lyricsStatus,
            vector: vector ? encodeVector(vector) : null,
            model_id: vector ? batch.modelId : null,
            object_id: objectId,
            created_at: at,
            updated_at: at,
          }));
          const update = Object.fromEntries(updatedSongColumns.map((c) => [c, insertedValue(dialect, c)]));
          const insert = trx.insertInto("songs").values(values);
          await (
            dialect === "mariadb"
              ? insert.onDuplicateKeyUpdate(update)
              : insert.onConflict((oc) => oc.column("id").doUpdateSet(update))
          ).execute();
          const members = part.map(({ song }) => ({
            object_id: objectId,
            song_id: song.id,
            generation: owner.generation,
          }));
          const membership = trx.insertInto("catalog_object_songs").values(members);
          const generation = { generation: insertedValue<number>(dialect, "generation") };
          await (
            dialect === "mariadb"
              ? membership.onDuplicateKeyUpdate(generation)
              : membership.onConflict((oc) => oc.columns(["object_id", "song_id"]).doUpdateSet(generation))
          ).execute();
        }

        const passages = songs.flatMap(({ song, passages }) =>
          passages.map((p, ordinal) => ({ song, ordinal, text: p.text, vector: p.vector })),
        );
        const added: PassageVector[] = [];
        for (const part of chunks(passages, insertChunk)) {
          const rows = await trx
            .insertInto("passages")
            .values(
              part.map((p) => ({
                song_id: p.song.id,
                ordinal: p.ordinal,
                text: p.text,
                vector: encodeVector(p.vector),
                model_id: batch.modelId,
                catalog_version: catalogVersion,
              })),
            )
            .returning("id")
            .execute();
          rows.forEach((row, i) =>
            added.push({ id: row.id, vector: part[i]!.vector, song: songAttributes(part[i]!.song) }),
          );
        }

        // A file with a million bad rows must not store a million reasons: the first ones show
        // what is wrong, the counter says how often.
        const room = Math.max(0, STORED_ROW_ERRORS - owner.errors + batch.counts.errors);
        for (const part of chunks(batch.rowErrors.slice(0, room), insertChunk)) {
          await trx
            .insertInto("catalog_row_errors")
            .values(part.map((e) => ({ object_id: objectId, line: e.line, reason: e.reason })))
            .execute();
        }
        return { catalogVersion, added, removed };
      });
    },

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
        const object = await locking(
          trx
            .selectFrom("catalog_objects")
            .select(["generation", "started_at"])
            .where("id", "=", lease.objectId)
            .where("lease_token", "=", lease.token),
        ).executeTakeFirst();
        if (!object) return null;
        const released =
          outcome.status === "done" ? await releaseSongs(trx, lease.objectId, object.generation) : null;
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
        const released = await releaseSongs(trx, id, null);
        await trx.deleteFrom("catalog_row_errors").where("object_id", "=", id).execute();
        await trx.deleteFrom("catalog_object_songs").where("object_id", "=", id).execute();
        await trx.updateTable("songs").set({ object_id: null }).where("object_id", "=", id).execute();
        await trx.deleteFrom("catalog_objects").where("id", "=", id).execute();
        return released
          ? { catalogVersion: released.catalogVersion, added: [], removed: released.removed }
          : null;
      });
    },

    async rowErrors(objectIds, limitPerObject) {
      const out = new Map<number, { line: number; reason: string }[]>();
      if (objectIds.length === 0 || limitPerObject <= 0) return out;
      const { rows } = await sql<{ object_id: number; line: number; reason: string }>`
        SELECT object_id, line, reason FROM (
          SELECT object_id, line, reason,
            ROW_NUMBER() OVER (PARTITION BY object_id ORDER BY line) AS position
          FROM catalog_row_errors WHERE ${anyOf("object_id", objectIds)}
        ) numbered
        WHERE position <= ${limitPerObject}
        ORDER BY object_id, line`.execute(db);
      for (const row of rows) {
        const list = out.get(row.object_id) ?? [];
        list.push({ line: row.line, reason: row.reason });
        out.set(row.object_id, list);
      }
      return out;
    },

    async totals(): Promise<CatalogTotals> {
      const songs = await db
        .selectFrom("songs")
        .select((eb) => [
          eb.fn.countAll<number>().as("songs"),
          eb.fn.count<number>("vector").as("with_vectors"),
        ])
        .executeTakeFirstOrThrow();
      const passages = await db
        .selectFrom("passages")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow();
      const statuses = await db
        .selectFrom("catalog_objects")
        .select((eb) => ["status", eb.fn.countAll<number>().as("n")])
        .groupBy("status")
        .execute();
      const objects: Record<ObjectStatus, number> = { queued: 0, processing: 0, done: 0, failed: 0 };
      for (const s of statuses) objects[s.status] = Number(s.n);
      return {
        songs: Number(songs.songs),
        songsWithPassages: Number(songs.with_vectors),
        passages: Number(passages.n),
        objects,
        catalogVersion: await currentVersion(db),
      };
    },

    streamPassageVectors: (model, batchSize = 2048) => pagePassageVectors(model, batchSize, null),

    async changesSince(catalogVersion, model): Promise<CatalogChanges | null> {
      const state = await db
        .selectFrom("catalog_state")
        .select(["version", "log_since"])
        .where("id", "=", 1)
        .executeTakeFirstOrThrow();
      const current = Number(state.version);
      if (catalogVersion < Number(state.log_since) || catalogVersion > current) return null;
      const removed = (
        await db
          .selectFrom("catalog_removals")
          .select("passage_id")
          .where("catalog_version", ">", catalogVersion)
          .where("catalog_version", "<=", current)
          .execute()
      ).map((r) => r.passage_id);
      return { catalogVersion: current, removed, added: pagePassageVectors(model, 2048, catalogVersion) };
    },

    async staleEmbeddings(model) {
      const current = await db
        .selectFrom("embedding_models")
        .select("id")
        .where("name", "=", model)
        .executeTakeFirst();
      const rows = await db
        .selectFrom("passages as p")
        .innerJoin("embedding_models as m", "m.id", "p.model_id")
        .select((eb) => [
          "m.name as name",
          eb.fn.countAll<number>().as("passages"),
          eb.fn.count<number>(sql`DISTINCT p.song_id`).as("songs"),
        ])
        .where("p.model_id", "<>", current?.id ?? -1)
        .groupBy("m.name")
        .execute();
      return {
        songs: rows.reduce((sum, r) => sum + Number(r.songs), 0),
        passages: rows.reduce((sum, r) => sum + Number(r.passages), 0),
        models: rows.map((r) => r.name),
      };
    },

    async *songsToReembed(model, batchSize = 64) {
      const current = await db
        .selectFrom("embedding_models")
        .select("id")
        .where("name", "=", model)
        .executeTakeFirst();
      let after = "";
      for (;;) {
        // Songs first (keyset over their ids), then all their passages: a song is re-embedded whole.
        const ids = (
          await db
            .selectFrom("passages")
            .select("song_id")
            .distinct()
            .where("model_id", "<>", current?.id ?? -1)
            .where("song_id", ">", after)
            .orderBy("song_id")
            .limit(batchSize)
            .execute()
        ).map((r) => r.song_id);
        if (ids.length === 0) return;
        const passages = await db
          .selectFrom("passages")
          .select(["song_id", "ordinal", "text"])
          .where(anyOf("song_id", ids))
          .orderBy("song_id")
          .orderBy("ordinal")
          .execute();
        const bySong = new Map<string, { ordinal: number; text: string }[]>();
        for (const p of passages) {
          const list = bySong.get(p.song_id) ?? [];
          list.push({ ordinal: p.ordinal, text: p.text });
          bySong.set(p.song_id, list);
        }
        yield ids.map((songId) => ({ songId, passages: bySong.get(songId) ?? [] }));
        after = ids[ids.length - 1]!;
      }
    },

    async replaceEmbeddings(modelId, list) {
      return transaction(db, async (trx) => {
        const catalogVersion = await bumpVersion(trx);
        const ids = list.map((s) => s.songId);
        const removed = await removePassagesOf(trx, ids, catalogVersion);
        for (const song of list) {
          await trx
            .updateTable("songs")
            .set({
              vector: song.vector ? encodeVector(song.vector) : null,
              model_id: song.vector ? modelId : null,
              updated_at: new Date().toISOString(),
            })
            .where("id", "=", song.songId)
            .execute();
        }
        const rows = list.flatMap((s) => s.passages.map((p) => ({ songId: s.songId, ...p })));
        const attributes = new Map<string, SongAttributes>();
        for (const part of chunks(ids, insertChunk)) {
          const found = await trx
            .selectFrom("songs as s")
            .select([...attributeColumns])
            .where(anyOf("s.id", part))
            .execute();
          for (const row of found) attributes.set(row.song_id, toAttributes(row));
        }
        const added: PassageVector[] = [];
        for (const part of chunks(rows, insertChunk)) {
          const inserted = await trx
            .insertInto("passages")
            .values(
              part.map((p) => ({
                song_id: p.songId,
                ordinal: p.ordinal,
                text: p.text,
                vector: encodeVector(p.vector),
                model_id: modelId,
                catalog_version: catalogVersion,
              })),
            )
            .returning("id")
            .execute();
          inserted.forEach((row, i) => {
            const passage = part[i]!;
            added.push({ id: row.id, vector: passage.vector, song: attributes.get(passage.songId)! });
          });
        }
        return { catalogVersion, added, removed };
      });
    },

    async adoptModel(model) {
      const result = await db
        .updateTable("catalog_objects")
        .set({ model })
        .where("model", "<>", model)
        .where("status", "=", "done")
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    async pruneChanges(keepVersions) {
      const current = await currentVersion(db);
      const cutoff = current - keepVersions;
      if (cutoff <= 0) return;
      await transaction(db, async (trx) => {
        await trx.deleteFrom("catalog_removals").where("catalog_version", "<=", cutoff).execute();
        await trx
          .updateTable("catalog_state")
          .set((eb) => ({
            log_since: sql`CASE WHEN ${eb.ref("log_since")} < ${cutoff} THEN ${cutoff} ELSE ${eb.ref("log_since")} END`,
          }))
          .where("id", "=", 1)
          .execute();
      });
    },
  };
}
