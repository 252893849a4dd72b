import { describe, expect, it } from "vitest";
import { draftOf, emptyDraft, readDraft } from "./filter-draft.js";

describe("the filters as edited", () => {
  it("shows features in percent and reads them back in the API's units", () => {
    const draft = draftOf({ energy: { min: 0.4, max: 0.75 }, tempo: { max: 120 }, language: "es" });
    expect(draft.ranges.energy).toEqual({ min: "40", max: "75" });
    expect(draft.ranges.tempo).toEqual({ min: "", max: "120" });
    expect(readDraft(draft)).toEqual({
      filters: { language: "es", tempo: { max: 120 }, energy: { min: 0.4, max: 0.75 } },
      problems: {},
    });
  });

  it("says which range is wrong and how, and leaves it out", () => {
    const draft = emptyDraft();
    draft.ranges.valence = { min: "80", max: "20" };
    draft.ranges.year = { min: "1990", max: "20000" };
    draft.ranges.danceability = { min: "abc", max: "" };
    draft.ranges.liveness = { min: "12,5", max: "" };
    draft.genre = "  latin ";
    expect(readDraft(draft)).toEqual({
      filters: { genre: "latin", liveness: { min: 0.125 } },
      problems: { valence: "reversed", year: "outOfRange", danceability: "outOfRange" },
    });
  });
});
