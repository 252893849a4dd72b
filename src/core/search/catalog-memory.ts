/**
 * Songs, their whole-lyrics vectors and their passages only change with the catalog version:
 * the ones asks keep reading stay in memory until it moves.
 */
import { LRUCache } from "lru-cache";
import type { Song } from "../catalog/song.js";
import type { PassageRecord, SongStore } from "../catalog/store.js";

export type CatalogMemoryStore = Pick<SongStore, "getSongs" | "songVectors" | "passagesOfSongs">;

export type PassageWithVector = PassageRecord & { vector: Float32Array };

/** How many songs, and how many vectors, it keeps at the most. */
const CAPACITY = 20_000;
/** How many passages (with their vectors: about 2 KiB each at 512 dimensions) it keeps at the most. */
const PASSAGE_CAPACITY = 20_000;

export class CatalogMemory {
  private catalogVersion = -1;
  private readonly songMemory = new LRUCache<string, Song>({ max: CAPACITY });
  private readonly vectorMemory = new LRUCache<string, Float32Array>({ max: CAPACITY });
  /** Each song's passages, counted by how many it has (a song without any counts one). */
  private readonly passageMemory = new LRUCache<string, PassageWithVector[]>({
    maxSize: PASSAGE_CAPACITY,
    sizeCalculation: (passages) => Math.max(1, passages.length),
  });

  constructor(
    private readonly store: CatalogMemoryStore,
    /** The embedding model whose vectors it reads. */
    private readonly model: string,
  ) {}

  /** Forgets everything it holds when the catalog is at another version than what it holds is of. */
  forCatalogVersion(catalogVersion: number): void {
    if (this.catalogVersion === catalogVersion) return;
    this.songMemory.clear();
    this.vectorMemory.clear();
    this.passageMemory.clear();
    this.catalogVersion = catalogVersion;
  }

  /** The songs of these ids that exist. */
  songs(ids: readonly string[]): Promise<Map<string, Song>> {
    return throughMemory(this.songMemory, ids, (missing) => this.store.getSongs(missing));
  }

  /** The whole-lyrics vectors of the songs of these ids that have one. */
  songVectors(ids: readonly string[]): Promise<Map<string, Float32Array>> {
    return throughMemory(this.vectorMemory, ids, (missing) => this.store.songVectors(missing, this.model));
  }

  /** The passages of these songs, with their vectors: what snippets and fit features read. */
  async passages(ids: readonly string[]): Promise<PassageWithVector[]> {
    const bySong = await throughMemory(this.passageMemory, ids, async (missing) => {
      const read = new Map<string, PassageWithVector[]>(missing.map((id) => [id, []]));
      for (const passage of await this.store.passagesOfSongs(missing, this.model)) {
        read.get(passage.songId)?.push(passage);
      }
      return read;
    });
    return [...bySong.values()].flat();
  }
}

/** The values of these ids, from memory where it has them and read (then kept) where it has not. */
async function throughMemory<V extends object>(
  memory: LRUCache<string, V>,
  ids: readonly string[],
  read: (missing: string[]) => Promise<Map<string, V>>,
): Promise<Map<string, V>> {
  const out = new Map<string, V>();
  const missing: string[] = [];
  for (const id of ids) {
    const value = memory.get(id);
    if (value) out.set(id, value);
    else missing.push(id);
  }
  for (const [id, value] of missing.length > 0 ? await read(missing) : new Map<string, V>()) {
    memory.set(id, value);
    out.set(id, value);
  }
  return out;
}
