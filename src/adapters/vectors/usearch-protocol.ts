/** What crosses between the live index's thread (usearch.worker.ts) and its caller (usearch-thread.ts). */
import type { SharedForeground } from "../../core/foreground-work.js";
import type { EmbeddingModel, VectorEntry, VectorSearchOptions } from "../../core/ports.js";
import type { DescribedError } from "../thread-errors.js";
import type { UsearchIndexOptions } from "./usearch-options.js";

/** The index's options that can cross a thread: every one but the callbacks. */
export type UsearchThreadOptions = Omit<UsearchIndexOptions, "background" | "warn">;

export interface UsearchThreadData {
  options: UsearchThreadOptions;
  /** The answers being made in the caller's thread, which upserts and removals let go first. */
  foreground: SharedForeground | null;
}

/** One call of the index, by its method's name and arguments. */
export type UsearchCall =
  | { method: "stamp" | "size" | "flush" | "close" }
  | { method: "reset"; model: EmbeddingModel }
  | { method: "upsert"; entries: readonly VectorEntry[] }
  | { method: "remove"; ids: readonly number[] }
  | { method: "search"; vector: Float32Array; k: number; options: VectorSearchOptions | undefined }
  | { method: "commit"; catalogVersion: number };

export type UsearchRequest = UsearchCall & { id: number };

/** Id 0 answers the thread's start: the index is open (its snapshot loaded), or why not. */
export type UsearchReply =
  { id: number; value: unknown } | { id: number; error: DescribedError } | { warning: string };
