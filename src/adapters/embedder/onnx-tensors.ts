/**
 * The arithmetic around a sentence model's ONNX graph: texts in as padded rows of token ids,
 * token vectors out as one vector per text, pooled the way the model was trained.
 */
import type { Pooling } from "../../core/embedding-models.js";

/** What a tokenizer gives for one text: ids with the model's special tokens in place. */
export interface TokenizedText {
  ids: readonly number[];
}

/** A batch of texts as the graph's inputs take them: [texts × length], row-major, int64. */
export interface TokenBatch {
  inputIds: BigInt64Array;
  attentionMask: BigInt64Array;
  tokenTypeIds: BigInt64Array;
  texts: number;
  length: number;
}

/**
 * Pads every text to the longest one. A text longer than maxTokens keeps its first tokens and
 * its last one, which is the end-of-text token the model saw at the end of every input.
 */
export function padBatch(encoded: readonly TokenizedText[], maxTokens: number, padId: number): TokenBatch {
  const rows = encoded.map(({ ids }) =>
    ids.length <= maxTokens ? ids : [...ids.slice(0, maxTokens - 1), ids[ids.length - 1]!],
  );
  const length = Math.max(1, ...rows.map((row) => row.length));
  const inputIds = new BigInt64Array(rows.length * length).fill(BigInt(padId));
  const attentionMask = new BigInt64Array(rows.length * length);
  rows.forEach((row, r) =>
    row.forEach((id, t) => {
      inputIds[r * length + t] = BigInt(id);
      attentionMask[r * length + t] = 1n;
    }),
  );
  return {
    inputIds,
    attentionMask,
    tokenTypeIds: new BigInt64Array(rows.length * length),
    texts: rows.length,
    length,
  };
}

/**
 * One vector per text from the graph's output: [texts × length × dimension] token vectors are
 * pooled (mean over the text's real tokens, or the first token's); an output that is already
 * [texts × dimension] is taken as it is.
 */
export function poolOutput(
  output: { data: Float32Array; dims: readonly number[] },
  batch: Pick<TokenBatch, "attentionMask" | "texts" | "length">,
  pooling: Pooling,
): Float32Array[] {
  const { data, dims } = output;
  if (dims.length === 2) {
    const dimension = dims[1]!;
    return Array.from({ length: batch.texts }, (_, r) => data.slice(r * dimension, (r + 1) * dimension));
  }
  if (dims.length !== 3 || dims[0] !== batch.texts || dims[1] !== batch.length) {
    throw new Error(`the model's output has shape [${dims.join(", ")}], not [texts, tokens, dimension]`);
  }
  const dimension = dims[2]!;
  return Array.from({ length: batch.texts }, (_, r) => {
    const rowStart = r * batch.length * dimension;
    if (pooling === "cls") return data.slice(rowStart, rowStart + dimension);
    const sum = new Float32Array(dimension);
    let tokens = 0;
    for (let t = 0; t < batch.length; t++) {
      if (batch.attentionMask[r * batch.length + t] === 0n) continue;
      tokens += 1;
      const at = rowStart + t * dimension;
      for (let i = 0; i < dimension; i++) sum[i]! += data[at + i]!;
    }
    for (let i = 0; i < dimension; i++) sum[i]! /= Math.max(tokens, 1);
    return sum;
  });
}
