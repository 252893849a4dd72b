import { describe, expect, it } from "vitest";
import type { VersoError } from "../errors.js";
import { parsePrompt } from "./prompt.js";

describe("parsePrompt", () => {
  it.each([
    ["top 5 songs about leaving home", 5, "songs about leaving home"],
    ["Top five songs to dedicate to my mother", 5, "songs to dedicate to my mother"],
    ["the 10 best songs about rain", 10, "songs about rain"],
    ["3 songs for a road trip", 3, "songs for a road trip"],
    ["top 80 songs about rain", 50, "songs about rain"],
    ["las 3 mejores canciones de amor", 3, "canciones de amor"],
  ])("%j asks for %i songs about %j", (prompt, k, text) => {
    expect(parsePrompt(prompt)).toMatchObject({ k, text });
  });

  it.each(["songs about the ocean", "5 seconds of summer", "top", "99 problems"])(
    "%j sets no count",
    (prompt) => {
      expect(parsePrompt(prompt).k).toBeUndefined();
    },
  );

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
