import { describe, expect, it } from "vitest";
import type { VectorHit } from "../ports.js";
import {
  fuse,
  groupBySong,
  rescored,
  songsFound,
  type Candidate,
  type FusionTuning,
  type Signal,
} from "./fusion.js";

const hit = (id: number, songId: string, score: number): VectorHit => ({ id, songId, score });
const candidates = (...pairs: [string, number][]): Candidate[] =>
  pairs.map(([songId, score]) => ({ songId, score }));
const signal = (name: Signal["name"], weight: number, found: Candidate[]): Signal => ({
  name,
  weight,
  candidates: found,
});
const order = (fused: Candidate[]) => fused.map((c) => c.songId);
const scores = (fused: Candidate[]) => Object.fromEntries(fused.map((c) => [c.songId, c.score]));

const linear: FusionTuning = { fusion: "linear", rrfK: 60, fusionDepth: 30 };
const rrf: FusionTuning = { fusion: "rrf", rrfK: 60, fusionDepth: 30 };

describe("groupBySong", () => {
  it("scores a song by its best passage plus a share of its second best, and keeps the best for the snippet", () => {
    const grouped = groupBySong(
      [hit(1, "a", 0.5), hit(2, "a", 0.9), hit(3, "a", 0.7), hit(4, "b", 0.8)],
      0.5,
    );
    expect(grouped).toEqual([
      { songId: "a", score: 0.9 + 0.5 * 0.7, passageId: 2, nearest: { best: 0.9, second: 0.7 } },
      { songId: "b", score: 0.8, passageId: 4, nearest: { best: 0.8, second: 0 } },
    ]);
  });

  it("moves the best passage to second when a better one comes later", () => {
    const [a] = groupBySong([hit(1, "a", 0.6), hit(2, "a", 0.8)], 1);
    expect(a).toEqual({ songId: "a", score: 0.8 + 0.6, passageId: 2, nearest: { best: 0.8, second: 0.6 } });
  });

  it("counts the best passage alone when the second weighs 0", () => {
    expect(scores(groupBySong([hit(1, "a", 0.6), hit(2, "a", 0.5), hit(3, "b", 0.7)], 0))).toEqual({
      a: 0.6,
      b: 0.7,
    });
  });

  it("keeps songs of equal score in the order their first hits came", () => {
    expect(order(groupBySong([hit(1, "c", 0.5), hit(2, "a", 0.5), hit(3, "b", 0.5)], 0.5))).toEqual([
      "c",
      "a",
      "b",
    ]);
  });

  it("finds nothing in no hits", () => {
    expect(groupBySong([], 0.5)).toEqual([]);
  });
});

describe("fuse, linear", () => {
  it("scales each signal's scores to 0..1 over its top songs and adds them with their weights", () => {
    const fused = fuse(
      [
        signal("passages", 1, candidates(["a", 1], ["b", 0.75], ["c", 0.5])),
        signal("lexical", 3, candidates(["c", 30], ["a", 20], ["d", 10])),
      ],
      linear,
    );
    expect(scores(fused)).toEqual({ a: 1 + 3 * 0.5, b: 0.5, c: 0 + 3 * 1, d: 0 });
    expect(order(fused)).toEqual(["c", "a", "b", "d"]);
  });

  it("gives every song of a signal whose scores are all equal (or that has one song) its whole weight", () => {
    expect(scores(fuse([signal("lexical", 0.6, candidates(["a", 3], ["b", 3]))], linear))).toEqual({
      a: 0.6,
      b: 0.6,
    });
    expect(scores(fuse([signal("lexical", 0.6, candidates(["a", 0.1]))], linear))).toEqual({ a: 0.6 });
  });

  it("leaves out an empty signal and a signal of weight 0", () => {
    const passages = signal("passages", 1, candidates(["a", 0.9], ["b", 0.5]));
    const expected = fuse([passages], linear);
    expect(fuse([passages, signal("lexical", 1, [])], linear)).toEqual(expected);
    const weightless = fuse([passages, signal("related", 0, candidates(["z", 5], ["b", 4]))], linear);
    expect(weightless).toEqual(expected);
    expect(order(weightless)).not.toContain("z");
  });

  it("answers nothing when no signal found anything", () => {
    expect(fuse([], linear)).toEqual([]);
    expect(fuse([signal("passages", 1, []), signal("lexical", 1, [])], linear)).toEqual([]);
  });

  it("reads each signal to the fusion depth only, scaling over what it read", () => {
    const found = candidates(["a", 10], ["b", 8], ["c", 6], ["d", 0]);
    const fused = fuse([signal("lexical", 1, found)], { ...linear, fusionDepth: 3 });
    expect(scores(fused)).toEqual({ a: 1, b: 0.5, c: 0 });
  });

  it("keeps songs of equal fused score in the order the signals met them", () => {
    const fused = fuse(
      [
        signal("passages", 1, candidates(["a", 1], ["b", 0])),
        signal("lexical", 1, candidates(["b", 1], ["a", 0])),
      ],
      linear,
    );
    expect(fused.map((c) => [c.songId, c.score])).toEqual([
      ["a", 1],
      ["b", 1],
    ]);
  });

  it("keeps the first passage a signal found for a song", () => {
    const fused = fuse(
      [
        signal("lexical", 1, candidates(["a", 2], ["b", 1])),
        signal("passages", 1, [
          { songId: "b", score: 0.9, passageId: 20 },
          { songId: "a", score: 0.8, passageId: 10 },
        ]),
        signal("wholeSong", 1, [{ songId: "b", score: 0.9, passageId: 99 }]),
      ],
      linear,
    );
    expect(Object.fromEntries(fused.map((c) => [c.songId, c.passageId]))).toEqual({ a: 10, b: 20 });
  });
});

describe("fuse, reciprocal rank", () => {
  it("gives each song weight / (rrfK + its place), whatever the gaps between the scores", () => {
    const fused = fuse(
      [
        signal("passages", 1, candidates(["a", 0.99], ["b", 0.1])),
        signal("lexical", 2, candidates(["b", 50], ["c", 49])),
      ],
      { ...rrf, rrfK: 10 },
    );
    expect(fused.map((c) => c.songId)).toEqual(["b", "c", "a"]);
    expect(fused[0]!.score).toBeCloseTo(1 / 12 + 2 / 11);
    expect(fused[1]!.score).toBeCloseTo(2 / 12);
    expect(fused[2]!.score).toBeCloseTo(1 / 11);
  });

  it("orders songs otherwise than the linear fusion where one signal's gap is large", () => {
    const signals = [
      signal("passages", 1, candidates(["a", 1], ["b", 0.9], ["c", 0.6], ["d", 0])),
      signal("lexical", 1, candidates(["a", 1], ["c", 0.2], ["d", 0.1], ["b", 0])),
    ];
    // b is nearly as good as a in the first signal: the scores say so, the places do not.
    expect(order(fuse(signals, linear))).toEqual(["a", "b", "c", "d"]);
    expect(order(fuse(signals, rrf))).toEqual(["a", "c", "b", "d"]);
  });

  it("reads each signal to the fusion depth only", () => {
    const fused = fuse([signal("lexical", 1, candidates(["a", 3], ["b", 2], ["c", 1]))], {
      ...rrf,
      fusionDepth: 2,
    });
    expect(order(fused)).toEqual(["a", "b"]);
  });

  it("leaves out a signal of weight 0", () => {
    const fused = fuse(
      [signal("passages", 1, candidates(["a", 1])), signal("mood", 0, candidates(["b", 1]))],
      rrf,
    );
    expect(order(fused)).toEqual(["a"]);
  });
});

describe("songsFound", () => {
  it("lists the songs of each signal's top once, in the order the signals give them", () => {
    const signals = [
      signal("passages", 1, candidates(["a", 1], ["b", 1], ["c", 1])),
      signal("lexical", 0, candidates(["d", 1], ["a", 1], ["e", 1])),
    ];
    expect(songsFound(signals, 2)).toEqual(["a", "b", "d"]);
    expect(songsFound(signals, 3)).toEqual(["a", "b", "c", "d", "e"]);
    expect(songsFound([], 3)).toEqual([]);
  });
});

describe("rescored", () => {
  it("scores the songs again, best first, leaving out those it cannot score", () => {
    const measure: Record<string, number | undefined> = { a: 0.2, b: undefined, c: 0.9, d: 0.2 };
    const again = rescored("wholeSong", ["a", "b", "c", "d"], (id) => measure[id], 0.6);
    expect(again).toEqual({
      name: "wholeSong",
      weight: 0.6,
      candidates: candidates(["c", 0.9], ["a", 0.2], ["d", 0.2]),
    });
  });

  it("scores no songs as an empty signal", () => {
    expect(rescored("mood", [], () => 1, 0.25).candidates).toEqual([]);
  });
});
