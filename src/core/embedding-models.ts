/**
 * What Verso knows of embedding models by name, wherever they run (in process, or behind a
 * remote embedder that reports only a name and a dimension): the one language a model reads,
 * when it reads only one; and the small catalog of sentence models that can run in process as
 * ONNX (`VERSO_EMBEDDER=onnx:NAME`), with what each needs to embed right and where its files are.
 */
import type { EmbeddingModel } from "./ports.js";

/** How a model's token vectors become one vector of the text. */
export type Pooling = "mean" | "cls";

/** One file of a model on the hub, as `verso model pull` fetches and checks it. */
export interface ModelFile {
  /** Path in the hub repository; also the path in the model's folder. */
  path: string;
  /** Exact bytes, when stated; the hub's own figure is checked otherwise. */
  size?: number;
  /** Hex SHA-256, when stated; the hub's own hash of a large file is checked otherwise. */
  sha256?: string;
}

/** What running a sentence model takes: enough to tokenize, pool and prefix as it was trained. */
export interface OnnxModelSpec {
  /** Recorded with every stored vector: a new name whenever the vectors would change. */
  name: string;
  dimension: number;
  pooling: Pooling;
  /** Put before a prompt ("query: " for E5); none when the model was trained without. */
  queryPrefix: string;
  /** Put before a passage of lyrics ("passage: " for E5). */
  passagePrefix: string;
  /** Longest input in tokens, special tokens included; longer texts are cut. */
  maxTokens: number;
  /** The ONNX graph's path inside the model's folder. */
  onnxFile: string;
}

export interface KnownModel extends OnnxModelSpec {
  licence: string;
  /** ISO 639-1 codes, or "multilingual" when trained on many (the count is in `about`). */
  languages: "multilingual" | string[];
  /** Approximate download in megabytes (the INT8 graph and the tokenizer). */
  downloadMb: number;
  about: string;
  hub: { repo: string; revision: string; files: ModelFile[] };
}

const tokenizerFiles = (extra: string[] = []): ModelFile[] =>
  ["tokenizer.json", "tokenizer_config.json", "config.json", ...extra].map((path) => ({ path }));

/**
 * The ONNX exports (INT8-quantized graph) published beside each model on the hub. Sizes and
 * hashes of these files are not stated here: the machine this catalog was written on could not
 * reach the hub to verify them, so a pull checks each large file against the SHA-256 the hub
 * itself states for it (docs/models.md says which are verified).
 */
export const knownModels: readonly KnownModel[] = [
  {
    name: "multilingual-e5-small",
    dimension: 384,
    pooling: "mean",
    queryPrefix: "query: ",
    passagePrefix: "passage: ",
    maxTokens: 512,
    onnxFile: "onnx/model_quantized.onnx",
    licence: "MIT",
    languages: "multilingual",
    downloadMb: 135,
    about:
      "intfloat's multilingual E5, small: about 100 languages; the choice for Spanish and mixed catalogs",
    hub: {
      repo: "Xenova/multilingual-e5-small",
      revision: "main",
      files: [...tokenizerFiles(), { path: "onnx/model_quantized.onnx" }],
    },
  },
  {
    name: "paraphrase-multilingual-minilm-l12-v2",
    dimension: 384,
    pooling: "mean",
    queryPrefix: "",
    passagePrefix: "",
    maxTokens: 128,
    onnxFile: "onnx/model_quantized.onnx",
    licence: "Apache-2.0",
    languages: "multilingual",
    downloadMb: 135,
    about: "sentence-transformers' paraphrase model distilled to 50+ languages; reads 128 tokens at most",
    hub: {
      repo: "Xenova/paraphrase-multilingual-MiniLM-L12-v2",
      revision: "main",
      files: [...tokenizerFiles(), { path: "onnx/model_quantized.onnx" }],
    },
  },
  {
    name: "all-minilm-l6-v2",
    dimension: 384,
    pooling: "mean",
    queryPrefix: "",
    passagePrefix: "",
    maxTokens: 256,
    onnxFile: "onnx/model_quantized.onnx",
    licence: "Apache-2.0",
    languages: ["en"],
    downloadMb: 23,
    about: "sentence-transformers' small English model: the fastest here",
    hub: {
      repo: "Xenova/all-MiniLM-L6-v2",
      revision: "main",
      files: [...tokenizerFiles(), { path: "onnx/model_quantized.onnx" }],
    },
  },
  {
    name: "bge-small-en-v1.5",
    dimension: 384,
    pooling: "cls",
    queryPrefix: "Represent this sentence for searching relevant passages: ",
    passagePrefix: "",
    maxTokens: 512,
    onnxFile: "onnx/model_quantized.onnx",
    licence: "MIT",
    languages: ["en"],
    downloadMb: 34,
    about: "BAAI's small English retrieval model",
    hub: {
      repo: "Xenova/bge-small-en-v1.5",
      revision: "main",
      files: [...tokenizerFiles(), { path: "onnx/model_quantized.onnx" }],
    },
  },
  {
    name: "gte-small",
    dimension: 384,
    pooling: "mean",
    queryPrefix: "",
    passagePrefix: "",
    maxTokens: 512,
    onnxFile: "onnx/model_quantized.onnx",
    licence: "MIT",
    languages: ["en"],
    downloadMb: 34,
    about: "Alibaba DAMO's small English general text embedding",
    hub: {
      repo: "Xenova/gte-small",
      revision: "main",
      files: [...tokenizerFiles(), { path: "onnx/model_quantized.onnx" }],
    },
  },
];

export function knownModel(name: string): KnownModel | undefined {
  return knownModels.find((model) => model.name === name.toLowerCase());
}

const knownLanguages: Record<string, string> = {
  // Universal Sentence Encoder lite: trained on English text.
  "use-lite-v1": "en",
  ...Object.fromEntries(
    knownModels.flatMap((model) =>
      Array.isArray(model.languages) && model.languages.length === 1
        ? [[model.name, model.languages[0]]]
        : [],
    ),
  ),
};

/**
 * The one language the model reads (ISO 639-1), or undefined for a multilingual or unknown one:
 * text in another language is embedded in translation where a translator knows the pair.
 */
export function modelLanguage(model: Pick<EmbeddingModel, "name">): string | undefined {
  return knownLanguages[model.name];
}
