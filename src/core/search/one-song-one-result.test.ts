import { describe, expect, it } from "vitest";
import { emptyFeatures, type Song } from "../catalog/song.js";
import { oneSongOneResult, songIdentity } from "./one-song-one-result.js";

const song = (id: string, title: string, artists: string[]): Song => ({
  id,
  title,
  artists,
  album: null,
  genre: null,
  language: null,
  releaseDate: null,
  features: emptyFeatures(),
});

describe("one song, one result", () => {
  it("knows a song under another id, label, letter case, accent or artist order", () => {
    const same = [
      song("a", "If I Had No Loot", ["Tony! Toni! Toné!"]),
      song("b", "If I Had No Loot (Remastered 2005)", ["tony toni tone"]),
      song("c", "IF I HAD NO LOOT - Radio Edit", ["Tony! Toni! Toné!"]),
    ];
    expect(new Set(same.map(songIdentity)).size).toBe(1);
    expect(songIdentity(song("d", "Duet", ["A", "B"]))).toBe(songIdentity(song("e", "Duet", ["B", "A"])));
    expect(songIdentity(song("f", "If I Had No Money", ["Tony! Toni! Toné!"]))).not.toBe(
      songIdentity(same[0]!),
    );
    expect(songIdentity(song("g", "If I Had No Loot", ["Someone Else"]))).not.toBe(songIdentity(same[0]!));
  });

  it("keeps the best-ranked copy and the order of the rest", () => {
    const songs = new Map(
      [
        song("x", "Harbour", ["The Testers"]),
        song("y", "Lights", ["The Testers"]),
        song("x2", "Harbour [Live]", ["The Testers"]),
      ].map((s) => [s.id, s]),
    );
    const ranked = ["x", "x2", "y", "unknown"].map((songId) => ({ songId }));
    expect(oneSongOneResult(ranked, songs).map((c) => c.songId)).toEqual(["x", "y"]);
  });
});
