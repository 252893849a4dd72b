/** The catalog's repository ports: what ingest writes and what search reads. */
import type { BucketObject, EmbeddingModel, VectorEntry } from "../ports.js";
import type { LyricsStatus, Song, SongWithLyrics } from "./song.js";
import type { SongRow } from "./layout.js";

export type ObjectStatus = "queued" | "processing" | "done" | "failed";

export interface CatalogObject {
  id: number;
  source: string;
  key: string;
  etag: string;
  size: number;
  status: ObjectStatus;
  model: string | null;
  songs: number;
  passages: number;
  skipped: number;
  errors: number;
  rowsDone: number;
  bytesDone: number;
  error: string | null;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
}

/** The message a crawler puts on the ingest queue: one catalog object to process. */
export interface IngestJob {
  objectId: number;
  source: string;
  key: string;
  etag: string;
}

export interface IngestedSong {
  song: SongRow;
  lyricsStatus: LyricsStatus;
  /** Passages in order, with their vectors; empty when the lyrics are missing or a placeholder. */
  passages: { text: string; vector: Float32Array }[];
  /** The whole song as one vector (mean of its passages, normalized); null without passages. */
  vector: Float32Array | null;
}

/** What one commit of the worker writes: a run of consecutive rows of one object. */
export interface IngestBatch {
  objectId: number;
  etag: string;
  modelId: number;
  songs: IngestedSong[];
  rowErrors: { line: number; reason: string }[];
  /** Counters to add to the object's totals. */
  counts: { songs: number; passages: number; skipped: number; errors: number };
  /** Position reached after this batch, where a restarted worker resumes. */
  rowsDone: number;
  bytesDone: number;
}

/** A passage vector with the song it belongs to. */
export interface PassageVector extends VectorEntry {
  songId: string;
}

export interface CommittedBatch {
  catalogVersion: number;
  /** Passage vectors written, to add to the vector index. */
  added: PassageVector[];
  /** Passages replaced or gone, to remove from the vector index. */
  removed: number[];
}

export interface CatalogTotals {
  songs: number;
  songsWithPassages: number;
  passages: number;
  objects: Record<ObjectStatus, number>;
  catalogVersion: number;
}

export interface CatalogStore {
  /** The id under which vectors of this model are stored, created on first use. */
  modelId(model: EmbeddingModel): Promise<number>;
  catalogVersion(): Promise<number>;
  /**
   * Records a listed object and says whether it needs processing: it does when it is new, its
   * etag or size changed, it was ingested with another model, or it never finished.
   * A changed object is reset to queued.
   */
  offerObject(
    source: string,
    object: BucketObject,
    model: string,
  ): Promise<{ object: CatalogObject; enqueue: boolean }>;
  getObject(id: number): Promise<CatalogObject | null>;
  listObjects(options?: { source?: string }): Promise<CatalogObject[]>;
  /** Marks the object as being processed; null when it changed since the job was queued. */
  startObject(id: number, etag: string, model: string): Promise<CatalogObject | null>;
  /**
   * Writes a batch in one transaction: songs upserted by id, their passages replaced, row
   * errors and progress recorded, catalog version bumped. Null when the object changed meanwhile.
   */
  commitBatch(batch: IngestBatch): Promise<CommittedBatch | null>;
  finishObject(
    id: number,
    etag: string,
    outcome: { status: "done" | "failed"; error?: string },
  ): Promise<void>;
  rowErrors(objectId: number, limit: number): Promise<{ line: number; reason: string }[]>;
  totals(): Promise<CatalogTotals>;
  /** Every stored passage vector of a model, in batches: what a vector index is rebuilt from. */
  streamPassageVectors(model: string, batchSize?: number): AsyncIterable<PassageVector[]>;
  /** Stored passage vectors by passage id. */
  passageVectors(ids: readonly number[]): Promise<PassageVector[]>;
  /** The song of every stored passage of a model, in batches. */
  streamPassageSongs(model: string, batchSize?: number): AsyncIterable<{ id: number; songId: string }[]>;
}

export interface PassageRecord {
  id: number;
  songId: string;
  ordinal: number;
  text: string;
}

export interface LexicalHit {
  songId: string;
  /** Higher is better. */
  score: number;
}

export interface SongStore {
  getSong(id: string): Promise<SongWithLyrics | null>;
  getSongs(ids: readonly string[]): Promise<Map<string, Song>>;
  getPassages(ids: readonly number[]): Promise<Map<number, PassageRecord>>;
  /** The song of each passage: what a vector hit is grouped by, without the passage text. */
  songsOfPassages(ids: readonly number[]): Promise<Map<number, string>>;
  /** Passages of these songs with their vectors, for choosing the best snippet. */
  passagesOfSongs(
    songIds: readonly string[],
    model: string,
  ): Promise<(PassageRecord & { vector: Float32Array })[]>;
  /** Whole-song vectors (the mean of each song's passages) of the songs that have one. */
  songVectors(ids: readonly string[], model: string): Promise<Map<string, Float32Array>>;
  /** Every song vector of a model, in batches (whole-song ranking and similar songs). */
  streamSongVectors(
    model: string,
    batchSize?: number,
  ): AsyncIterable<{ songId: string; vector: Float32Array }[]>;
  /** Full-text search over title, artists and lyrics; terms are plain words, OR-ed. */
  searchLexical(terms: readonly string[], limit: number): Promise<LexicalHit[]>;
}
