/**
 * Passage writes, the one place they happen: a commit (ingest or re-embedding) deletes the old
 * passages of its songs into the change log and inserts the new ones under its catalog version,
 * each with the hash of the text its vector came from; and the stored vectors by that hash.
 */
import type { PassageVector } from "../../../core/catalog/store.js";
import type { SongAttributes } from "../../../core/catalog/song-filter.js";
import { isAnyOf, type SqlContext } from "../dialect-sql.js";
import { decodeVector, encodeVector } from "../vector-codec.js";
import { chunks } from "./chunks.js";

export interface NewPassage {
  songId: string;
  ordinal: number;
  text: string;
  vector: Float32Array;
  /** SHA-256 (hex) of the text the vector was embedded from; unset where it is not known. */
  textHash?: string | undefined;
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
          text_sha256: p.textHash ?? null,
        })),
      )
      .returning("id")
      .execute();
    rows.forEach((row, i) => added.push({ id: row.id, vector: part[i]!.vector, song: part[i]!.song }));
  }
  return added;
}

/**
 * A stored vector of the model for each of these text hashes that has one (the oldest passage's,
 * when several share the text), by hash: one statement per chunk of hashes.
 */
export async function storedVectors(
  { db, dialect }: SqlContext,
  modelId: number,
  textHashes: readonly string[],
): Promise<Map<string, Float32Array>> {
  const found = new Map<string, Float32Array>();
  for (const part of chunks([...new Set(textHashes)])) {
    const rows = await db
      .selectFrom("passages")
      .select(["text_sha256", "vector"])
      .where("id", "in", (eb) =>
        eb
          .selectFrom("passages as p")
          .select((e) => e.fn.min<number>("p.id").as("id"))
          .where("p.model_id", "=", modelId)
          .where(isAnyOf(dialect, "p.text_sha256", part))
          .groupBy("p.text_sha256"),
      )
      .execute();
    for (const row of rows) if (row.text_sha256) found.set(row.text_sha256, decodeVector(row.vector));
  }
  return found;
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
