/**
 * The song attributes of a snapshot's passages, as the file beside its graph holds them:
 * `{songs: [attributes…], passages: [id, song index, id, song index, …]}`, each record once,
 * each passage two numbers.
 */
import type { SongAttributes } from "../../core/catalog/song-filter.js";
import { assertId, assertSongAttributes } from "./common.js";
import { SongAttributeTable } from "./song-attribute-table.js";

/** The attributes of the passages of an index: a record per song, a slot per passage. */
export interface PassageSongs {
  table: SongAttributeTable;
  songOf: Map<number, number>;
}

export function serializeSongs(table: SongAttributeTable, songOf: ReadonlyMap<number, number>): string {
  const indexOfSlot = new Map<number, number>();
  const songs: SongAttributes[] = [];
  const passages: number[] = [];
  for (const [id, slot] of songOf) {
    let index = indexOfSlot.get(slot);
    if (index === undefined) {
      index = songs.length;
      indexOfSlot.set(slot, index);
      songs.push(table.attributes(slot));
    }
    passages.push(id, index);
  }
  return JSON.stringify({ songs, passages });
}

export function parseSongs(text: string): PassageSongs {
  const value = JSON.parse(text) as { songs?: unknown; passages?: unknown };
  const songs = value.songs;
  const passages = value.passages;
  if (!Array.isArray(songs) || !Array.isArray(passages) || passages.length % 2 !== 0) {
    throw new Error("malformed songs file");
  }
  songs.forEach((song, i) => assertSongAttributes(song as SongAttributes, `song record ${i}`));
  const table = new SongAttributeTable();
  const songOf = new Map<number, number>();
  for (let i = 0; i < passages.length; i += 2) {
    const id = passages[i] as number;
    const song = songs[passages[i + 1] as number] as SongAttributes | undefined;
    assertId(id);
    if (song === undefined || songOf.has(id)) throw new Error(`malformed passage ${id} in the songs file`);
    songOf.set(id, table.acquire(song));
  }
  return { table, songOf };
}
