/**
 * Songs and their whole-lyrics vectors only change with the catalog version: the ones asks
 * keep reading stay in memory until it moves.
 */
import { LRUCache } from "lru-cache";
import type { Song } from "../catalog/song.js";
import type { SongStore } from "../catalog/store.js";

export type CatalogMemoryStore = Pick<SongStore, "getSongs" | "songVectors">;

/** How many songs, and how many vectors, it keeps at the most. */
const CAPACITY = 20_000;

export class CatalogMemory {
  private catalogVersion = -1;
  private readonly songMemory = new LRUCache<string, Song>({ max: CAPACITY });
  private readonly vectorMemory = new LRUCache<string, Float32Array>({ max: CAPACITY });

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
