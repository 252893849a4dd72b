/**
 * The contract of ReembeddingStore, what `verso reindex` relies on: which passages another
 * model embedded, their texts a few whole songs at a time, each song's passages replaced by
 * the same texts under the current model through the change log, how many songs each model
 * covers meanwhile, and the objects adopted.
 */
import { describe, expect, it } from "vitest";
import type { EmbeddingModel } from "../../src/core/ports.js";
import {
  catalogFixture,
  collect,
  ingested,
  listed,
  model,
  SOURCE,
  songRow,
  unit,
  type OpenCatalogStores,
} from "./catalog-fixtures.js";

const newModel: EmbeddingModel = { name: "new-model", dimension: 4 };

export function describeReembeddingStoreContract(name: string, open: OpenCatalogStores) {
  describe(`re-embedding store contract: ${name}`, () => {
    const fx = catalogFixture(open);

    /** Three songs of the test model: two with passages, one without. */
    const catalogOfTheOldModel = () =>
      fx.ingestedObject("a.csv", [
        ingested(songRow("s2", { genre: "Rock" }), [unit(1, 0, 0, 0), unit(0, 1, 0, 0)]),
        ingested(songRow("s1"), [unit(0, 0, 1, 0)]),
        ingested(songRow("none"), []),
      ]);

    it("files vectors under the same model ids as ingest", async () => {
      expect(await fx.stores.reembedding.modelId(model)).toBe(await fx.stores.runs.modelId(model));
      expect(await fx.stores.reembedding.modelId(newModel)).not.toBe(await fx.stores.runs.modelId(model));
    });

    it("counts the passages another model embedded, and hands their songs out whole, by song id", async () => {
      const { reembedding } = fx.stores;
      await catalogOfTheOldModel();
      expect(await reembedding.staleEmbeddings(model.name)).toEqual({ songs: 0, passages: 0, models: [] });
      expect(await reembedding.staleEmbeddings(newModel.name)).toEqual({
        songs: 2,
        passages: 3,
        models: [model.name],
      });
      const batches = [];
      for await (const batch of reembedding.songsToReembed(newModel.name, 1)) batches.push(batch);
      expect(batches).toEqual([
        [{ songId: "s1", passages: [{ ordinal: 0, text: "s1 passage 0" }] }],
        [
          {
            songId: "s2",
            passages: [
              { ordinal: 0, text: "s2 passage 0" },
              { ordinal: 1, text: "s2 passage 1" },
            ],
          },
        ],
      ]);
      expect(await collect(reembedding.songsToReembed(model.name))).toEqual([]);
    });

    it("replaces a song's passages by the same texts under the new model, through the change log", async () => {
      const { reembedding, songs, changeLog } = fx.stores;
      await catalogOfTheOldModel();
      const old = await songs.passagesOfSongs(["s2"], model.name);
      const before = await changeLog.catalogVersion();
      const modelId = await reembedding.modelId(newModel);
      const replaced = await reembedding.replaceEmbeddings(modelId, [
        {
          songId: "s2",
          passages: [
            { ordinal: 0, text: "s2 passage 0", vector: unit(0, 0, 0, 1) },
            { ordinal: 1, text: "s2 passage 1", vector: unit(1, 1, 0, 0) },
          ],
          vector: unit(1, 1, 0, 1),
        },
      ]);
      expect(replaced.catalogVersion).toBe(before + 1);
      const byId = (x: number, y: number) => x - y;
      expect([...replaced.removed].sort(byId)).toEqual(old.map((p) => p.id).sort(byId));
      expect(replaced.added.map((a) => a.song)).toEqual([
        expect.objectContaining({ songId: "s2", genre: "rock" }),
        expect.objectContaining({ songId: "s2", genre: "rock" }),
      ]);
      const now = (await songs.passagesOfSongs(["s2"], newModel.name)).sort((x, y) => x.ordinal - y.ordinal);
      expect(now.map((p) => [p.id, p.ordinal, p.text])).toEqual(
        replaced.added.map((a, i) => [a.id, i, `s2 passage ${i}`]),
      );
      expect(Array.from(now[0]!.vector)).toEqual(Array.from(unit(0, 0, 0, 1)));
      expect(await songs.passagesOfSongs(["s2"], model.name)).toEqual([]);
      expect([...(await songs.songVectors(["s2"], newModel.name)).keys()]).toEqual(["s2"]);
      expect(await reembedding.staleEmbeddings(newModel.name)).toMatchObject({ songs: 1, passages: 1 });

      const changes = await changeLog.changesSince(before, newModel.name);
      expect([...changes!.removed].sort(byId)).toEqual([...replaced.removed].sort(byId));
      expect((await collect(changes!.added)).map((a) => a.id)).toEqual(replaced.added.map((a) => a.id));
    });

    it("counts the songs with lyrics a model has embedded, of all of them, as songs are re-embedded", async () => {
      const { reembedding, songs } = fx.stores;
      await catalogOfTheOldModel();
      expect(await songs.embeddedSongs(model.name)).toEqual({ done: 2, total: 2 });
      expect(await songs.embeddedSongs(newModel.name)).toEqual({ done: 0, total: 2 });
      const modelId = await reembedding.modelId(newModel);
      await reembedding.replaceEmbeddings(modelId, [
        {
          songId: "s1",
          passages: [{ ordinal: 0, text: "s1 passage 0", vector: unit(0, 1, 0, 0) }],
          vector: unit(0, 1, 0, 0),
        },
      ]);
      expect(await songs.embeddedSongs(newModel.name)).toEqual({ done: 1, total: 2 });
      expect(await songs.embeddedSongs(model.name)).toEqual({ done: 1, total: 2 });
    });

    it("counts the objects done with another model as done with the new one", async () => {
      const { reembedding, objects } = fx.stores;
      await catalogOfTheOldModel();
      await fx.offer("queued.csv");
      expect(await reembedding.adoptModel(newModel.name)).toBe(1);
      expect(await reembedding.adoptModel(newModel.name)).toBe(0);
      const offered = await objects.offerObject(SOURCE, listed("a.csv"), newModel.name, {
        failedCooldownMs: 0,
        now: fx.now,
      });
      expect(offered.enqueue).toBe(false);
      expect((await objects.listObjects()).map((o) => [o.key, o.model])).toEqual([
        ["a.csv", newModel.name],
        ["queued.csv", model.name],
      ]);
    });
  });
}
