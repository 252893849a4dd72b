/**
 * The contract of the Embedder port: what the in-process USE-lite pool and any remote
 * embedder (Verso's own embedder role, an OpenAI-compatible server) must all do.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Embedder } from "../../src/core/ports.js";
import { cosine, norm } from "../../src/core/vectors.js";

/** Same vector up to float noise: batch composition may change the last bits, nothing more. */
const expectSame = (a: Float32Array | undefined, b: Float32Array | undefined) => {
  expect(a).toBeInstanceOf(Float32Array);
  expect(b).toBeInstanceOf(Float32Array);
  expect(cosine(a!, b!)).toBeGreaterThan(0.9999);
};

/** Texts of very different lengths, in no particular order, one duplicated. */
const mixed = [
  "the ocean waves",
  "I keep driving down the highway with the windows down, singing every word of our old song while the sun goes down behind the hills",
  "love",
  "tax forms and invoices",
  "dancing all night at the party until the lights come on",
  "the ocean waves",
  "mi corazón late por ti",
  "a letter to my mother, far away from home",
];

export function describeEmbedderContract(name: string, open: () => Promise<Embedder>) {
  describe(`embedder contract: ${name}`, () => {
    let embedder: Embedder;
    beforeAll(async () => {
      embedder = await open();
    });
    afterAll(async () => embedder?.close());

    it("names its model and dimension, and can work on at least one batch", () => {
      expect(embedder.model.name).toMatch(/\S/);
      expect(Number.isInteger(embedder.model.dimension) && embedder.model.dimension > 0).toBe(true);
      expect(Number.isInteger(embedder.parallelism) && embedder.parallelism >= 1).toBe(true);
    });

    it("says when it is ready to answer", async () => {
      await expect(embedder.ready()).resolves.toBeUndefined();
    });

    it("returns one unit-length Float32Array of the model's dimension per text", async () => {
      const vectors = await embedder.embed(mixed);
      expect(vectors).toHaveLength(mixed.length);
      for (const vector of vectors) {
        expect(vector).toBeInstanceOf(Float32Array);
        expect(vector).toHaveLength(embedder.model.dimension);
        expect(vector.every(Number.isFinite)).toBe(true);
        expect(Math.abs(norm(vector) - 1)).toBeLessThan(1e-4);
      }
      expectSame(vectors[0], vectors[5]);
    });

    it("keeps the order of the texts, whatever their lengths", async () => {
      const forward = await embedder.embed(mixed);
      const backward = await embedder.embed([...mixed].reverse());
      mixed.forEach((_, i) => expectSame(forward[i], backward[mixed.length - 1 - i]));
      const alone = await Promise.all(mixed.map(async (text) => (await embedder.embed([text]))[0]));
      mixed.forEach((_, i) => expectSame(forward[i], alone[i]));
    });

    it("is deterministic across calls and priorities", async () => {
      const [bulk] = await embedder.embed(["a quiet morning by the river"], { priority: "bulk" });
      const [interactive] = await embedder.embed(["a quiet morning by the river"], {
        priority: "interactive",
      });
      const [unspecified] = await embedder.embed(["a quiet morning by the river"]);
      expectSame(bulk, interactive);
      expectSame(bulk, unspecified);
    });

    it("places related meanings closer than unrelated ones", async () => {
      const [ocean, sea, taxes, heartbreak, goodbye, report] = await embedder.embed([
        "the ocean waves",
        "the sea and the shore",
        "tax forms and invoices",
        "my heart is broken since you left me",
        "crying alone after our goodbye",
        "the accountant filed the quarterly report",
      ]);
      expect(cosine(ocean!, sea!)).toBeGreaterThan(cosine(ocean!, taxes!));
      expect(cosine(heartbreak!, goodbye!)).toBeGreaterThan(cosine(heartbreak!, report!));
    });

    it("answers concurrent calls of both priorities, each with its own texts", async () => {
      const texts = Array.from({ length: 24 }, (_, i) => `song number ${i} about ${mixed[i % mixed.length]}`);
      const expected = await embedder.embed(texts);
      const answers = await Promise.all(
        texts.map((text, i) => embedder.embed([text], { priority: i % 3 === 0 ? "interactive" : "bulk" })),
      );
      answers.forEach((answer, i) => {
        expect(answer).toHaveLength(1);
        expectSame(answer[0], expected[i]);
      });
    });

    it("embeds a call larger than any batch, in order", async () => {
      const texts = Array.from(
        { length: 150 },
        (_, i) => `verse ${i}: ${mixed[i % mixed.length]} ${"la ".repeat(i % 7)}`,
      );
      const vectors = await embedder.embed(texts, { priority: "bulk" });
      expect(vectors).toHaveLength(texts.length);
      const probe = [0, 63, 64, 99, 149];
      const alone = await embedder.embed(probe.map((i) => texts[i]!));
      probe.forEach((i, k) => expectSame(vectors[i], alone[k]));
    });

    it("answers an empty list with an empty list, and rejects empty or blank texts", async () => {
      expect(await embedder.embed([])).toEqual([]);
      await expect(embedder.embed([""])).rejects.toThrow(/empty/i);
      await expect(embedder.embed(["fine", "   \n\t"])).rejects.toThrow(/empty/i);
      // A rejected call leaves the embedder in service.
      expect(await embedder.embed(["still here"])).toHaveLength(1);
    });

    it("rejects work after close, and closes more than once without harm", async () => {
      const own = await open();
      expect(await own.embed(["before closing"])).toHaveLength(1);
      await own.close();
      await own.close();
      await expect(own.embed(["after closing"])).rejects.toThrow();
    });
  });
}
