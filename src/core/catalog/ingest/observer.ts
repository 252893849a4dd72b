/** What the ingest worker tells whoever watches it: progress bars, metrics, logs. */
import type { CatalogObject } from "../store.js";

export interface IngestProgress {
  objectId: number;
  key: string;
  rowsDone: number;
  bytesDone: number;
  size: number;
  songs: number;
  passages: number;
  skipped: number;
  errors: number;
}

/** The counters of one commit, added to the object's totals. */
export interface RowCounts {
  songs: number;
  passages: number;
  skipped: number;
  errors: number;
}

/** How a delivery of a job ended. */
export type IngestOutcome = "done" | "failed" | "retrying" | "sliced" | "superseded" | "busy";

/** How the passages of one commit got their vectors: taken from one stored (or of the batch), or embedded. */
export interface EmbeddedCounts {
  reused: number;
  computed: number;
}

export interface IngestObserver {
  progress?(progress: IngestProgress): void;
  rows?(counts: RowCounts): void;
  embedded?(counts: EmbeddedCounts): void;
  finished?(object: CatalogObject, outcome: "done" | "failed", durationMs: number): void;
  /** Every delivery's end, including retries and slices. */
  delivery?(outcome: IngestOutcome, error?: string): void;
}
