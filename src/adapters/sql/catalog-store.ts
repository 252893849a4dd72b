/** The catalog's write side on SQL: objects, songs, passages and the catalog version. */
import type { Kysely, Selectable, Transaction } from "kysely";
import type {
  CatalogObject,
  CatalogStore,
  CatalogTotals,
  CommittedBatch,
  IngestBatch,
  ObjectStatus,
  PassageVector,
} from "../../core/catalog/store.js";
import type { BucketObject, EmbeddingModel } from "../../core/ports.js";
import type { Database } from "./schema/index.js";
import type { CatalogObjectsTable } from "./schema/catalog.js";
import { isAnyOf } from "./any-of.js";
import { decodeVector, encodeVector } from "./vector-codec.js";

const now = () => new Date().toISOString();

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
  rowsDone: row.rows_done,
  bytesDone: Number(row.bytes_done),
  error: row.error,
  queuedAt: row.queued_at,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  durationMs: row.duration_ms,
});

/** Rows per multi-row INSERT, well under every dialect's bound-parameter limit. */
const insertChunk = 200;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function createSqlCatalogStore(db: Kysely<Database>): CatalogStore {
  const models = new Map<string, { id: number; dimension: number }>();

  async function bumpVersion(trx: Transaction<Database>): Promise<number> {
    const row = await trx
      .updateTable("catalog_state")
      .set((eb) => ({ version: eb("version", "+", 1), updated_at: now() }))
      .where("id", "=", 1)
      .returning("version")
      .executeTakeFirstOrThrow();
    return Number(row.version);
  }

  /** Every passage of a model in id order, a page at a time, with or without its vector. */
  async function* pagePassages(model: string, batchSize: number, withVectors: boolean) {
    const modelRow = await db
      .selectFrom("embedding_models")
      .select("id")
      .where("name", "=", model)
      .executeTakeFirst();
    if (!modelRow) return;
    let after = 0;
    for (;;) {
      const rows = await db
        .selectFrom("passages")
        .select(withVectors ? ["id", "song_id", "vector"] : ["id", "song_id"])
        .where("model_id", "=", modelRow.id)
        .where("id", ">", after)
        .orderBy("id")
        .limit(batchSize)
        .execute();
      if (rows.length === 0) return;
      yield rows as { id: number; song_id: string; vector?: Uint8Array }[];
      after = rows[rows.length - 1]!.id;
    }
  }

  return {
    async modelId(model: EmbeddingModel) {
      let known = models.get(model.name);
      if (!known) {
        await db
          .insertInto("embedding_models")
          .values({ name: model.name, dimension: model.dimension, created_at: now() })
          .onConflict((oc) => oc.column("name").doNothing())
          .execute();
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

    async catalogVersion() {
      const row = await db
        .selectFrom("catalog_state")
        .select("version")
        .where("id", "=", 1)
        .executeTakeFirstOrThrow();
      return Number(row.version);
    },

    async offerObject(source: string, listed: BucketObject, model: string) {
      return db.transaction().execute(async (trx) => {
        const existing = await trx
          .selectFrom("catalog_objects")
          .selectAll()
          .where("source", "=", source)
          .where("key", "=", listed.key)
          .executeTakeFirst();
        const unchanged =
          existing &&
          existing.etag === listed.etag &&
          Number(existing.size) === listed.size &&
          existing.model === model;
        // An unchanged object is already done, on its way (queued or processing, with its job in
        // the durable queue), or failed for a reason that only a change of the object can fix.
        if (existing && unchanged) return { object: toObject(existing), enqueue: false };
        const fresh = {
          etag: listed.etag,
          size: listed.size,
          status: "queued" as const,
          model,
          songs: 0,
          passages: 0,
          skipped: 0,
          errors: 0,
          rows_done: 0,
          bytes_done: 0,
          error: null,
          queued_at: now(),
          started_at: null,
          finished_at: null,
          duration_ms: null,
        };
        if (existing) {
          await trx.deleteFrom("catalog_row_errors").where("object_id", "=", existing.id).execute();
          const row = await trx
            .updateTable("catalog_objects")
            .set(fresh)
            .where("id", "=", existing.id)
            .returningAll()
            .executeTakeFirstOrThrow();
          return { object: toObject(row), enqueue: true };
        }
        const row = await trx
          .insertInto("catalog_objects")
          .values({ source, key: listed.key, ...fresh })
          .returningAll()
          .executeTakeFirstOrThrow();
        return { object: toObject(row), enqueue: true };
      });
    },

    async getObject(id) {
      const row = await db.selectFrom("catalog_objects").selectAll().where("id", "=", id).executeTakeFirst();
      return row ? toObject(row) : null;
    },

    async listObjects(options = {}) {
      let query = db.selectFrom("catalog_objects").selectAll().orderBy("source").orderBy("key");
      if (options.source) query = query.where("source", "=", options.source);
      return (await query.execute()).map(toObject);
    },

    async startObject(id, etag, model) {
      const row = await db
        .updateTable("catalog_objects")
        .set((eb) => ({ status: "processing", started_at: eb.fn.coalesce("started_at", eb.val(now())) }))
        .where("id", "=", id)
        .where("etag", "=", etag)
        .where("model", "=", model)
        .where("status", "in", ["queued", "processing"])
        .returningAll()
        .executeTakeFirst();
      return row ? toObject(row) : null;
    },

    async commitBatch(batch: IngestBatch): Promise<CommittedBatch | null> {
      return db.transaction().execute(async (trx) => {
        const owner = await trx
          .selectFrom("catalog_objects")
          .select(["etag", "status"])
          .where("id", "=", batch.objectId)
          .executeTakeFirst();
        if (!owner || owner.etag !== batch.etag || owner.status !== "processing") return null;

        // The same id twice in one batch: the later row wins, as it would across batches.
        const songs = [...new Map(batch.songs.map((s) => [s.song.id, s])).values()];
        const ids = songs.map((s) => s.song.id);
        const removed: number[] = [];
        for (const part of chunks(ids, insertChunk)) {
          const old = await trx.selectFrom("passages").select("id").where("song_id", "in", part).execute();
          removed.push(...old.map((p) => p.id));
          if (old.length > 0) await trx.deleteFrom("passages").where("song_id", "in", part).execute();
        }

        const at = now();
        for (const part of chunks(songs, insertChunk / 4)) {
          await trx
            .insertInto("songs")
            .values(
              part.map(({ song, lyricsStatus, vector }) => ({
                id: song.id,
                title: song.title,
                artists: JSON.stringify(song.artists),
                album: song.album,
                genre: song.genre,
                language: song.language,
                release_date: song.releaseDate,
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
                lyrics_status: lyricsStatus,
                vector: vector ? encodeVector(vector) : null,
                model_id: vector ? batch.modelId : null,
                object_id: batch.objectId,
                created_at: at,
                updated_at: at,
              })),
            )
            .onConflict((oc) =>
              oc.column("id").doUpdateSet((eb) => ({
                title: eb.ref("excluded.title"),
                artists: eb.ref("excluded.artists"),
                album: eb.ref("excluded.album"),
                genre: eb.ref("excluded.genre"),
                language: eb.ref("excluded.language"),
                release_date: eb.ref("excluded.release_date"),
                popularity: eb.ref("excluded.popularity"),
                danceability: eb.ref("excluded.danceability"),
                energy: eb.ref("excluded.energy"),
                key: eb.ref("excluded.key"),
                loudness: eb.ref("excluded.loudness"),
                mode: eb.ref("excluded.mode"),
                speechiness: eb.ref("excluded.speechiness"),
                acousticness: eb.ref("excluded.acousticness"),
                instrumentalness: eb.ref("excluded.instrumentalness"),
                liveness: eb.ref("excluded.liveness"),
                valence: eb.ref("excluded.valence"),
                tempo: eb.ref("excluded.tempo"),
                duration_ms: eb.ref("excluded.duration_ms"),
                lyrics: eb.ref("excluded.lyrics"),
                lyrics_status: eb.ref("excluded.lyrics_status"),
                vector: eb.ref("excluded.vector"),
                model_id: eb.ref("excluded.model_id"),
                object_id: eb.ref("excluded.object_id"),
                updated_at: eb.ref("excluded.updated_at"),
              })),
            )
            .execute();
        }

        const passages = songs.flatMap(({ song, passages }) =>
          passages.map((p, ordinal) => ({
            song_id: song.id,
            ordinal,
            text: p.text,
            vector: encodeVector(p.vector),
            model_id: batch.modelId,
            source: p.vector,
          })),
        );
        const added: PassageVector[] = [];
        for (const part of chunks(passages, insertChunk)) {
          const rows = await trx
            .insertInto("passages")
            .values(part.map(({ source: _source, ...row }) => row))
            .returning("id")
            .execute();
          rows.forEach((row, i) =>
            added.push({ id: row.id, vector: part[i]!.source, songId: part[i]!.song_id }),
          );
        }

        for (const part of chunks(batch.rowErrors, insertChunk)) {
          await trx
            .insertInto("catalog_row_errors")
            .values(part.map((e) => ({ object_id: batch.objectId, line: e.line, reason: e.reason })))
            .execute();
        }

        await trx
          .updateTable("catalog_objects")
          .set((eb) => ({
            songs: eb("songs", "+", batch.counts.songs),
            passages: eb("passages", "+", batch.counts.passages),
            skipped: eb("skipped", "+", batch.counts.skipped),
            errors: eb("errors", "+", batch.counts.errors),
            rows_done: batch.rowsDone,
            bytes_done: batch.bytesDone,
          }))
          .where("id", "=", batch.objectId)
          .execute();

        const catalogVersion = await bumpVersion(trx);
        return { catalogVersion, added, removed };
      });
    },

    async finishObject(id, etag, outcome) {
      const row = await db
        .selectFrom("catalog_objects")
        .select("started_at")
        .where("id", "=", id)
        .executeTakeFirst();
      const finished = new Date();
      const started = row?.started_at ? Date.parse(row.started_at) : finished.getTime();
      await db
        .updateTable("catalog_objects")
        .set({
          status: outcome.status,
          error: outcome.error ?? null,
          finished_at: finished.toISOString(),
          duration_ms: finished.getTime() - started,
        })
        .where("id", "=", id)
        .where("etag", "=", etag)
        .execute();
    },

    async rowErrors(objectId, limit) {
      return db
        .selectFrom("catalog_row_errors")
        .select(["line", "reason"])
        .where("object_id", "=", objectId)
        .orderBy("line")
        .limit(limit)
        .execute();
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
        catalogVersion: await this.catalogVersion(),
      };
    },

    async *streamPassageVectors(model, batchSize = 2048) {
      for await (const rows of pagePassages(model, batchSize, true)) {
        yield rows.map((r) => ({ id: r.id, songId: r.song_id, vector: decodeVector(r.vector!) }));
      }
    },

    async passageVectors(ids) {
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom("passages")
        .select(["id", "song_id", "vector"])
        .where(isAnyOf("id", ids))
        .execute();
      return rows.map((r) => ({ id: r.id, songId: r.song_id, vector: decodeVector(r.vector) }));
    },

    async *streamPassageSongs(model, batchSize = 8192) {
      for await (const rows of pagePassages(model, batchSize, false)) {
        yield rows.map((r) => ({ id: r.id, songId: r.song_id }));
      }
    },
  };
}
