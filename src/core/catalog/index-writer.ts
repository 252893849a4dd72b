/**
 * What the catalog needs of the vector index: each commit applied to it as one step with the
 * database write. A process that searches passes its live index; one that does not keeps no
 * index of its own and writes the database only (the processes that search catch up).
 */
import type { CommittedBatch } from "./store.js";

export interface IndexWriter {
  /** Runs a database commit and applies what it changed to the index; null when it wrote nothing. */
  apply(commit: () => Promise<CommittedBatch | null>): Promise<CommittedBatch | null>;
}

/** Commits go to the database only. */
export const databaseOnly: IndexWriter = { apply: (commit) => commit() };
