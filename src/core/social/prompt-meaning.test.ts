import { describe, expect, it } from "vitest";
import { VersoError } from "../errors.js";
import { fusedScore, PromptMeaning, SIMILARITY_FLOOR, type PromptEmbedder } from "./prompt-meaning.js";
import type { PromptText, PromptVectorStore } from "./store.js";

/** Vectors by the text embedded; a text it does not know is an embedder away. */
function stubEmbedder(known: Record<string, number[]>): PromptEmbedder {
  return {
    model: { name: "stub", dimension: 2 },
    async embed(texts) {
      return texts.map((text) => {
        const values = known[text];
        if (!values) throw new VersoError("DEPENDENCY_UNAVAILABLE", "the embedder is loading");
        return Float32Array.from(values);
      });
    },
  };
}

function memoryVectors(texts: PromptText[]): PromptVectorStore & { kept: Map<number, Float32Array> } {
  const kept = new Map<number, Float32Array>();
  return {
    kept,
    async missing(_model, limit) {
      return texts.filter((t) => !kept.has(t.promptId)).slice(0, limit);
    },
    async put({ promptId, vector }) {
      kept.set(promptId, vector);
    },
    async all() {
      return [...kept].map(([promptId, vector]) => ({ promptId, vector }));
    },
  };
}

const unit = (angle: number) => [Math.cos(angle), Math.sin(angle)];

describe("prompt search by meaning", () => {
  it("fuses the words' score with the similarity above the floor, and leaves out what has neither", () => {
    expect(fusedScore(0.25, 1)).toBeCloseTo(1.25);
    expect(fusedScore(0.25, SIMILARITY_FLOOR - 0.1)).toBe(0.25);
    expect(fusedScore(0, SIMILARITY_FLOOR)).toBe(0);
    expect(fusedScore(0, SIMILARITY_FLOOR - 0.01)).toBeNull();
  });

  it("ranks word matches and prompts near in meaning together, pages after a cursor, and fills in missing vectors", async () => {
    const prompts = [
      { promptId: 1, text: "songs about the ocean", updatedAt: "a" },
      { promptId: 2, text: "songs about the sea", updatedAt: "a" },
      { promptId: 3, text: "party songs", updatedAt: "a" },
    ];
    const vectors = memoryVectors(prompts);
    const meaning = new PromptMeaning({
      prompts: { matchWords: async () => [{ id: 2, score: 0.25 }] },
      vectors,
      embedder: stubEmbedder({
        "the ocean": unit(0.3),
        "the sea": unit(0.2),
        party: unit(1.4),
        sea: unit(0),
      }),
    });
    const all = await meaning.rank({ text: "sea", terms: ["sea"], after: null, limit: 10 });
    expect(vectors.kept.size).toBe(3);
    expect(all.map((r) => r.id)).toEqual([2, 1]);
    const rest = await meaning.rank({ text: "sea", terms: ["sea"], after: all[0]!, limit: 10 });
    expect(rest).toEqual([all[1]]);
  });

  it("finds prompts by their words alone while the embedder is away", async () => {
    const prompts = [{ promptId: 7, text: "songs about the sea", updatedAt: "a" }];
    const vectors = memoryVectors(prompts);
    const away = new PromptMeaning({
      prompts: { matchWords: async () => [{ id: 7, score: 0.25 }] },
      vectors,
      embedder: stubEmbedder({}),
    });
    expect(await away.remember(prompts)).toBe(false);
    expect(await away.rank({ text: "sea", terms: ["sea"], after: null, limit: 10 })).toEqual([
      { id: 7, score: 0.25 },
    ]);
    expect(vectors.kept.size).toBe(0);
  });
});
