/**
 * Passage writes, the one place they happen: a commit (ingest or re-embedding) deletes the old
 * passages of its songs into the change log and inserts the new ones under its catalog version.
 */
import type { PassageVector } from "../../../core/catalog/store.js";
import type { SongAttributes } from "../../../core/catalog/song-filter.js";
import { isAnyOf, type SqlContext } from "../dialect-sql.js";
import { encodeVector } from "../vector-codec.js";
import { chunks } from "./chunks.js";

export interface NewPassage {
  songId: string;
  ordinal: number;
  text: string;
  vector: Float32Array;
  /** Its song's attributes, which the vector index keeps with it. */
  song: SongAttributes;
}

/** Inserts the passages under `catalogVersion`; answers them as the vector index takes them. */
export async function insertPassages(
  { db }: SqlContext,
  passages: readonly NewPassage[],
  commit: { modelId: number; catalogVersion: number },
): Promise<PassageVector[]> {
  const added: PassageVector[] = [];
  for (const part of chunks(passages)) {
    const rows = await db
      .insertInto("passages")
      .values(
        part.map((p) => ({
          song_id: p.songId,
          ordinal: p.ordinal,
          text: p.text,
          vector: encodeVector(p.vector),
          model_id: commit.modelId,
          catalog_version: commit.catalogVersion,
        })),
      )
      .returning("id")
      .execute();
    rows.forEach((row, i) => added.push({ id: row.id, vector: part[i]!.vector, song: part[i]!.song }));
  }
  return added;
}

/** The passages of these songs go: their ids are written to the change log under `catalogVersion`. */
export async function removePassagesOf(
  { db, dialect }: SqlContext,
  songIds: readonly string[],
  catalogVersion: number,
): Promise<number[]> {
  const removed: number[] = [];
  for (const part of chunks(songIds)) {
    const old = await db
      .selectFrom("passages")
      .select("id")
      .where(isAnyOf(dialect, "song_id", part))
      .execute();
    if (old.length === 0) continue;
    const ids = old.map((p) => p.id);
    removed.push(...ids);
    for (const idPart of chunks(ids)) {
      await db
        .deleteFrom("passages")
        .where(isAnyOf(dialect, "id", idPart))
        .execute();
      await db
        .insertInto("catalog_removals")
        .values(idPart.map((id) => ({ catalog_version: catalogVersion, passage_id: id })))
        .execute();
    }
  }
  return removed;
}
