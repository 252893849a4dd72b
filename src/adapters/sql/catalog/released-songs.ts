/**
 * Songs an object no longer holds: they leave it, and those no other object holds leave the
 * catalog with their passages. What a finished run no longer lists, and what a removed
 * object held.
 */
import { isAnyOf, type SqlContext } from "../dialect-sql.js";
import { bumpVersion } from "./catalog-version.js";
import { chunks } from "./chunks.js";
import { removePassagesOf } from "./passages.js";

export interface ReleasedSongs {
  catalogVersion: number;
  /** The passages that left the catalog. */
  removed: number[];
  /** How many songs left the catalog. */
  songs: number;
}

/**
 * In the transaction of `trx`: the songs the object holds from runs other than `keepGeneration`
 * (all of them when it is null) leave it. Null when there were none, and nothing changed.
 */
export async function releaseSongs(
  trx: SqlContext,
  objectId: number,
  keepGeneration: number | null,
): Promise<ReleasedSongs | null> {
  const { db, dialect } = trx;
  let staleQuery = db.selectFrom("catalog_object_songs").select("song_id").where("object_id", "=", objectId);
  if (keepGeneration !== null) staleQuery = staleQuery.where("generation", "<>", keepGeneration);
  const stale = (await staleQuery.execute()).map((r) => r.song_id);
  if (stale.length === 0) return null;
  // Taken before anything is decided: commits of other workers that might hold one of
  // these songs again are serialized behind this transaction, or it behind theirs.
  const catalogVersion = await bumpVersion(db);
  const orphans: string[] = [];
  for (const part of chunks(stale)) {
    await db
      .deleteFrom("catalog_object_songs")
      .where("object_id", "=", objectId)
      .where(isAnyOf(dialect, "song_id", part))
      .execute();
    const held = await db
      .selectFrom("catalog_object_songs")
      .select("song_id")
      .where(isAnyOf(dialect, "song_id", part))
      .execute();
    const heldIds = new Set(held.map((r) => r.song_id));
    orphans.push(...part.filter((id) => !heldIds.has(id)));
  }
  const removed = await removePassagesOf(trx, orphans, catalogVersion);
  for (const part of chunks(orphans)) {
    await db
      .deleteFrom("songs")
      .where(isAnyOf(dialect, "id", part))
      .execute();
  }
  return { catalogVersion, removed, songs: orphans.length };
}
