/**
 * One commit of an ingest run, in one transaction: the lease fence first (an UPDATE guarded by
 * the lease token, which also locks the object's row so that nobody takes the lease over
 * mid-commit), then the catalog version, the songs upserted by id with their passages
 * replaced, which objects hold them, and the row reports: bad rows, values changed, and the
 * rows that repeat the id of an earlier row of the run.
 */
import type { CommittedBatch, IngestBatch, IngestedSong, RowReport } from "../../../core/catalog/store.js";
import { songAttributes } from "../../../core/catalog/song-filter.js";
import { insertedValue, isAnyOf, transaction, type SqlContext } from "../dialect-sql.js";
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
      changed: eb("changed", "+", batch.counts.changed),
      passages_reused: eb("passages_reused", "+", batch.counts.reused ?? 0),
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

/**
 * A report for each song of the batch whose id an earlier row of the run (the object's
 * `generation`) had, in an earlier commit or earlier in this batch: the later row replaces
 * the earlier one, which is said on the later row's line.
 */
async function repeatedIds(
  { db, dialect }: SqlContext,
  songs: readonly IngestedSong[],
  owner: { objectId: number; generation: number },
): Promise<RowReport[]> {
  const held = new Set<string>();
  for (const part of chunks([...new Set(songs.map((s) => s.song.id))])) {
    const rows = await db
      .selectFrom("catalog_object_songs")
      .select("song_id")
      .where("object_id", "=", owner.objectId)
      .where("generation", "=", owner.generation)
      .where(isAnyOf(dialect, "song_id", part))
      .execute();
    for (const row of rows) held.add(row.song_id);
  }
  const reports: RowReport[] = [];
  for (const { song, line } of songs) {
    if (held.has(song.id))
      reports.push({
        line: line ?? 0,
        reason: `the same song as an earlier row of this file: this row replaces it\nid: ${JSON.stringify(song.id)}`,
        kind: "changed",
      });
    held.add(song.id);
  }
  return reports;
}

/** Row reports stored of an object: a bounded number, the first ones by the order they came in. */
async function storedReports(db: SqlContext["db"], objectId: number): Promise<number> {
  const { n } = await db
    .selectFrom("catalog_row_errors")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("object_id", "=", objectId)
    .executeTakeFirstOrThrow();
  return Number(n);
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

/** Adds the rows that repeated an id, and had no other change reported, to the object's `changed`. */
async function countRepeats(
  { db }: SqlContext,
  objectId: number,
  batch: IngestBatch,
  repeats: readonly RowReport[],
): Promise<void> {
  const noted = new Set(batch.rowErrors.filter((r) => r.kind === "changed").map((r) => r.line));
  const more = new Set(repeats.map((r) => r.line).filter((line) => !noted.has(line))).size;
  if (more === 0) return;
  await db
    .updateTable("catalog_objects")
    .set((eb) => ({ changed: eb("changed", "+", more) }))
    .where("id", "=", objectId)
    .execute();
}

/** Writes the batch, or nothing (null) when its lease was lost. */
export function commitBatch({ db, dialect }: SqlContext, batch: IngestBatch): Promise<CommittedBatch | null> {
  return transaction(db, async (trxDb) => {
    const trx = { db: trxDb, dialect };
    const owner = await fence(trx, batch);
    if (!owner) return null;
    const objectId = batch.lease.objectId;
    const catalogVersion = await bumpVersion(trxDb);

    // The same id twice in a run: the later row wins, and says so.
    const repeats = await repeatedIds(trx, batch.songs, { objectId, generation: owner.generation });
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

    await countRepeats(trx, objectId, batch, repeats);
    // A file with a million bad rows must not store a million reasons: the first ones show
    // what is wrong, the counters say how often.
    const reports = [...batch.rowErrors, ...repeats].sort((a, b) => a.line - b.line);
    const room = Math.max(0, STORED_ROW_ERRORS - (await storedReports(trxDb, objectId)));
    for (const part of chunks(reports.slice(0, room))) {
      await trxDb
        .insertInto("catalog_row_errors")
        .values(part.map((e) => ({ object_id: objectId, line: e.line, reason: e.reason, kind: e.kind })))
        .execute();
    }
    return { catalogVersion, added, removed };
  });
}
