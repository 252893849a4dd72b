/**
 * What remote embedders send and answer: OpenAI's embeddings format (spoken by Verso's
 * embedder role, TEI, Ollama, vLLM), their several error bodies, and Verso's GET /status.
 * Nothing here trusts the server: every answer is checked before a vector comes out of it.
 */
import { errorCatalogue, type ErrorCode } from "../../core/errors.js";
import type { EmbeddingModel } from "../../core/ports.js";

/** The embedder role's names for these (src/http/embedder/schema.ts); tests hold the two together. */
export const priorityHeader = "x-verso-priority";
export const versoEmbedderService = "verso-embedder";

/** An answer that cannot be read as what it should be. */
export class MalformedAnswer extends Error {
  override name = "MalformedAnswer";
}

export function embeddingsRequest(texts: readonly string[], model: string | undefined) {
  return { input: texts, ...(model === undefined ? {} : { model }), encoding_format: "float" };
}

export interface EmbeddingsAnswer {
  /** The model the server says answered; undefined when it does not say. */
  model: string | undefined;
  /** One unit-length vector per text, in the order of the texts. */
  vectors: Float32Array[];
}

/**
 * Reads `{data: [{index, embedding}], model}`. Entries are put in place by `index` (a server
 * may answer them in any order), embeddings may be arrays of numbers or base64 float32, and
 * each is normalized here, since not every server normalizes.
 */
export function readEmbeddings(body: unknown, count: number): EmbeddingsAnswer {
  if (!isObject(body) || !Array.isArray(body.data)) throw new MalformedAnswer("it has no data list");
  const data: unknown[] = body.data;
  if (data.length !== count) throw new MalformedAnswer(`it has ${data.length} embeddings for ${count} texts`);
  const vectors: Float32Array[] = new Array<Float32Array>(count);
  const indexed = data.every((entry) => isObject(entry) && entry.index !== undefined);
  data.forEach((entry, position) => {
    if (!isObject(entry)) throw new MalformedAnswer(`data[${position}] is not an object`);
    const index = indexed ? entry.index : position;
    if (!Number.isInteger(index) || (index as number) < 0 || (index as number) >= count) {
      throw new MalformedAnswer(`data[${position}] has index ${JSON.stringify(entry.index)}`);
    }
    if (vectors[index as number]) throw new MalformedAnswer(`index ${String(index)} appears twice`);
    vectors[index as number] = unitVector(entry.embedding, `data[${position}]`);
  });
  const dimension = vectors[0]?.length;
  vectors.forEach((vector, i) => {
    if (vector.length !== dimension) {
      throw new MalformedAnswer(`its vectors differ in length (${dimension} and ${vector.length} at ${i})`);
    }
  });
  const model = typeof body.model === "string" && body.model.trim() ? body.model : undefined;
  return { model, vectors };
}

function unitVector(embedding: unknown, where: string): Float32Array {
  let vector: Float32Array;
  if (typeof embedding === "string") {
    const bytes = Buffer.from(embedding, "base64");
    if (bytes.length === 0 || bytes.length % 4 !== 0) {
      throw new MalformedAnswer(`${where} is not base64 of float32 values`);
    }
    vector = new Float32Array(bytes.length / 4);
    for (let i = 0; i < vector.length; i++) vector[i] = bytes.readFloatLE(i * 4);
  } else if (Array.isArray(embedding) && embedding.length > 0) {
    if (!embedding.every((x) => typeof x === "number"))
      throw new MalformedAnswer(`${where} holds non-numbers`);
    vector = Float32Array.from(embedding as number[]);
  } else {
    throw new MalformedAnswer(`${where} has no embedding`);
  }
  let sum = 0;
  for (const x of vector) sum += x * x;
  const norm = Math.sqrt(sum);
  if (!(norm > 0) || !Number.isFinite(norm))
    throw new MalformedAnswer(`${where} is a zero or non-finite vector`);
  for (let i = 0; i < vector.length; i++) vector[i]! /= norm;
  return vector;
}

export interface VersoStatus {
  model: EmbeddingModel;
  ready: boolean;
  reason: string | null;
  /** Texts the server takes in one request. */
  maxTexts: number | undefined;
}

/** Verso's GET /status, or undefined when the answer is some other server's. */
export function readVersoStatus(body: unknown): VersoStatus | undefined {
  if (!isObject(body) || body.service !== versoEmbedderService) return undefined;
  const model = body.model;
  if (
    !isObject(model) ||
    typeof model.name !== "string" ||
    !model.name ||
    !Number.isInteger(model.dimension) ||
    (model.dimension as number) < 1
  ) {
    throw new MalformedAnswer("its status names no model");
  }
  const limits = isObject(body.limits) ? body.limits : {};
  return {
    model: { name: model.name, dimension: model.dimension as number },
    ready: body.ready === true,
    reason: typeof body.reason === "string" ? body.reason : null,
    maxTexts:
      Number.isInteger(limits.maxTexts) && (limits.maxTexts as number) > 0
        ? (limits.maxTexts as number)
        : undefined,
  };
}

/**
 * The message of an error body, whichever server wrote it: Verso and OpenAI
 * `{error: {message}}`, TEI and Ollama `{error: "…"}`, older vLLM `{message}`.
 */
export function errorMessage(body: unknown): string | undefined {
  if (!isObject(body)) return undefined;
  if (typeof body.error === "string") return body.error;
  if (isObject(body.error) && typeof body.error.message === "string") return body.error.message;
  if (typeof body.message === "string") return body.message;
  return undefined;
}

/** The stable code of a Verso error body; undefined for other servers' bodies. */
export function versoErrorCode(body: unknown): ErrorCode | undefined {
  if (!isObject(body) || !isObject(body.error)) return undefined;
  const code = body.error.code;
  return typeof code === "string" && Object.hasOwn(errorCatalogue, code) ? (code as ErrorCode) : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
