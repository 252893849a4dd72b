import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { features } from "../../test/fixtures.js";
import { moodOf } from "./mood.js";
import { MoodGlance } from "./MoodGlance.js";

describe("a song's mood", () => {
  it("reads energy, valence, danceability and tempo as levels", () => {
    const mood = moodOf(features({ energy: 0.9, valence: 0.15, danceability: 0.55, tempo: 128.4 }));
    expect(mood).toEqual([
      { dimension: "energy", share: 0.9, level: "high" },
      { dimension: "valence", share: 0.15, level: "low" },
      { dimension: "danceability", share: 0.55, level: "medium" },
      { dimension: "tempo", share: (128 - 60) / 120, level: "high", bpm: 128 },
    ]);
  });

  it("puts the level boundaries where they are said to be", () => {
    const level = (energy: number) => moodOf(features({ energy }))[0]?.level;
    expect([level(0.39), level(0.4), level(0.69), level(0.7)]).toEqual(["low", "medium", "medium", "high"]);
    const tempo = (bpm: number) => moodOf(features({ tempo: bpm }))[0]?.level;
    expect([tempo(89), tempo(90), tempo(119), tempo(120)]).toEqual(["low", "medium", "medium", "high"]);
  });

  it("leaves out what the catalog does not know, and keeps odd values in range", () => {
    expect(moodOf(features({}))).toEqual([]);
    expect(moodOf(null)).toEqual([]);
    const odd = moodOf(features({ energy: 1.7, tempo: 300, danceability: Number.NaN }));
    expect(odd.map((r) => [r.dimension, r.share])).toEqual([
      ["energy", 1],
      ["tempo", 1],
    ]);
    expect(moodOf(features({ tempo: 0 }))).toEqual([]);
  });

  it("shows each dimension with a word and a visual, not numbers alone", () => {
    render(<MoodGlance features={features({ energy: 0.2, valence: 0.8, tempo: 72 })} />);
    const mood = screen.getByRole("list", { name: "Mood" });
    const items = within(mood).getAllByRole("listitem");
    expect(items.map((item) => item.textContent)).toEqual(["Energycalm", "Moodbright", "Temposlow · 72 BPM"]);
    const energyPips = items[0]!.querySelectorAll("rect.pip-on");
    const valencePips = items[1]!.querySelectorAll("rect.pip-on");
    expect(energyPips).toHaveLength(1);
    expect(valencePips).toHaveLength(4);
    expect(items[0]!.querySelector("svg")!.getAttribute("aria-hidden")).toBe("true");
  });

  it("shows nothing for a song without features", () => {
    const { container } = render(<MoodGlance features={features({})} />);
    expect(container.innerHTML).toBe("");
  });
});
