import { describe, expect, it } from "vitest";
import type { Song } from "../catalog/song.js";
import { CatalogMemory, type CatalogMemoryStore } from "./catalog-memory.js";

/** The memory keeps songs without reading them. */
const song = (id: string, title = id) => ({ id, title }) as Song;

/** A store of songs a and b (b has no vector), with what it was asked for. */
function memoryStore() {
  const songs = new Map([song("a"), song("b")].map((s) => [s.id, s]));
  const vectors = new Map([["a", Float32Array.from([1, 0])]]);
  const passages = [
    { id: 1, songId: "a", ordinal: 0, text: "a first", vector: Float32Array.from([1, 0]) },
    { id: 2, songId: "a", ordinal: 1, text: "a second", vector: Float32Array.from([0, 1]) },
  ];
  const asked: { songs: string[][]; vectors: [string[], string][]; passages: [string[], string][] } = {
    songs: [],
    vectors: [],
    passages: [],
  };
  const store: CatalogMemoryStore = {
    async getSongs(ids) {
      asked.songs.push([...ids]);
      return new Map(ids.flatMap((id) => (songs.has(id) ? [[id, songs.get(id)!] as const] : [])));
    },
    async songVectors(ids, model) {
      asked.vectors.push([[...ids], model]);
      return new Map(ids.flatMap((id) => (vectors.has(id) ? [[id, vectors.get(id)!] as const] : [])));
    },
    async passagesOfSongs(ids, model) {
      asked.passages.push([[...ids], model]);
      return passages.filter((p) => ids.includes(p.songId));
    },
  };
  return { store, songs, asked };
}

describe("CatalogMemory", () => {
  it("reads only the songs it does not hold yet", async () => {
    const { store, asked } = memoryStore();
    const memory = new CatalogMemory(store, "model-x");
    memory.forCatalogVersion(1);
    expect([...(await memory.songs(["a"])).keys()]).toEqual(["a"]);
    expect([...(await memory.songs(["a", "b", "zz"])).keys()].sort()).toEqual(["a", "b"]);
    expect(await memory.songs(["a", "b"])).toHaveProperty("size", 2);
    // A song the store does not have is asked for again: it may come with the next commit.
    await memory.songs(["zz"]);
    expect(asked.songs).toEqual([["a"], ["b", "zz"], ["zz"]]);
  });

  it("reads the vectors of its model, once each", async () => {
    const { store, asked } = memoryStore();
    const memory = new CatalogMemory(store, "model-x");
    memory.forCatalogVersion(1);
    expect([...(await memory.songVectors(["a", "b"])).keys()]).toEqual(["a"]);
    await memory.songVectors(["a"]);
    expect(asked.vectors).toEqual([[["a", "b"], "model-x"]]);
  });

  it("reads each song's passages once, a song without any included", async () => {
    const { store, asked } = memoryStore();
    const memory = new CatalogMemory(store, "model-x");
    memory.forCatalogVersion(1);
    expect((await memory.passages(["a", "b"])).map((p) => p.id)).toEqual([1, 2]);
    expect((await memory.passages(["b", "a"])).map((p) => p.id)).toEqual([1, 2]);
    expect(asked.passages).toEqual([[["a", "b"], "model-x"]]);
    memory.forCatalogVersion(2);
    await memory.passages(["a"]);
    expect(asked.passages).toHaveLength(2);
  });

  it("forgets what it holds when the catalog version moves, and only then", async () => {
    const { store, songs, asked } = memoryStore();
    const memory = new CatalogMemory(store, "model-x");
    memory.forCatalogVersion(1);
    await memory.songs(["a"]);
    await memory.songVectors(["a"]);
    songs.set("a", song("a", "A, retitled"));

    memory.forCatalogVersion(1);
    expect((await memory.songs(["a"])).get("a")?.title).toBe("a");
    memory.forCatalogVersion(2);
    expect((await memory.songs(["a"])).get("a")?.title).toBe("A, retitled");
    await memory.songVectors(["a"]);
    expect(asked.songs).toEqual([["a"], ["a"]]);
    expect(asked.vectors).toHaveLength(2);
  });
});
