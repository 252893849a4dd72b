/**
 * One ONNX sentence model in a worker thread: its tokenizer.json read with Hugging Face's
 * tokenizer library, its graph run by ONNX Runtime on one CPU thread (the pool gets its
 * parallelism from threads, as with the built-in model). Files come from the model's folder
 * only; nothing here reaches the network.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Tokenizer } from "@huggingface/tokenizers";
import * as ort from "onnxruntime-node";
import type { OnnxModelSpec } from "../../core/embedding-models.js";
import { padBatch, poolOutput } from "./onnx-tensors.js";
import { serveModel } from "./worker-host.js";

/** What the pool tells each ONNX worker (workerData.settings). */
export interface OnnxWorkerSettings {
  folder: string;
  spec: Pick<OnnxModelSpec, "pooling" | "maxTokens" | "onnxFile">;
}

serveModel(async (data) => {
  const { folder, spec } = data.settings as OnnxWorkerSettings;
  const readJson = async (file: string, fallback?: object): Promise<Record<string, unknown>> => {
    try {
      return JSON.parse(await readFile(path.join(folder, file), "utf8")) as Record<string, unknown>;
    } catch (error) {
      if (fallback && (error as NodeJS.ErrnoException).code === "ENOENT") return { ...fallback };
      throw error;
    }
  };
  const tokenizerFile = await readJson("tokenizer.json");
  const tokenizer = new Tokenizer(tokenizerFile, await readJson("tokenizer_config.json", {}));
  const padId = padTokenId(tokenizer, tokenizerFile);
  const session = await ort.InferenceSession.create(path.join(folder, spec.onnxFile), {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: "sequential",
  });
  const outputName = session.outputNames.includes("last_hidden_state")
    ? "last_hidden_state"
    : session.outputNames[0]!;

  return async (texts) => {
    const batch = padBatch(
      texts.map((text) => tokenizer.encode(text)),
      spec.maxTokens,
      padId,
    );
    const shape = [batch.texts, batch.length];
    const offered: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor("int64", batch.inputIds, shape),
      attention_mask: new ort.Tensor("int64", batch.attentionMask, shape),
      token_type_ids: new ort.Tensor("int64", batch.tokenTypeIds, shape),
    };
    // BERT-like graphs take token types, XLM-R-like ones do not: feed what the graph asks for.
    const feeds = Object.fromEntries(session.inputNames.map((name) => [name, offered[name]!]));
    const missing = session.inputNames.filter((name) => !offered[name]);
    if (missing.length > 0)
      throw new Error(`the model asks for inputs Verso cannot give: ${missing.join(", ")}`);
    const output = (await session.run(feeds))[outputName]!;
    return poolOutput({ data: output.data as Float32Array, dims: output.dims }, batch, spec.pooling);
  };
});

/** The padding id the tokenizer file names, else the id of a usual padding token, else 0. */
function padTokenId(tokenizer: Tokenizer, file: Record<string, unknown>): number {
  const padding = file.padding as { pad_id?: number } | null | undefined;
  if (typeof padding?.pad_id === "number") return padding.pad_id;
  for (const token of ["[PAD]", "<pad>"]) {
    const id = tokenizer.token_to_id(token);
    if (id !== undefined) return id;
  }
  return 0;
}
