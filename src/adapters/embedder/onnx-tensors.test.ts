import { describe, expect, it } from "vitest";
import { padBatch, poolOutput } from "./onnx-tensors.js";

describe("padBatch", () => {
  it("pads every text to the longest with the padding id, masking the padding out", () => {
    const batch = padBatch([{ ids: [2, 10, 3] }, { ids: [2, 3] }], 8, 0);
    expect(batch).toMatchObject({ texts: 2, length: 3 });
    expect(Array.from(batch.inputIds, Number)).toEqual([2, 10, 3, 2, 3, 0]);
    expect(Array.from(batch.attentionMask, Number)).toEqual([1, 1, 1, 1, 1, 0]);
    expect(Array.from(batch.tokenTypeIds, Number)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it("cuts a text past the maximum, keeping its last token (the end-of-text one)", () => {
    const batch = padBatch([{ ids: [2, 10, 11, 12, 13, 3] }], 4, 0);
    expect(Array.from(batch.inputIds, Number)).toEqual([2, 10, 11, 3]);
  });
});

describe("poolOutput", () => {
  const batch = padBatch([{ ids: [1, 2] }, { ids: [1] }], 8, 0);
  // Two texts × two tokens × two dimensions; the second text's second token is padding.
  const tokens = { data: Float32Array.from([1, 2, 3, 4, 5, 6, 100, 100]), dims: [2, 2, 2] };

  it("averages a text's real tokens only", () => {
    expect(poolOutput(tokens, batch, "mean").map((v) => Array.from(v))).toEqual([
      [2, 3],
      [5, 6],
    ]);
  });

  it("takes the first token for CLS pooling", () => {
    expect(poolOutput(tokens, batch, "cls").map((v) => Array.from(v))).toEqual([
      [1, 2],
      [5, 6],
    ]);
  });

  it("takes an output already pooled as it is, and refuses a shape it cannot read", () => {
    const pooled = { data: Float32Array.from([1, 2, 3, 4]), dims: [2, 2] };
    expect(poolOutput(pooled, batch, "mean").map((v) => Array.from(v))).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(() => poolOutput({ data: new Float32Array(8), dims: [2, 4, 1] }, batch, "mean")).toThrow(
      /shape \[2, 4, 1\], not \[texts, tokens, dimension\]/,
    );
  });
});
