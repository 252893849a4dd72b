/**
 * The contract of IngestRunStore.storedVectors: the passage vectors a model has stored, found by
 * the hash of the text they were embedded from, so that ingest never embeds that text again.
 */
import { describe, expect, it } from "vitest";
import { textHash } from "../../src/core/catalog/vector-reuse.js";
import type { IngestedSong } from "../../src/core/catalog/store.js";
import { catalogFixture, model, songRow, unit, type OpenCatalogStores } from "./catalog-fixtures.js";

/** A song whose passages carry the hashes of their texts. */
const hashed = (id: string, passages: [text: string, vector: Float32Array][]): IngestedSong => ({
  song: songRow(id),
  lyricsStatus: "ok",
  passages: passages.map(([text, vector]) => ({ text, vector, textHash: textHash(text) })),
  vector: passages[0]?.[1] ?? null,
});

export function describeStoredVectorsContract(name: string, open: OpenCatalogStores) {
  describe(`stored passage vectors contract: ${name}`, () => {
    const fx = catalogFixture(open);

    it("answers the stored vector of each known text hash of the model, and nothing for others", async () => {
      const { runs } = fx.stores;
      const { lease } = await fx.startedObject();
      const chorus = unit(1, 0, 0, 0);
      const verse = unit(0, 1, 0, 0);
      await runs.commitBatch(
        await fx.batchOf(lease, [
          hashed("s1", [
            ["the chorus", chorus],
            ["a verse", verse],
          ]),
          hashed("s2", [["the chorus", unit(0, 0, 1, 0)]]),
        ]),
      );
      const modelId = await runs.modelId(model);
      const found = await runs.storedVectors(modelId, [
        textHash("the chorus"),
        textHash("a verse"),
        textHash("never stored"),
        textHash("a verse"),
      ]);
      expect([...found.keys()].sort()).toEqual([textHash("the chorus"), textHash("a verse")].sort());
      // Of passages that share a text, the first one stored.
      expect([...found.get(textHash("the chorus"))!]).toEqual([...chorus]);
      expect([...found.get(textHash("a verse"))!]).toEqual([...verse]);

      const other = await runs.modelId({ name: "other-model", dimension: 4 });
      expect((await runs.storedVectors(other, [textHash("the chorus")])).size).toBe(0);
      expect((await runs.storedVectors(modelId, [])).size).toBe(0);
    });

    it("looks up more hashes than one statement binds, and forgets the texts of passages replaced", async () => {
      const { runs } = fx.stores;
      const { lease } = await fx.startedObject();
      const texts = Array.from({ length: 450 }, (_, i) => `line ${i}`);
      const songs = texts.map((text, i) => hashed(`s${i}`, [[text, unit(1, i, 0, 0)]]));
      await runs.commitBatch(await fx.batchOf(lease, songs));
      const modelId = await runs.modelId(model);
      const found = await runs.storedVectors(modelId, texts.map(textHash));
      expect(found.size).toBe(450);
      expect([...found.get(textHash("line 321"))!]).toEqual([...unit(1, 321, 0, 0)]);

      await runs.commitBatch(await fx.batchOf(lease, [hashed("s321", [["new words", unit(0, 0, 0, 1)]])]));
      const after = await runs.storedVectors(modelId, [textHash("line 321"), textHash("new words")]);
      expect([...after.keys()]).toEqual([textHash("new words")]);
    });

    it("keeps no hash for passages written without one", async () => {
      const { runs } = fx.stores;
      const { lease } = await fx.startedObject();
      const song = hashed("s1", [["plain", unit(1, 0, 0, 0)]]);
      await runs.commitBatch(
        await fx.batchOf(lease, [{ ...song, passages: [{ text: "plain", vector: unit(1, 0, 0, 0) }] }]),
      );
      expect((await runs.storedVectors(await runs.modelId(model), [textHash("plain")])).size).toBe(0);
    });
  });
}
