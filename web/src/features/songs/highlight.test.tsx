import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { highlight, locatePassage, promptTerms, stem } from "./highlight.js";
import { Highlighted } from "./Highlighted.js";

const marked = (text: string, prompt: string) =>
  highlight(text, promptTerms(prompt))
    .filter((segment) => segment.match)
    .map((segment) => segment.text);

describe("the prompt's words in a passage", () => {
  it("marks the meaningful words of the prompt, not the words that only ask for songs", () => {
    expect([...promptTerms("top 5 songs about leaving home")]).toEqual(["leav", "hom"]);
    expect(marked("The songs we sang about home before leaving", "songs about leaving home")).toEqual([
      "home",
      "leaving",
    ]);
  });

  it("finds other forms of a word, in English and Spanish", () => {
    expect(stem("leaving")).toBe(stem("leave"));
    expect(stem("mothers")).toBe(stem("mother"));
    expect(stem("corazones")).toBe(stem("corazón"));
    expect(stem("rainy")).toBe(stem("raining"));
    expect(stem("memories")).toBe(stem("memory"));
    expect(marked("Mothers who left, a mother who stayed", "for my mother")).toEqual(["Mothers", "mother"]);
    expect(marked("Mi corazón se quedó en el puerto", "canciones de corazones rotos")).toEqual(["corazón"]);
  });

  it("ignores case and accents, and keeps the passage's own spelling", () => {
    expect(marked("CANCIÓN de la MAÑANA", "la manana")).toEqual(["MAÑANA"]);
  });

  it("reads a passage's little words in its own language", () => {
    expect(marked("Oh, the sea, the endless sea", "songs about the sea")).toEqual(["sea", "sea"]);
    expect(marked("que mi vida sea la oración más sincera", "songs about the sea")).toEqual([]);
    expect(highlight("the sea", promptTerms("sea"), "es").filter((s) => s.match)).toEqual([]);
  });

  it("never marks a word inside another word", () => {
    expect(marked("the seaside and the sea", "sea")).toEqual(["sea"]);
    expect(marked("homeless", "home")).toEqual([]);
  });

  it("gives back the whole text, character for character", () => {
    const text = "Rain on the window,\nrain in my heart — it's raining again.";
    const segments = highlight(text, promptTerms("a rainy heart"));
    expect(segments.map((s) => s.text).join("")).toBe(text);
    expect(segments.filter((s) => s.match).map((s) => s.text)).toEqual(["Rain", "rain", "heart", "raining"]);
  });

  it("marks nothing when the prompt has no meaningful word", () => {
    expect(highlight("songs about it", promptTerms("songs about"))).toEqual([
      { text: "songs about it", match: false },
    ]);
  });

  it("renders the matches as <mark>", () => {
    render(
      <p data-testid="passage">
        <Highlighted text="I miss the ocean at night" terms={promptTerms("the ocean at night")} />
      </p>,
    );
    const marks = screen.getByTestId("passage").querySelectorAll("mark");
    expect([...marks].map((m) => m.textContent)).toEqual(["ocean", "night"]);
    expect(screen.getByTestId("passage").textContent).toBe("I miss the ocean at night");
  });
});

describe("the passage in the full lyrics", () => {
  const lyrics = "First verse line one\nline two\n\nChorus: we go home\n  we go home tonight\n\nLast verse";

  it("finds a passage that is a stanza of the lyrics", () => {
    const found = locatePassage(lyrics, "Chorus: we go home\n  we go home tonight");
    expect(found && lyrics.slice(found.start, found.end)).toBe("Chorus: we go home\n  we go home tonight");
  });

  it("finds a passage whose whitespace differs from the lyrics", () => {
    const found = locatePassage(lyrics, "Chorus: we go home we go home tonight");
    expect(found && lyrics.slice(found.start, found.end)).toBe("Chorus: we go home\n  we go home tonight");
  });

  it("says so when the passage is not in the lyrics", () => {
    expect(locatePassage(lyrics, "a line from another song")).toBeNull();
    expect(locatePassage(lyrics, "   ")).toBeNull();
  });
});
