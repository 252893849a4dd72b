import { describe, expect, it } from "vitest";
import { emptyFeatures } from "../catalog/song.js";
import { moodFit, moodOf } from "./mood.js";

describe("mood", () => {
  it("reads the mood a prompt names, in English or Spanish, and none where it names none", () => {
    expect(moodOf("happy upbeat songs to start the day")).toEqual([
      { feature: "valence", want: 1 },
      { feature: "energy", want: 1 },
    ]);
    expect(moodOf("canciones para llorar")).toEqual([{ feature: "valence", want: 0 }]);
    expect(moodOf("songs to dance to").map((t) => t.feature)).toEqual(["danceability", "energy"]);
    expect(moodOf("songs to dedicate to my mother")).toEqual([]);
    expect(moodOf("the moon and the stars")).toEqual([]);
  });

  it("scores how well a song's features fit, ignoring the ones it lacks", () => {
    const targets = moodOf("happy upbeat songs");
    expect(moodFit({ ...emptyFeatures(), valence: 0.9, energy: 0.7 }, targets)).toBeCloseTo(0.8);
    expect(moodFit({ ...emptyFeatures(), valence: 0.2 }, targets)).toBeCloseTo(0.2);
    expect(moodFit(emptyFeatures(), targets)).toBeUndefined();
    expect(moodFit({ ...emptyFeatures(), valence: 0.2 }, moodOf("sad songs"))).toBeCloseTo(0.8);
  });
});
