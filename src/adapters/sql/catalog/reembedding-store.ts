/**
 * Re-embedding on SQL (`verso reindex`): which passages another model embedded, their texts a
 * few songs at a time, and each song's passages replaced by the same texts under the new model
 * in one commit, through the change log like any other.
 */
import { sql } from "kysely";
import type { EmbeddingModelIds, ReembeddingStore, SongToReembed } from "../../../core/catalog/store.js";
import type { SongAttributes } from "../../../core/catalog/song-filter.js";
import { isAnyOf, transaction, type SqlContext } from "../dialect-sql.js";
import { encodeVector } from "../vector-codec.js";
import { bumpVersion } from "./catalog-version.js";
import { chunks } from "./chunks.js";
import { recordedModelId } from "./model-ids.js";
import { insertPassages, removePassagesOf, storedVectors } from "./passages.js";
import { attributeColumns, toAttributes } from "./song-rows.js";

/** Stands for "no model recorded": no passage has this model id, so every one is stale. */
const NO_MODEL = -1;

export function createSqlReembeddingStore(context: SqlContext, models: EmbeddingModelIds): ReembeddingStore {
  const { db, dialect } = context;

  /** The passages of these songs, by song, in order. */
  async function passagesOf(songIds: readonly string[]): Promise<SongToReembed[]> {
    const passages = await db
      .selectFrom("passages")
      .select(["song_id", "ordinal", "text"])
      .where(isAnyOf(dialect, "song_id", songIds))
      .orderBy("song_id")
      .orderBy("ordinal")
      .execute();
    const bySong = new Map<string, { ordinal: number; text: string }[]>();
    for (const p of passages) {
      const list = bySong.get(p.song_id) ?? [];
      list.push({ ordinal: p.ordinal, text: p.text });
      bySong.set(p.song_id, list);
    }
    return songIds.map((songId) => ({ songId, passages: bySong.get(songId) ?? [] }));
  }

  async function attributesOf(
    trx: SqlContext,
    songIds: readonly string[],
  ): Promise<Map<string, SongAttributes>> {
    const attributes = new Map<string, SongAttributes>();
    for (const part of chunks(songIds)) {
      const found = await trx.db
        .selectFrom("songs as s")
        .select([...attributeColumns])
        .where(isAnyOf(dialect, "s.id", part))
        .execute();
      for (const row of found) attributes.set(row.song_id, toAttributes(row));
    }
    return attributes;
  }

  return {
    modelId: (model) => models.modelId(model),

    async staleEmbeddings(model) {
      const current = (await recordedModelId(db, model)) ?? NO_MODEL;
      const rows = await db
        .selectFrom("passages as p")
        .innerJoin("embedding_models as m", "m.id", "p.model_id")
        .select((eb) => [
          "m.name as name",
          eb.fn.countAll<number>().as("passages"),
          eb.fn.count<number>(sql`DISTINCT p.song_id`).as("songs"),
        ])
        .where("p.model_id", "<>", current)
        .groupBy("m.name")
        .execute();
      return {
        songs: rows.reduce((sum, r) => sum + Number(r.songs), 0),
        passages: rows.reduce((sum, r) => sum + Number(r.passages), 0),
        models: rows.map((r) => r.name),
      };
    },

    async *songsToReembed(model, batchSize = 64) {
      const current = (await recordedModelId(db, model)) ?? NO_MODEL;
      for (let after = ""; ;) {
        // Songs first (keyset over their ids), then all their passages: a song is re-embedded whole.
        const rows = await db
          .selectFrom("passages")
          .select("song_id")
          .distinct()
          .where("model_id", "<>", current)
          .where("song_id", ">", after)
          .orderBy("song_id")
          .limit(batchSize)
          .execute();
        if (rows.length === 0) return;
        const ids = rows.map((r) => r.song_id);
        yield await passagesOf(ids);
        after = ids[ids.length - 1]!;
      }
    },

    async replaceEmbeddings(modelId, songs) {
      return transaction(db, async (trxDb) => {
        const trx = { db: trxDb, dialect };
        const catalogVersion = await bumpVersion(trxDb);
        const ids = songs.map((s) => s.songId);
        const removed = await removePassagesOf(trx, ids, catalogVersion);
        for (const song of songs) {
          await trxDb
            .updateTable("songs")
            .set({
              vector: song.vector ? encodeVector(song.vector) : null,
              model_id: song.vector ? modelId : null,
              updated_at: new Date().toISOString(),
            })
            .where("id", "=", song.songId)
            .execute();
        }
        const attributes = await attributesOf(trx, ids);
        const passages = songs.flatMap((s) =>
          s.passages.map((p) => ({ songId: s.songId, ...p, song: attributes.get(s.songId)! })),
        );
        const added = await insertPassages(trx, passages, { modelId, catalogVersion });
        return { catalogVersion, added, removed };
      });
    },

    storedVectors: (modelId, textHashes) => storedVectors(context, modelId, textHashes),

    async adoptModel(model) {
      const result = await db
        .updateTable("catalog_objects")
        .set({ model })
        .where("model", "<>", model)
        .where("status", "=", "done")
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}
