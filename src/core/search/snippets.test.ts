import { describe, expect, it } from "vitest";
import type { Song } from "../catalog/song.js";
import type { PassageRecord } from "../catalog/store.js";
import { nearestPassages, Snippets, type PassageWithVector, type SnippetStore } from "./snippets.js";

const passage = (id: number, songId: string, ordinal: number, vector: number[]): PassageWithVector => ({
  id,
  songId,
  ordinal,
  text: `${songId} passage ${ordinal}`,
  vector: Float32Array.from(vector),
});

/** The snippets pass songs through without reading them. */
const song = (id: string) => ({ id }) as Song;

const prompt = Float32Array.from([1, 0]);

const passages = [
  passage(1, "a", 0, [0, 1]),
  passage(2, "a", 1, [0.8, 0.6]),
  passage(3, "b", 0, [0.6, 0.8]),
  passage(4, "b", 1, [0.6, 0.8]),
  passage(5, "c", 0, [1, 0]),
];

/** The passages above, with the calls made to read them. */
function memoryStore() {
  const reads: { passagesOfSongs: string[][]; getPassages: number[][] } = {
    passagesOfSongs: [],
    getPassages: [],
  };
  const store: SnippetStore = {
    async passages(songIds) {
      reads.passagesOfSongs.push([...songIds]);
      return passages.filter((p) => songIds.includes(p.songId));
    },
    async getPassages(ids) {
      reads.getPassages.push([...ids]);
      return new Map<number, PassageRecord>(
        passages.filter((p) => ids.includes(p.id)).map(({ vector: _vector, ...p }) => [p.id, p]),
      );
    },
  };
  return { store, reads };
}

describe("nearestPassages", () => {
  it("chooses each wanted song's passage nearest the vector, the first of equals", () => {
    const nearest = nearestPassages(prompt, ["a", "b"], passages);
    expect([...nearest].map(([songId, p]) => [songId, p.id])).toEqual([
      ["a", 2],
      ["b", 3],
    ]);
  });

  it("passes over the passages of songs it was not asked about, and songs without passages", () => {
    expect([...nearestPassages(prompt, ["b", "z"], passages).keys()]).toEqual(["b"]);
    expect(nearestPassages(prompt, [], passages).size).toBe(0);
  });
});

describe("Snippets", () => {
  const songs = new Map(["a", "b", "c", "d"].map((id) => [id, song(id)]));

  it("shows the passage the index found a song by, and reads no others", async () => {
    const { store, reads } = memoryStore();
    const hits = await new Snippets(store).hits([{ songId: "a", score: 0.5, passageId: 1 }], prompt, songs);
    expect(hits).toEqual([
      { song: songs.get("a"), score: 0.5, passage: { text: "a passage 0", ordinal: 0 } },
    ]);
    expect(reads.passagesOfSongs).toEqual([]);
  });

  it("shows the nearest passage of a song found otherwise, reading only the songs not read already", async () => {
    const { store, reads } = memoryStore();
    const snippets = new Snippets(store);
    const read = await snippets.passagesOf(["a"]);
    const hits = await snippets.hits(
      [
        { songId: "a", score: 3 },
        { songId: "c", score: 2, passageId: 5 },
        { songId: "b", score: 1 },
      ],
      prompt,
      songs,
      read,
    );
    expect(hits.map((h) => [h.song.id, h.passage.ordinal])).toEqual([
      ["a", 1],
      ["c", 0],
      ["b", 0],
    ]);
    expect(reads.passagesOfSongs).toEqual([["a"], ["b"]]);
    expect(reads.getPassages).toEqual([[5]]);
  });

  it("shows an empty passage for a song without one, and rounds scores to six decimals", async () => {
    const { store } = memoryStore();
    const [hit] = await new Snippets(store).hits([{ songId: "d", score: 0.123456789 }], prompt, songs);
    expect(hit).toEqual({ song: songs.get("d"), score: 0.123457, passage: { text: "", ordinal: -1 } });
  });
});
