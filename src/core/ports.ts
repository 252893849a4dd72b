/**
 * The technology ports. Each has an embedded adapter (the default, in-process) and scale-out
 * adapters chosen by configuration; every adapter of a port passes the same contract suite in
 * test/contract/. Repository ports of each domain live beside that domain (catalog/store.ts …).
 */
import type { Readable } from "node:stream";
import type { CsvRowEvent } from "./catalog/csv.js";
import type { SongAttributes, SongFilter } from "./catalog/song-filter.js";

// ── embedder ────────────────────────────────────────────────────────────────────────────────

export interface EmbeddingModel {
  /** Stable name recorded with every stored vector, e.g. "use-lite-v1". */
  readonly name: string;
  readonly dimension: number;
}

export type EmbedPriority = "interactive" | "bulk";

export interface Embedder {
  readonly model: EmbeddingModel;
  /** How many batches it can work on at once; callers keep this many in flight to use every core. */
  readonly parallelism: number;
  /**
   * One L2-normalized vector per text, in order; texts must not be blank (VALIDATION_FAILED),
   * and no texts give no vectors. "interactive" work (a person waiting on a prompt) goes ahead
   * of "bulk" work (ingest), the default.
   */
  embed(texts: readonly string[], options?: { priority?: EmbedPriority }): Promise<Float32Array[]>;
  /** Resolves once the model can answer; rejects with the reason it cannot. */
  ready(): Promise<void>;
  close(): Promise<void>;
}

// ── vector index ────────────────────────────────────────────────────────────────────────────

/**
 * One passage's vector, with the attributes of its song: a search groups hits by song and
 * filters on song metadata inside the index, as a remote engine does with stored fields, so no
 * process needs every passage's song in memory.
 */
export interface VectorEntry {
  id: number;
  vector: Float32Array;
  song: SongAttributes;
}

export interface VectorHit {
  id: number;
  songId: string;
  /** Cosine similarity, higher is nearer. */
  score: number;
}

export interface VectorSearchOptions {
  /**
   * Only passages of songs that match (src/core/catalog/song-filter.ts), applied while the
   * candidates are gathered: a filter never empties an answer the index could fill, and the
   * k nearest matching passages come back whenever k of them exist.
   */
  filter?: SongFilter;
}

/** What a vector index reflects: the model of its vectors and the catalog version it was synced to. */
export interface IndexStamp {
  model: string;
  dimension: number;
  catalogVersion: number;
}

export interface VectorIndex {
  /** The stamp of the data it holds, or null when it is empty or was never stamped. */
  stamp(): Promise<IndexStamp | null>;
  /** Drops everything and starts empty for vectors of this model. */
  reset(model: EmbeddingModel): Promise<void>;
  /** Adds or replaces entries by id (a replacement may move a passage to other song attributes). */
  upsert(entries: readonly VectorEntry[]): Promise<void>;
  remove(ids: readonly number[]): Promise<void>;
  /** The k nearest passages (matching the filter, when one is given), nearest first. */
  search(vector: Float32Array, k: number, options?: VectorSearchOptions): Promise<VectorHit[]>;
  size(): Promise<number>;
  /** Records that the index now reflects this catalog version, durably where the adapter persists. */
  commit(catalogVersion: number): Promise<void>;
  close(): Promise<void>;
}

// ── queue ───────────────────────────────────────────────────────────────────────────────────

export interface QueueMessage<T> {
  id: string;
  payload: T;
  /** 1 on first delivery; more when redelivered after a failure or a lost worker. */
  attempt: number;
}

export interface QueueStats {
  ready: number;
  inFlight: number;
  dead: number;
}

export interface Subscription {
  /** Stops taking new messages and waits for the handlers in progress. */
  stop(): Promise<void>;
}

/**
 * At-least-once delivery with manual acknowledgement: a message is acknowledged when its
 * handler resolves, retried with backoff when it throws, and dead-lettered after the
 * adapter's attempt limit. A consumer that dies mid-message gets it redelivered.
 */
export interface JobQueue<T> {
  enqueue(payload: T): Promise<void>;
  consume(handler: (message: QueueMessage<T>) => Promise<void>, options: { prefetch: number }): Subscription;
  stats(): Promise<QueueStats>;
  close(): Promise<void>;
}

// ── bucket ──────────────────────────────────────────────────────────────────────────────────

export interface BucketObject {
  key: string;
  /** Changes whenever the content changes (S3 ETag, or a content hash for a folder). */
  etag: string;
  size: number;
  modifiedAt: Date;
  /**
   * Set when the bucket holds this entry but will not read it, and why: a symbolic link to a
   * file outside a folder bucket, a name that cannot be a key. Listed so the catalog can say
   * so; `open` refuses it.
   */
  refused?: string;
}

export interface OpenOptions {
  /**
   * The etag the object was listed with: when the object has changed since, open fails with
   * VersoError OBJECT_CHANGED instead of mixing two versions of it (S3: If-Match).
   */
  etag?: string;
  /** Start reading at this byte offset (default 0): where a resumed job left off. */
  start?: number;
}

export interface Bucket {
  /** Identifies this bucket among others in the catalog, e.g. "file:///srv/csv" or "s3://songs/in". */
  readonly url: string;
  /**
   * True when list() shows only part of what is under `url` (one file of a folder): then an
   * object missing from the listing has not left the bucket.
   */
  readonly partial?: boolean;
  list(): AsyncIterable<BucketObject>;
  /** A stream of the object's bytes; VersoError OBJECT_NOT_FOUND when it is gone. */
  open(key: string, options?: OpenOptions): Promise<Readable>;
}

/**
 * A catalog source whose objects are songs in a form of its own rather than CSV: a music folder
 * (an object per track file) or a music server (an object per song). It reads an object's songs
 * itself, as the same row events a CSV gives, so the catalog's whole lifecycle (offer, queue,
 * lease, commit, removal) stays the one for every source.
 */
export interface SongSource extends Bucket {
  /**
   * The songs of one object, from row `fromRow` on (rows already committed by an earlier run),
   * as it is now: VersoError OBJECT_CHANGED when it no longer has the listed etag, OBJECT_NOT_FOUND
   * when it is gone, an UnreadableObjectError when it cannot be read at all (a corrupt file).
   */
  readSongs(key: string, options: SongReadOptions): AsyncIterable<CsvRowEvent>;
}

export interface SongReadOptions {
  /** The etag the object was listed with. */
  etag?: string;
  /** Rows committed by an earlier run: the read starts after them. */
  fromRow: number;
  /** The object's size as listed. */
  size?: number;
}

export const readsSongs = (bucket: Bucket): bucket is SongSource =>
  typeof (bucket as Partial<SongSource>).readSongs === "function";

// ── cache ───────────────────────────────────────────────────────────────────────────────────

/**
 * Any string is a key and any string a value (stored as UTF-8 by remote adapters). A cache may
 * forget a value at any time: a value too large for the server is simply not kept, so after
 * `set` a `get` answers that value or undefined, never an older one. Bad arguments (a TTL that
 * is not a finite number of seconds) fail with VALIDATION_FAILED. The composition root puts
 * remote adapters behind a fallback that answers without the server when it fails or is slow.
 */
export interface Cache {
  get(key: string): Promise<string | undefined>;
  /** Keeps the value for ttlSeconds; a TTL of zero or less stores nothing and drops what the key held. */
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Forgets the key's value and its counter. */
  delete(key: string): Promise<void>;
  /**
   * Atomically adds one and returns the new count; a new key starts at 1 and expires after
   * ttlSeconds (above 0), counted from its creation: later increments do not extend it. An
   * adapter that cannot keep one more counter answers a count above any limit (fails closed).
   */
  increment(key: string, ttlSeconds: number): Promise<number>;
  close(): Promise<void>;
}

// ── translator ──────────────────────────────────────────────────────────────────────────────

/**
 * Machine translation of a prompt into the embedding model's language (languages as ISO 639-1
 * codes). Optional: without one, a prompt in another language is searched as it was written.
 * Answers undefined for a pair it does not know or a translation that failed; never throws.
 */
export interface Translator {
  readonly pairs: readonly string[];
  translate(text: string, from: string, to: string): Promise<string | undefined>;
  /**
   * Many texts at once (passages of lyrics at ingest), line breaks kept: one translation per
   * text, in order, or undefined when the pair is unknown or the translation failed.
   */
  translateAll(texts: readonly string[], from: string, to: string): Promise<string[] | undefined>;
  close(): Promise<void>;
}

// ── thesaurus ───────────────────────────────────────────────────────────────────────────────

/** Words related to a word (synonyms, narrower terms): "mother" → "mama", "mom", …; English. */
export interface Thesaurus {
  /** Lower-case single words, the word itself left out; none for a word it does not know. */
  related(word: string): Promise<string[]>;
}
