/**
 * The passage shown for each song of an answer: the one the index found it by, else (a song
 * only the full text or the song index found) its passage nearest to the prompt.
 */
import type { Song } from "../catalog/song.js";
import type { SongStore } from "../catalog/store.js";
import { dot } from "../vectors.js";
import type { PassageWithVector } from "./catalog-memory.js";
import type { Candidate } from "./fusion.js";
import type { SongHit } from "./types.js";

export type { PassageWithVector } from "./catalog-memory.js";

export interface SnippetStore extends Pick<SongStore, "getPassages"> {
  /** The passages of these songs with their vectors (catalog-memory.ts keeps them). */
  passages(songIds: readonly string[]): Promise<PassageWithVector[]>;
}

/** Each wanted song's passage nearest to the vector, among these passages. */
export function nearestPassages(
  vector: Float32Array,
  songIds: readonly string[],
  passages: readonly PassageWithVector[],
): Map<string, PassageWithVector> {
  const wanted = new Set(songIds);
  const best = new Map<string, { score: number; passage: PassageWithVector }>();
  for (const passage of passages) {
    if (!wanted.has(passage.songId)) continue;
    const score = dot(vector, passage.vector);
    const current = best.get(passage.songId);
    if (!current || score > current.score) best.set(passage.songId, { score, passage });
  }
  return new Map([...best].map(([songId, { passage }]) => [songId, passage]));
}

export class Snippets {
  constructor(private readonly store: SnippetStore) {}

  /** The passages of these songs with their vectors, read ahead for choosing their snippets. */
  passagesOf(songIds: readonly string[]): Promise<PassageWithVector[]> {
    return this.store.passages(songIds);
  }

  /**
   * The chosen songs (all in `songs`) as hits with their snippets; `read` holds passages
   * already read, so that only the songs they do not cover are read again.
   */
  async hits(
    chosen: readonly Candidate[],
    vector: Float32Array,
    songs: Map<string, Song>,
    read: readonly PassageWithVector[] = [],
  ): Promise<SongHit[]> {
    const unfound = chosen.filter((c) => c.passageId === undefined).map((c) => c.songId);
    const nearest = unfound.length > 0 ? await this.nearest(vector, unfound, read) : new Map();
    const passages = await this.store.getPassages(
      chosen.flatMap((c) => (c.passageId === undefined ? [] : [c.passageId])),
    );
    return chosen.map((c): SongHit => {
      const passage = c.passageId === undefined ? nearest.get(c.songId) : passages.get(c.passageId);
      return {
        song: songs.get(c.songId)!,
        score: Number(c.score.toFixed(6)),
        passage: passage ? { text: passage.text, ordinal: passage.ordinal } : { text: "", ordinal: -1 },
      };
    });
  }

  private async nearest(vector: Float32Array, songIds: string[], read: readonly PassageWithVector[]) {
    const have = new Set(read.map((p) => p.songId));
    const unread = songIds.filter((id) => !have.has(id));
    const more = unread.length > 0 ? await this.passagesOf(unread) : [];
    return nearestPassages(vector, songIds, [...read, ...more]);
  }
}
