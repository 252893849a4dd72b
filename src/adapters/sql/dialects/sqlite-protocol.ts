import type { DescribedError } from "../../thread-errors.js";

/** Messages between the embedded database's thread (sqlite.worker.ts) and its driver (sqlite-thread.ts). */

export interface SqliteThreadData {
  /** The database file, or ":memory:". */
  file: string;
  /** Set when the thread is started through the TypeScript bootstrap: the .ts entry to import. */
  entry?: string;
}

export type SqliteRequest =
  | {
      id: number;
      sql: string;
      parameters: readonly unknown[];
      /** A read outside a transaction: the read connection may answer it. */
      read: boolean;
    }
  | { id: number; close: true };

export type SqliteReply =
  | { id: number; ready: true; reads: boolean }
  | { id: number; rows: unknown[] }
  | { id: number; changes: number; lastInsertRowid: bigint }
  | { id: number; closed: true }
  | { id: number; error: DescribedError };
