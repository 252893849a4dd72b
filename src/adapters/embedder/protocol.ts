/** Messages between the embedder pool (main thread) and its model workers. */

/** The interactive lane serves people waiting on a prompt; the bulk lane serves ingest. */
export type Lane = "interactive" | "bulk";

/** What every model worker receives as workerData. */
export interface ModelWorkerData {
  lane: Lane;
  /** Nice value the worker thread gives itself on Linux (0 = unchanged). */
  nice: number;
  /** Texts per model call inside the worker. */
  subBatch: number;
  dimension: number;
  /** Settings of one particular model worker (the stub worker's behaviour lives here). */
  settings?: unknown;
  /** Set when the worker is started through the TypeScript bootstrap: the .ts entry to import. */
  entry?: string;
}

export interface EmbedMessage {
  type: "embed";
  id: number;
  texts: string[];
}

export type WorkerReply =
  /** modelMs: loading the model and warming it up, inside the worker. */
  | { type: "ready"; modelMs: number }
  /** The model could not be loaded; the worker is useless and will be terminated. */
  | { type: "failed"; message: string; stack?: string }
  /** `vectors` holds texts.length × dimension floats, L2-normalized, in the order of the texts. */
  | { type: "done"; id: number; vectors: Float32Array; computeMs: number; cpuMs?: number }
  | { type: "error"; id: number; message: string };
