import { describe, expect, it } from "vitest";
import { cursorCodec, pageOf } from "./cursor.js";

const feed = cursorCodec("feed", ["integer"]);
const search = cursorCodec("prompt-search", ["number", "integer"]);
const people = cursorCodec("user-search", ["integer", "string"]);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("cursors", () => {
  it("round-trip their keys, floats included exactly", () => {
    expect(feed.decode(feed.encode([42]))).toEqual([42]);
    const score = -1.2345678901234567e-6;
    expect(search.decode(search.encode([score, 7]))).toEqual([score, 7]);
    expect(people.decode(people.encode([1, "zoë.o'hara"]))).toEqual([1, "zoë.o'hara"]);
  });

  it("are URL-safe", () => {
    expect(people.encode([1, "?&=/+ äöü"])).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    ["empty", ""],
    ["not base64url", "a+b/c="],
    ["base64 of garbage", "Zm9vYmFy"],
    ["JSON but not an array", b64({ feed: 1 })],
    ["another list's tag", search.encode([1, 2])],
    ["a missing part", b64(["feed"])],
    ["an extra part", b64(["feed", 1, 2])],
    ["a string for an integer", b64(["feed", "1"])],
    ["a fraction for an integer", b64(["feed", 1.5])],
    ["an unsafe integer", b64(["feed", 2 ** 60])],
    ["an integer no id column holds", b64(["feed", 2 ** 31])],
    ["null", b64(["feed", null])],
    ["too long", "a".repeat(600)],
  ])("refuses %s with INVALID_CURSOR", (_what, cursor) => {
    expect(() => feed.decode(cursor)).toThrow(
      expect.objectContaining({ code: "INVALID_CURSOR", kind: "invalid" }),
    );
  });

  it("refuses a non-finite number", () => {
    expect(() => search.decode(b64(["prompt-search", "Infinity", 1]))).toThrow(
      expect.objectContaining({ code: "INVALID_CURSOR" }),
    );
  });
});

describe("pages", () => {
  const present = (n: number) => ({ n });
  it("shows `limit` rows and points after the last one when one more was fetched", () => {
    const page = pageOf([5, 4, 3], 2, feed, (n) => [n], present);
    expect(page.items).toEqual([{ n: 5 }, { n: 4 }]);
    expect(feed.decode(page.nextCursor!)).toEqual([4]);
  });

  it("has no next cursor on the last page", () => {
    expect(pageOf([5, 4], 2, feed, (n) => [n], present).nextCursor).toBeNull();
    expect(pageOf([], 2, feed, (n) => [n], present)).toEqual({ items: [], nextCursor: null });
  });
});
