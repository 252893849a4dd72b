import type { LyricsStatus } from "../../../core/catalog/song.js";
import type { Generated } from "kysely";

export interface EmbeddingModelsTable {
  id: Generated<number>;
  name: string;
  dimension: number;
  created_at: string;
}

export interface SongsTable {
  /** Internal row key: stable across VACUUM, used by the full-text index. */
  pk: Generated<number>;
  id: string;
  title: string;
  /** JSON array of names. */
  artists: string;
  album: string | null;
  genre: string | null;
  language: string | null;
  release_date: string | null;
  /** The year of release_date, for year-range filters. */
  release_year: number | null;
  popularity: number | null;
  danceability: number | null;
  energy: number | null;
  key: number | null;
  loudness: number | null;
  mode: number | null;
  speechiness: number | null;
  acousticness: number | null;
  instrumentalness: number | null;
  liveness: number | null;
  valence: number | null;
  tempo: number | null;
  duration_ms: number | null;
  /** JSON of a library song's SongOrigin; null for songs of CSV catalogs. */
  origin: string | null;
  lyrics: string | null;
  lyrics_status: LyricsStatus;
  /** Mean of the song's passage vectors, L2-normalized; null without passages. */
  vector: Uint8Array | null;
  model_id: number | null;
  /** The catalog object that last wrote this song. */
  object_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface PassagesTable {
  id: Generated<number>;
  song_id: string;
  ordinal: number;
  text: string;
  /** Float32 little-endian, L2-normalized. */
  vector: Uint8Array;
  model_id: number;
  /** The catalog version whose commit wrote it: the change log of additions. */
  catalog_version: Generated<number>;
  /** SHA-256 (hex) of the text its vector was embedded from; null for passages older than it. */
  text_sha256: string | null;
}

/** The change log of removals: each passage a commit deleted, by that commit's catalog version. */
export interface CatalogRemovalsTable {
  catalog_version: number;
  passage_id: number;
}

/** Which objects hold which songs; `generation` is the object's run that last saw the song. */
export interface CatalogObjectSongsTable {
  object_id: number;
  song_id: string;
  generation: number;
}

export type CatalogObjectStatus = "queued" | "processing" | "done" | "failed";

export interface CatalogObjectsTable {
  id: Generated<number>;
  source: string;
  key: string;
  etag: string;
  size: number;
  status: CatalogObjectStatus;
  /** The embedding model this object was (or is being) ingested with. */
  model: string | null;
  songs: number;
  passages: number;
  skipped: number;
  errors: number;
  /** Rows kept as songs with a value changed or left out. */
  changed: Generated<number>;
  /** Passages that took a vector already stored for the same text and model. */
  passages_reused: Generated<number>;
  /** Data rows committed so far: where a restarted worker resumes. */
  rows_done: number;
  bytes_done: number;
  error: string | null;
  queued_at: string;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  /** Presented by every commit of the worker holding the object; null when nobody does. */
  lease_token: string | null;
  lease_expires_at: string | null;
  /** Times a worker took the object since it was last queued. */
  deliveries: Generated<number>;
  /** Last CSV line consumed: where row errors are numbered from after a resume. */
  lines_done: Generated<number>;
  /** Bumped each time the object is queued afresh: membership rows of older runs are stale. */
  generation: Generated<number>;
  /** When a job for it was last put on the queue. */
  enqueued_at: string | null;
  /** When the current run first failed for a reason that may pass (embedder, database down). */
  transient_since: string | null;
  /** When the object was last modified, as last listed (ISO); null before it was recorded. */
  modified_at: string | null;
  /** Songs that left the catalog because this object's last run no longer held them. */
  removed: Generated<number>;
}

export interface CatalogRowErrorsTable {
  object_id: number;
  line: number;
  reason: string;
  /** "skipped" (a bad row) or "changed" (a song with a value changed or left out). */
  kind: Generated<"skipped" | "changed">;
}

export interface CatalogStateTable {
  id: number;
  /** Bumped by every commit that changes songs or passages; part of every search cache key. */
  version: number;
  updated_at: string;
  /** The change log holds every change after this version. */
  log_since: Generated<number>;
}

export type JobStatus = "ready" | "leased" | "dead";

export interface JobsTable {
  id: Generated<number>;
  queue: string;
  payload: string;
  status: JobStatus;
  attempts: number;
  available_at: string;
  lease_owner: string | null;
  lease_expires_at: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface CatalogTables {
  embedding_models: EmbeddingModelsTable;
  songs: SongsTable;
  passages: PassagesTable;
  catalog_objects: CatalogObjectsTable;
  catalog_row_errors: CatalogRowErrorsTable;
  catalog_state: CatalogStateTable;
  catalog_removals: CatalogRemovalsTable;
  catalog_object_songs: CatalogObjectSongsTable;
  jobs: JobsTable;
}

/** The columns a Song is read from (the id, its metadata and its audio features). */
export const songColumns = [
  "id",
  "title",
  "artists",
  "album",
  "genre",
  "language",
  "release_date",
  "danceability",
  "energy",
  "key",
  "loudness",
  "mode",
  "speechiness",
  "acousticness",
  "instrumentalness",
  "liveness",
  "valence",
  "tempo",
  "duration_ms",
  "origin",
] as const;
