import { describe, expect, it } from "vitest";
import { formatEta, secondsLeft } from "./eta.js";

describe("formatEta", () => {
  it("never shows 60 seconds in a minute nor 60 minutes in an hour", () => {
    expect(formatEta(119.6)).toBe("2m00s");
    expect(formatEta(59.5)).toBe("1m00s");
    expect(formatEta(3599.7)).toBe("1h00m");
    expect(formatEta(7199)).toBe("2h00m");
    for (let tenths = 0; tenths < 80_000; tenths += 7) {
      const shown = formatEta(tenths / 10);
      const [, , second] = /^(\d+)m(\d\d)s$/.exec(shown) ?? [];
      const [, , minute] = /^(\d+)h(\d\d)m$/.exec(shown) ?? [];
      expect(Number(second ?? minute ?? 0), shown).toBeLessThan(60);
      if (tenths < 595) expect(shown).toMatch(/^\d{1,2}s$/);
    }
  });

  it("reads as seconds, minutes and seconds, or hours and minutes", () => {
    expect(formatEta(0)).toBe("0s");
    expect(formatEta(42.4)).toBe("42s");
    expect(formatEta(65)).toBe("1m05s");
    expect(formatEta(3 * 3600 + 4 * 60 + 10)).toBe("3h04m");
  });

  it("says nothing is known rather than NaN or Infinity", () => {
    for (const value of [null, Number.NaN, Number.POSITIVE_INFINITY, -5]) expect(formatEta(value)).toBe("–");
  });
});

describe("secondsLeft", () => {
  it("goes by the pace of the whole run so far", () => {
    expect(secondsLeft(25, 100, 10_000)).toBe(30);
    expect(secondsLeft(100, 100, 10_000)).toBe(0);
    expect(secondsLeft(120, 100, 10_000)).toBe(0);
  });

  it("knows nothing before anything is done or any time has passed", () => {
    expect(secondsLeft(0, 100, 10_000)).toBeNull();
    expect(secondsLeft(10, 100, 0)).toBeNull();
    expect(secondsLeft(10, Number.NaN, 1000)).toBeNull();
    expect(formatEta(secondsLeft(0, 0, 0))).toBe("–");
  });
});
