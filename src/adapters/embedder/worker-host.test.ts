import { describe, expect, it } from "vitest";
import { embedSorted, type ModelCall } from "./worker-host.js";

/** A fake model that records its calls and answers [length, 1, 0] for each text. */
function recordingModel() {
  const calls: string[][] = [];
  const model: ModelCall = async (texts) => {
    calls.push(texts);
    return texts.map((t) => [t.length, 1, 0]);
  };
  return { model, calls };
}

describe("embedSorted", () => {
  it("embeds texts of similar length together and puts each vector back in its place", async () => {
    const { model, calls } = recordingModel();
    const texts = ["ccc", "a", "dddd", "bb", "eeeee"];
    const out = await embedSorted(model, texts, 3, 2);
    expect(calls).toEqual([["a", "bb"], ["ccc", "dddd"], ["eeeee"]]);
    texts.forEach((text, i) => {
      const n = Math.hypot(text.length, 1);
      expect(out[i * 3]).toBeCloseTo(text.length / n, 6);
      expect(out[i * 3 + 1]).toBeCloseTo(1 / n, 6);
    });
  });

  it("refuses a model answer that would misalign vectors and texts", async () => {
    const short: ModelCall = async (texts) => texts.slice(1).map(() => [1, 0]);
    await expect(embedSorted(short, ["a", "b"], 2, 8)).rejects.toThrow(/1 vectors for 2 texts/);
    const wrongSize: ModelCall = async (texts) => texts.map(() => [1, 0, 0]);
    await expect(embedSorted(wrongSize, ["a"], 2, 8)).rejects.toThrow(/vector of 3, not 2/);
    const zero: ModelCall = async (texts) => texts.map(() => [0, 0]);
    await expect(embedSorted(zero, ["a"], 2, 8)).rejects.toThrow(/zero or non-finite/);
  });
});
