import { describe, expect, it } from "vitest";
import { answerSearch, askBody, readAnswerQuery } from "./answer-query.js";

const read = (search: string) => readAnswerQuery(new URLSearchParams(search));

describe("an answer in the address", () => {
  it("reads the prompt, the filters and the number of songs", () => {
    expect(
      read("?q=songs+about+rain&lang=ES&genre=latin&energy=0.4..0.8&year=1990..&tempo=..120&k=20"),
    ).toEqual({
      prompt: "songs about rain",
      filters: {
        language: "es",
        genre: "latin",
        energy: { min: 0.4, max: 0.8 },
        year: { min: 1990 },
        tempo: { max: 120 },
      },
      k: 20,
    });
  });

  it("writes what it reads, so a link gives the same answer", () => {
    const search = "?q=songs+about+rain&lang=es&genre=latin&year=1990..&tempo=..120&energy=0.4..0.8&k=20";
    expect(answerSearch(read(search))).toBe(search);
    expect(answerSearch({ prompt: "", filters: {}, k: null })).toBe("");
  });

  it("leaves out what it cannot read instead of refusing the link", () => {
    expect(read("?q=x&energy=2..3&valence=0.9..0.1&tempo=fast&year=..&lang=english&k=500").filters).toEqual(
      {},
    );
    expect(read("?q=x&k=5").k).toBeNull();
    expect(read("?q=x&k=12.5").k).toBeNull();
  });

  it("asks with only what is set", () => {
    expect(askBody(read("?q=rain"))).toEqual({ prompt: "rain" });
    expect(askBody(read("?q=rain&valence=..0.3&k=30"))).toEqual({
      prompt: "rain",
      k: 30,
      filters: { valence: { max: 0.3 } },
    });
  });
});
