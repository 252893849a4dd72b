/** The catalog's repository ports: what ingest writes and what search reads. */
import type { BucketObject, EmbeddingModel, VectorEntry } from "../ports.js";
import type { LyricsStatus, Song, SongWithLyrics } from "./song.js";
import type { SongFilter } from "./song-filter.js";
import type { SongRow } from "./layout.js";

export type ObjectStatus = "queued" | "processing" | "done" | "failed";

/**
 * What a row report says of its row: skipped (not a song: a bad row), or changed (a song, with
 * a value Verso changed or left out on the way: a feature out of range, an id repeated from an
 * earlier row of the object, …). The reason's first line says what; later lines quote the file.
 */
export type RowReportKind = "skipped" | "changed";

export interface RowReport {
  line: number;
  reason: string;
  kind: RowReportKind;
}

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
  /** Rows skipped: not songs (bad rows). */
  errors: number;
  /** Rows kept as songs with a value changed or left out (see RowReport). */
  changed: number;
  /** Songs that left the catalog because the object's last run no longer held them. */
  removed: number;
  /** Passages of this run that took a vector already stored for the same text, instead of embedding it. */
  reused: number;
  rowsDone: number;
  linesDone: number;
  bytesDone: number;
  error: string | null;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  durationMs: number | null;
  /** Bumped each time the object is queued afresh; a job of an older generation is stale. */
  generation: number;
  /** Times a worker took the object since it was queued. */
  deliveries: number;
  enqueuedAt: string | null;
  /** Until when the worker that holds the object may write it; null when nobody holds it. */
  leaseExpiresAt: string | null;
  /** When the current run first failed for a reason that may pass. */
  transientSince: string | null;
  /** When the object was last modified, as last listed (ISO); unset where it is not recorded. */
  modifiedAt?: string | null;
}

/** The message a crawler puts on the ingest queue: one run of one catalog object. */
export interface IngestJob {
  objectId: number;
  source: string;
  key: string;
  etag: string;
  generation: number;
}

export interface IngestedSong {
  song: SongRow;
  /** The line of its object the song's row began on: a row that repeats an earlier row's id is reported there. */
  line?: number;
  lyricsStatus: LyricsStatus;
  /**
   * Passages in order, with their vectors and the SHA-256 (hex) of the text the vector was
   * embedded from (see text-hash.ts); empty when the lyrics are missing or a placeholder.
   */
  passages: { text: string; vector: Float32Array; textHash?: string }[];
  /** The whole song as one vector (mean of its passages, normalized); null without passages. */
  vector: Float32Array | null;
}

/** Proof that a worker holds an object: every write of its run presents it. */
export interface Lease {
  objectId: number;
  token: string;
}

/** What one commit of the worker writes: a run of consecutive rows of one object. */
export interface IngestBatch {
  lease: Lease;
  modelId: number;
  songs: IngestedSong[];
  /** Reports of the batch's rows; the store adds one for each song whose id an earlier row of the run had. */
  rowErrors: RowReport[];
  /**
   * Counters to add to the object's totals (the store adds the repeated ids to `changed`);
   * `reused`: passages whose vector was not embedded but taken from one stored or of the batch.
   */
  counts: {
    songs: number;
    passages: number;
    skipped: number;
    errors: number;
    changed: number;
    reused?: number;
  };
  /** Position reached after this batch, where a restarted worker resumes. */
  rowsDone: number;
  linesDone: number;
  bytesDone: number;
}

/** A passage vector as the vector index stores it: with its song's attributes. */
export type PassageVector = VectorEntry;

/** A change of the catalog's passages, for the vector index to apply. */
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

export type StartOutcome =
  | { status: "started"; object: CatalogObject; lease: Lease }
  /** Another worker holds it and is alive: this delivery is a duplicate. */
  | { status: "busy" }
  /** Done, failed, changed or queued again since the job was made: a newer job carries it. */
  | { status: "stale" };

/** The passages changed after a catalog version, from the change log. */
export interface CatalogChanges {
  /** The version the changes bring an index to. */
  catalogVersion: number;
  /** Passages added after the version asked for (with their vectors), in batches. */
  added: AsyncIterable<PassageVector[]>;
  /** Passages removed after the version asked for. */
  removed: number[];
}

export interface OfferOptions {
  /** Queue a failed object again now, whatever its cool-down (POST /api/catalog/scan). */
  force?: boolean;
  /** A failed, unchanged object is queued again once it has been failed this long. */
  failedCooldownMs: number;
  now: Date;
}

/** Vectors are filed under their model's id: one id per model name, recorded on first use. */
export interface EmbeddingModelIds {
  /** The id under which vectors of this model are stored, created on first use. */
  modelId(model: EmbeddingModel): Promise<number>;
}

/** The bucket objects the catalog records: what the crawler offers, lists, fails and removes. */
export interface CatalogObjectStore {
  /**
   * Records a listed object and says whether a job must be queued for it: when it is new, its
   * etag or size changed, it was ingested with another model, or it failed and its cool-down
   * is over (or `force`). Such an object starts a new generation from its first row.
   */
  offerObject(
    source: string,
    object: BucketObject,
    model: string,
    options: OfferOptions,
  ): Promise<{ object: CatalogObject; enqueue: boolean }>;
  /** Records that a job for the object went on the queue (again). */
  markEnqueued(id: number, at: Date): Promise<void>;
  getObject(id: number): Promise<CatalogObject | null>;
  /**
   * Objects in the order they were first recorded (by id), those after the object `afterId`
   * when paging: ids only grow, so a page never skips nor repeats an object.
   */
  listObjects(options?: { source?: string; afterId?: number; limit?: number }): Promise<CatalogObject[]>;
  /** Queued or processing objects (of one source, or of all) that no live lease holds, at `now`. */
  unattendedObjects(source: string | null, now: Date): Promise<CatalogObject[]>;
  /** Marks an object failed without a lease (its workers kept dying on it, say). */
  failObject(id: number, error: string, at: Date): Promise<void>;
  /** The object left the bucket: it goes, and so do the songs no other object holds. */
  removeObject(id: number): Promise<CommittedBatch | null>;
}

/** Stored passage vectors by the hash of the text they were embedded from (see vector-reuse.ts). */
export interface StoredPassageVectors {
  /**
   * The stored passage vectors of the model of `modelId` whose text hash (see IngestedSong) is
   * one of these, by hash: what ingest takes instead of embedding the same text again.
   */
  storedVectors(modelId: number, textHashes: readonly string[]): Promise<Map<string, Float32Array>>;
}

/** One worker's run over one object: its lease, its commits in order, its end. */
export interface IngestRunStore
  extends EmbeddingModelIds, StoredPassageVectors, Pick<CatalogObjectStore, "getObject"> {
  /**
   * Takes the object for a job: only for the generation, etag and model it was queued with,
   * and only when no other worker's lease is alive. Counts the delivery.
   */
  startObject(
    job: IngestJob,
    model: string,
    lease: { token: string; until: Date; now: Date },
  ): Promise<StartOutcome>;
  /** Extends the lease; false when it was lost (taken over, or the object changed). */
  renewLease(lease: Lease, until: Date): Promise<boolean>;
  /** Gives the object up for another worker to take at once (a slice ended, or shutdown). */
  releaseLease(lease: Lease): Promise<void>;
  /**
   * Writes a batch in one transaction: songs upserted by id, their passages replaced, row
   * reports (up to a bound per object) and progress recorded, catalog version bumped. A song
   * whose id an earlier row of the same run (generation) had replaces it, and is reported as
   * changed on its line. Null when the lease was lost: nothing is written.
   */
  commitBatch(batch: IngestBatch): Promise<CommittedBatch | null>;
  /** Notes that the run failed for a passing reason; answers since when it has been failing. */
  noteTransientFailure(lease: Lease, at: Date, reason: string): Promise<string | null>;
  /**
   * Ends the run. When done, the songs an earlier generation held and this one no longer does
   * leave the catalog unless another object holds them; the change is answered for the index.
   */
  finishObject(
    lease: Lease,
    outcome: { status: "done" } | { status: "failed"; error: string },
    at: Date,
  ): Promise<CommittedBatch | null>;
}

/** What the catalog holds and how ingest is going, for people. */
export interface CatalogStatusStore extends Pick<CatalogObjectStore, "listObjects"> {
  /** The first row reports of each object, by line. */
  rowErrors(objectIds: readonly number[], limitPerObject: number): Promise<Map<number, RowReport[]>>;
  totals(): Promise<CatalogTotals>;
}

/** The catalog version and its change log: what a vector index follows the catalog by. */
export interface CatalogChangeLog {
  catalogVersion(): Promise<number>;
  /** Every stored passage vector of a model, in batches: what a vector index is rebuilt from. */
  streamPassageVectors(model: string, batchSize?: number): AsyncIterable<PassageVector[]>;
  /**
   * What changed after `catalogVersion`, or null when the change log no longer reaches back
   * that far (a rebuild is needed).
   */
  changesSince(catalogVersion: number, model: string): Promise<CatalogChanges | null>;
  /** Forgets the change log but for the last `keepVersions`; indexes older than that rebuild. */
  pruneChanges(keepVersions: number): Promise<void>;
}

/** A song to re-embed: its passages' texts in order. */
export interface SongToReembed {
  songId: string;
  passages: { ordinal: number; text: string }[];
}

/** The same song with every passage embedded again, and its whole-song vector. */
export interface ReembeddedSong {
  songId: string;
  /** With the hash of each passage's text (see IngestedSong). */
  passages: { ordinal: number; text: string; vector: Float32Array; textHash?: string }[];
  vector: Float32Array | null;
}

/** Embedding the catalog again with another model, from the stored passage texts. */
export interface ReembeddingStore extends EmbeddingModelIds, StoredPassageVectors {
  /** Passages embedded with another model than this one: what `verso reindex` has to do. */
  staleEmbeddings(model: string): Promise<{ songs: number; passages: number; models: string[] }>;
  /** Songs whose passages were embedded with another model, with those passages' texts, in batches. */
  songsToReembed(model: string, batchSize?: number): AsyncIterable<SongToReembed[]>;
  /**
   * Replaces the passages of these songs by the same texts embedded with the model of
   * `modelId`, in one transaction; answered for the vector index like a commit.
   */
  replaceEmbeddings(modelId: number, songs: ReembeddedSong[]): Promise<CommittedBatch>;
  /** Objects ingested with another model count as ingested with this one (after a reindex). */
  adoptModel(model: string): Promise<number>;
}

/** Every store of the catalog's write side, each for the callers that use it. */
export interface CatalogStores {
  /** The crawler's. */
  objects: CatalogObjectStore;
  /** The ingest worker's. */
  runs: IngestRunStore;
  /** The catalog service's. */
  status: CatalogStatusStore;
  /** The live vector index's (the crawler prunes it). */
  changeLog: CatalogChangeLog;
  /** `verso reindex`'s. */
  reembedding: ReembeddingStore;
}

export interface PassageRecord {
  id: number;
  songId: string;
  ordinal: number;
  text: string;
}

export interface LexicalOptions {
  /** Each term matches the words it begins ("danc" finds dance, dancing, dancer): stems. */
  prefix?: boolean;
}

export interface LexicalHit {
  songId: string;
  /** Higher is better. */
  score: number;
}

/**
 * Where a song sits in its artist's list (newest first): its release year, -1 when unknown, and
 * its row in the catalog. Opaque to callers but for paging.
 */
export type ArtistSongPosition = readonly [year: number, row: number];

export interface SongStore {
  getSong(id: string): Promise<SongWithLyrics | null>;
  getSongs(ids: readonly string[]): Promise<Map<string, Song>>;
  getPassages(ids: readonly number[]): Promise<Map<number, PassageRecord>>;
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
  /**
   * How many songs with lyrics a model has embedded (done) out of all songs with lyrics (total):
   * fewer while `verso reindex` moves the catalog to this model.
   */
  embeddedSongs(model: string): Promise<{ done: number; total: number }>;
  /**
   * Full-text search over title, artists and lyrics, in the dialect's own index; terms are
   * plain words, OR-ed; only songs that match the filter, when one is given.
   */
  searchLexical(
    terms: readonly string[],
    limit: number,
    filter?: SongFilter,
    options?: LexicalOptions,
  ): Promise<LexicalHit[]>;
  /**
   * Which full-text index scores searchLexical ("fts5", "innodb-fulltext", "tsvector"): the
   * indexes split, drop and weigh words differently, so the ranking's weights are measured on
   * each (see tuning.ts).
   */
  readonly fullTextIndex: string;
}

/** What the song and artist pages read beside the songs themselves. */
export interface SongPageStore {
  /** The text of a song's passage at this position (its ordinal); null when it has none there. */
  passageAt(songId: string, ordinal: number): Promise<{ ordinal: number; text: string } | null>;
  /**
   * The songs with this artist among theirs (the whole name, exactly as written), newest first:
   * by release year, songs of one year in catalog order, songs without a year last; `after`
   * is the position of the last song of the previous page.
   */
  songsByArtist(
    artist: string,
    page: { after?: ArtistSongPosition; limit: number },
  ): Promise<{ song: Song; position: ArtistSongPosition }[]>;
}
