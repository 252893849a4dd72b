/**
 * Embedder port, in-process adapter for any ONNX sentence model (multilingual-e5-small and the
 * other known models, or an export given by path): the same pool of worker threads as the
 * built-in model (pool.ts: lanes, batching, deadlines, a hung or dead worker replaced), each
 * worker holding its own ONNX Runtime session (onnx.worker.ts).
 *
 * Models such as E5 were trained with a prefix that says whether a text is a query or a
 * passage. The port's priority tells the two apart: interactive calls embed prompts (search),
 * bulk calls embed passages of lyrics (ingest, reindex). The prefix is put on here, before the
 * pool, since an idle bulk worker may serve an interactive call.
 */
import type { OnnxModelSpec } from "../../core/embedding-models.js";
import type { EmbedPriority } from "../../core/ports.js";
import { checkEmbedCall } from "./embed-call.js";
import type { OnnxWorkerSettings } from "./onnx.worker.js";
import { createWorkerPoolEmbedder, type PoolEmbedder, type WorkerPoolOptions } from "./pool.js";

/** The pool's options (threads, batching, deadlines, events); the model comes from the folder. */
export interface OnnxEmbedderOptions extends Omit<WorkerPoolOptions, "model" | "worker"> {
  /** The model's folder: tokenizer.json, tokenizer_config.json and the graph at spec.onnxFile. */
  folder: string;
  spec: OnnxModelSpec;
}

export function createOnnxEmbedder(options: OnnxEmbedderOptions): PoolEmbedder {
  const { folder, spec, ...poolOptions } = options;
  const settings: OnnxWorkerSettings = {
    folder,
    spec: { pooling: spec.pooling, maxTokens: spec.maxTokens, onnxFile: spec.onnxFile },
  };
  const pool = createWorkerPoolEmbedder({
    ...poolOptions,
    model: { name: spec.name, dimension: spec.dimension },
    worker: { baseUrl: import.meta.url, name: "onnx.worker", settings },
  });
  if (!spec.queryPrefix && !spec.passagePrefix) return pool;
  return {
    model: pool.model,
    parallelism: pool.parallelism,
    ready: () => pool.ready(),
    stats: () => pool.stats(),
    close: () => pool.close(),
    embed(texts: readonly string[], { priority }: { priority?: EmbedPriority } = {}) {
      const chosen = checkEmbedCall(texts, priority);
      const prefix = chosen === "interactive" ? spec.queryPrefix : spec.passagePrefix;
      return pool.embed(
        texts.map((text) => prefix + text),
        { priority: chosen },
      );
    },
  };
}
