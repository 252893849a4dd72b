/**
 * One commit of an ingest run, in one transaction: the lease fence first (an UPDATE guarded by
 * the lease token, which also locks the object's row so that nobody takes the lease over
 * mid-commit), then the catalog version, the songs upserted by id with their passages
 * replaced, which objects hold them, and the bad rows.
 */
import type { CommittedBatch, IngestBatch, IngestedSong } from "../../../core/catalog/store.js";
import { songAttributes } from "../../../core/catalog/song-filter.js";
import { insertedValue, transaction, type SqlContext } from "../dialect-sql.js";
import { encodeVector } from "../vector-codec.js";
import { bumpVersion } from "./catalog-version.js";
import { chunks, ROWS_PER_STATEMENT } from "./chunks.js";
import { insertPassages, removePassagesOf } from "./passages.js";
import { songValues, updatedSongColumns } from "./song-rows.js";

/** Row errors kept per object: enough to find and fix a broken file, bounded for a hostile one. */
export const STORED_ROW_ERRORS = 1000;

/**
 * Adds the batch's counters and progress to the object, only while `batch.lease` holds it.
 * Answers the object's generation and its errors so far, or null when the lease was lost.
 */
async function fence(
  trx: SqlContext,
  batch: IngestBatch,
): Promise<{ generation: number; errors: number } | null> {
  const fenced = await trx.db
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
  return trx.db
    .selectFrom("catalog_objects")
    .select(["generation", "errors"])
    .where("id", "=", batch.lease.objectId)
    .executeTakeFirstOrThrow();
}

/** Upserts the songs by id and records that the object's run `generation` holds them. */
async function upsertSongs(
  { db, dialect }: SqlContext,
  songs: readonly IngestedSong[],
  owner: { objectId: number; generation: number; modelId: number },
): Promise<void> {
  const at = new Date().toISOString();
  const update = Object.fromEntries(updatedSongColumns.map((c) => [c, insertedValue(dialect, c)]));
  const generation = { generation: insertedValue<number>(dialect, "generation") };
  for (const part of chunks(songs, ROWS_PER_STATEMENT / 4)) {
    const values = part.map(({ song, lyricsStatus, vector }) => ({
      ...songValues(song),
      lyrics_status: lyricsStatus,
      vector: vector ? encodeVector(vector) : null,
      model_id: vector ? owner.modelId : null,
      object_id: owner.objectId,
      created_at: at,
      updated_at: at,
    }));
    const insert = db.insertInto("songs").values(values);
    await (
      dialect === "mariadb"
        ? insert.onDuplicateKeyUpdate(update)
        : insert.onConflict((oc) => oc.column("id").doUpdateSet(update))
    ).execute();
    const members = part.map(({ song }) => ({
      object_id: owner.objectId,
      song_id: song.id,
      generation: owner.generation,
    }));
    const membership = db.insertInto("catalog_object_songs").values(members);
    await (
      dialect === "mariadb"
        ? membership.onDuplicateKeyUpdate(generation)
        : membership.onConflict((oc) => oc.columns(["object_id", "song_id"]).doUpdateSet(generation))
    ).execute();
  }
}

/** Writes the batch, or nothing (null) when its lease was lost. */
export function commitBatch({ db, dialect }: SqlContext, batch: IngestBatch): Promise<CommittedBatch | null> {
  return transaction(db, async (trxDb) => {
    const trx = { db: trxDb, dialect };
    const owner = await fence(trx, batch);
    if (!owner) return null;
    const objectId = batch.lease.objectId;
    const catalogVersion = await bumpVersion(trxDb);

    // The same id twice in one batch: the later row wins, as it would across batches.
    const songs = [...new Map(batch.songs.map((s) => [s.song.id, s])).values()];
    const removed = await removePassagesOf(
      trx,
      songs.map((s) => s.song.id),
      catalogVersion,
    );
    await upsertSongs(trx, songs, { objectId, generation: owner.generation, modelId: batch.modelId });
    const passages = songs.flatMap(({ song, passages }) => {
      const attributes = songAttributes(song);
      return passages.map((p, ordinal) => ({ songId: song.id, ordinal, ...p, song: attributes }));
    });
    const added = await insertPassages(trx, passages, { modelId: batch.modelId, catalogVersion });

    // A file with a million bad rows must not store a million reasons: the first ones show
    // what is wrong, the counter says how often.
    const room = Math.max(0, STORED_ROW_ERRORS - owner.errors + batch.counts.errors);
    for (const part of chunks(batch.rowErrors.slice(0, room))) {
      await trxDb
        .insertInto("catalog_row_errors")
        .values(part.map((e) => ({ object_id: objectId, line: e.line, reason: e.reason })))
        .execute();
    }
    return { catalogVersion, added, removed };
  });
}
