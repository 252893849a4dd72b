/**
 * What an ONNX model folder holds and how to run it: either a known model placed by
 * `verso model pull` (its name in verso-model.json), or any sentence-transformers export given
 * by path, read from the files such an export carries (config.json, 1_Pooling/config.json,
 * sentence_bert_config.json, config_sentence_transformers.json).
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { access, readFile } from "node:fs/promises";
import path from "node:path";
import { knownModel, type OnnxModelSpec } from "../../core/embedding-models.js";
import { VersoError } from "../../core/errors.js";

/** Written into a pulled model's folder: which known model it is, and from which revision. */
export const placedModelFile = "verso-model.json";

/** Where the ONNX graph usually sits in an export, the smaller (quantized) one first. */
const onnxCandidates = ["onnx/model_quantized.onnx", "onnx/model.onnx", "model_quantized.onnx", "model.onnx"];

export async function readModelFolder(folder: string): Promise<OnnxModelSpec> {
  const placed = await readJson(folder, placedModelFile);
  const known = typeof placed?.name === "string" ? knownModel(placed.name) : undefined;
  if (known) return known;
  return describeExport(folder);
}

async function describeExport(folder: string): Promise<OnnxModelSpec> {
  if (!(await readJson(folder, "tokenizer.json"))) {
    throw new VersoError(
      "VALIDATION_FAILED",
      `${folder} holds no tokenizer.json: not a sentence model's folder`,
    );
  }
  const config = (await readJson(folder, "config.json")) ?? {};
  const poolingConfig = (await readJson(folder, "1_Pooling/config.json")) ?? {};
  const sentenceBert = (await readJson(folder, "sentence_bert_config.json")) ?? {};
  const sentenceTransformers = (await readJson(folder, "config_sentence_transformers.json")) ?? {};
  const tokenizerConfig = (await readJson(folder, "tokenizer_config.json")) ?? {};

  const dimension = firstNumber(poolingConfig.word_embedding_dimension, config.hidden_size, config.dim);
  if (!dimension) {
    throw new VersoError(
      "VALIDATION_FAILED",
      `${folder} does not say the model's dimension (config.json hidden_size)`,
    );
  }
  const onnxFile = await firstPresent(folder, onnxCandidates);
  if (!onnxFile) {
    throw new VersoError("VALIDATION_FAILED", `${folder} holds no ONNX graph (${onnxCandidates.join(", ")})`);
  }
  const prompts = (sentenceTransformers.prompts ?? {}) as Record<string, unknown>;
  const maxLength = tokenizerConfig.model_max_length;
  return {
    name: `${path.basename(path.resolve(folder)).toLowerCase()}-${await shortHash(path.join(folder, onnxFile))}`,
    dimension,
    pooling: poolingConfig.pooling_mode_cls_token === true ? "cls" : "mean",
    queryPrefix: typeof prompts.query === "string" ? prompts.query : "",
    passagePrefix: typeof prompts.passage === "string" ? prompts.passage : "",
    maxTokens:
      firstNumber(
        sentenceBert.max_seq_length,
        typeof maxLength === "number" && maxLength < 100_000 ? maxLength : undefined,
        config.max_position_embeddings,
      ) ?? 512,
    onnxFile,
  };
}

/**
 * The name of a model given by path carries a hash of its graph: replacing the files in the
 * folder makes a new name, so the catalog is re-embedded instead of mixing two models.
 */
async function shortHash(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex").slice(0, 12);
}

async function readJson(folder: string, file: string): Promise<Record<string, unknown> | undefined> {
  try {
    return JSON.parse(await readFile(path.join(folder, file), "utf8")) as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new VersoError("VALIDATION_FAILED", `${path.join(folder, file)} cannot be read: ${String(error)}`);
  }
}

async function firstPresent(folder: string, files: string[]): Promise<string | undefined> {
  for (const file of files) {
    try {
      await access(path.join(folder, file));
      return file;
    } catch {
      // not this one
    }
  }
  return undefined;
}

function firstNumber(...values: unknown[]): number | undefined {
  return values.find((value): value is number => Number.isInteger(value) && (value as number) > 0);
}
