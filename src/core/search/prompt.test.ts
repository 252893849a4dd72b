import { describe, expect, it } from "vitest";
import type { VersoError } from "../errors.js";
import { parsePrompt } from "./prompt.js";

describe("parsePrompt", () => {
  it.each([
    ["top 5 songs about leaving home", 5, "leaving home"],
    ["Top five songs to dedicate to my mother", 5, "dedicate to my mother"],
    ["the 10 best songs about rain", 10, "rain"],
    ["3 songs for a road trip", 3, "a road trip"],
    ["top 80 songs about rain", 50, "rain"],
    ["las 3 mejores canciones de amor", 3, "amor"],
  ])("%j asks for %i songs about %j", (prompt, k, text) => {
    expect(parsePrompt(prompt)).toMatchObject({ k, text });
  });

  it.each(["songs about the ocean", "5 seconds of summer", "top", "99 problems"])(
    "%j sets no count",
    (prompt) => {
      expect(parsePrompt(prompt).k).toBeUndefined();
    },
  );

  it("embeds what the songs should be about, without the words that only ask for songs", () => {
    expect(parsePrompt("songs about the ocean").text).toBe("the ocean");
    expect(parsePrompt("Christmas SONGS").text).toBe("Christmas");
    expect(parsePrompt("music for a rainy day").text).toBe("a rainy day");
    expect(parsePrompt("canciones para bailar toda la noche").text).toBe("bailar toda la noche");
    expect(parsePrompt("heartbreak after a breakup").text).toBe("heartbreak after a breakup");
    // A word that merely contains a request word stays, and a prompt of request words only is kept whole.
    expect(parsePrompt("songbirds singing at dawn").text).toBe("songbirds singing at dawn");
    expect(parsePrompt("songs").text).toBe("songs");
  });

  it("keeps every word for full-text matching but the ones that only ask for songs", () => {
    expect(parsePrompt("songs to dedicate to my mother").terms).toEqual(["to", "dedicate", "my", "mother"]);
    expect(parsePrompt("canciones de amor para dedicar").terms).toEqual(["de", "amor", "para", "dedicar"]);
    expect(parsePrompt("Christmas SONGS").terms).toEqual(["christmas"]);
    expect(parsePrompt("top 5 songs about 'leaving' home").terms).toEqual(["about", "leaving", "home"]);
  });

  it("refuses an empty or over-long prompt with a stable code", () => {
    const code = (prompt: string) => {
      try {
        parsePrompt(prompt);
        return "accepted";
      } catch (error) {
        return (error as VersoError).code;
      }
    };
    expect(code("   ")).toBe("PROMPT_EMPTY");
    expect(code("x".repeat(501))).toBe("PROMPT_TOO_LONG");
    expect(code("x".repeat(500))).toBe("accepted");
  });
});
