/**
 * The contract of the Cache port: what the in-process LRU, Memcached and Redis must all do.
 *
 * `open` must give a cache that sees no key of any other `open` (a fresh key prefix on a shared
 * server), so that the keys below can be exactly the awkward shapes they test.
 */
import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Cache } from "../../src/core/ports.js";

const waitFor = async (condition: () => Promise<boolean>, timeoutMs = 5000) => {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const DAY = 24 * 60 * 60;

/** Keys that a remote cache cannot take as they are, or that differ from each other only slightly. */
const awkwardKeys = [
  "",
  " ",
  "a b",
  "a_b",
  "a\u00a0b",
  "a\tb",
  "a\nb",
  "a\r\nb",
  "\u0000",
  "\u0000\u0001\u007f",
  "ключ",
  "鍵",
  "🔑 key",
  "é",
  "e\u0301",
  "#",
  `#${"A".repeat(43)}`,
  "x".repeat(250),
  "x".repeat(251),
  `${"x".repeat(1000)}1`,
  `${"x".repeat(1000)}2`,
  `${"é".repeat(200)}`,
  `${"é".repeat(200)}!`,
];

const unicodeValues = [
  "",
  "välue ✓",
  "日本語のテキスト",
  "مرحبا بالعالم",
  "emoji 🎵🎶 and a flag 🇦🇷",
  "e\u0301 and é",
  "\u0000 starts with NUL",
  "\u0000",
  JSON.stringify({ song: "Canción", lines: ["línea uno", "línea dos"] }),
];

/** Text that compresses well, as cached answers do: about `bytes` of lyric-like lines. */
function compressibleText(bytes: number): string {
  const words = ["love", "night", "ocean", "mother", "leaving", "home", "corazón", "lluvia", "fire", "road"];
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `${i} ${words[i % 10]} ${words[(i * 7) % 10]} ${words[(i * 3) % 10]} under the ${words[(i * 9) % 10]}`;
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join("\n");
}

const randomBase64 = (bytes: number) => randomBytes(bytes).toString("base64");

export function describeCacheContract(name: string, open: () => Promise<Cache>) {
  describe(`cache contract: ${name}`, () => {
    let cache: Cache;
    beforeEach(async () => {
      cache = await open();
    });
    afterEach(async () => cache.close());

    describe("values", () => {
      it("returns what was set, the latest value, and nothing for an unknown key", async () => {
        expect(await cache.get("a")).toBeUndefined();
        await cache.set("a", "first", 60);
        expect(await cache.get("a")).toBe("first");
        await cache.set("a", "second", 60);
        expect(await cache.get("a")).toBe("second");
      });

      it("returns unicode values exactly, the empty string and a leading NUL included", async () => {
        await Promise.all(unicodeValues.map((value, i) => cache.set(`v${i}`, value, 60)));
        for (const [i, value] of unicodeValues.entries()) expect(await cache.get(`v${i}`)).toBe(value);
      });

      it("forgets a value when deleted, and deleting an unknown key is fine", async () => {
        await cache.set("gone", "x", 60);
        await cache.delete("gone");
        expect(await cache.get("gone")).toBeUndefined();
        await cache.delete("never-set");
      });
    });

    describe("keys", () => {
      it("keeps every key apart: long, unicode, with spaces or control characters, or nearly equal", async () => {
        await Promise.all(awkwardKeys.map((key, i) => cache.set(key, `value ${i}`, 60)));
        for (const [i, key] of awkwardKeys.entries())
          expect(await cache.get(key), JSON.stringify(key)).toBe(`value ${i}`);
        await cache.delete(`${"x".repeat(1000)}1`);
        expect(await cache.get(`${"x".repeat(1000)}1`)).toBeUndefined();
        expect(await cache.get(`${"x".repeat(1000)}2`)).toBe(
          `value ${awkwardKeys.indexOf(`${"x".repeat(1000)}2`)}`,
        );
      });

      it("counts under the same awkward keys, each apart", async () => {
        for (const key of awkwardKeys) expect(await cache.increment(key, 60), JSON.stringify(key)).toBe(1);
        for (const key of awkwardKeys) expect(await cache.increment(key, 60), JSON.stringify(key)).toBe(2);
      });
    });

    describe("time to live", () => {
      it("forgets a value after its time to live", async () => {
        await cache.set("short", "x", 1);
        await cache.set("long", "y", 60);
        await waitFor(async () => (await cache.get("short")) === undefined);
        expect(await cache.get("long")).toBe("y");
      });

      it("stores nothing for a TTL of zero or less, and drops what the key held", async () => {
        await cache.set("zero", "x", 0);
        expect(await cache.get("zero")).toBeUndefined();
        await cache.set("held", "old", 60);
        await cache.set("held", "new", 0);
        expect(await cache.get("held")).toBeUndefined();
        await cache.set("held", "old", 60);
        await cache.set("held", "new", -5);
        expect(await cache.get("held")).toBeUndefined();
      });

      it("reads a TTL longer than 30 days as a duration, not as a date", async () => {
        await cache.set("months", "kept", 40 * DAY);
        expect(await cache.get("months")).toBe("kept");
        expect(await cache.increment("months-count", 40 * DAY)).toBe(1);
        expect(await cache.increment("months-count", 40 * DAY)).toBe(2);
        // Not left for 40 days on a shared server.
        await cache.delete("months");
        await cache.delete("months-count");
      });

      it("rejects a TTL that is not a finite number of seconds, with VALIDATION_FAILED", async () => {
        for (const ttl of [Number.NaN, Number.POSITIVE_INFINITY, "60" as unknown as number, 1e12]) {
          await expect(cache.set("bad", "x", ttl)).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
          await expect(cache.increment("bad", ttl)).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
        }
        await expect(cache.increment("bad", 0)).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
        expect(await cache.get("bad")).toBeUndefined();
      });
    });

    describe("counters", () => {
      it("counts atomically under 200 concurrent increments", async () => {
        const counts = await Promise.all(Array.from({ length: 200 }, () => cache.increment("hot", 60)));
        expect(counts.sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
        expect(await cache.increment("cold", 60)).toBe(1);
      });

      it("restarts the count after its window", async () => {
        expect(await cache.increment("window", 1)).toBe(1);
        expect(await cache.increment("window", 1)).toBe(2);
        await waitFor(async () => (await cache.increment("window", 1)) === 1);
      });

      it("starts the window at the first increment: later increments do not stretch it", async () => {
        // Counting every 250 ms with a 2 s window: a window that each increment renewed would
        // never end, so the count would never come back to 1.
        expect(await cache.increment("fixed", 2)).toBe(1);
        const until = Date.now() + 6000;
        const counts: number[] = [];
        while (counts.at(-1) !== 1 && Date.now() < until) {
          await sleep(250);
          counts.push(await cache.increment("fixed", 2));
        }
        expect(counts.at(-1)).toBe(1);
        expect(counts.length).toBeGreaterThan(1); // it did count up before the window ended
      });

      it("restarts the count when the key is deleted", async () => {
        await cache.increment("forgotten", 60);
        await cache.increment("forgotten", 60);
        await cache.delete("forgotten");
        expect(await cache.increment("forgotten", 60)).toBe(1);
      });
    });

    describe("large values", () => {
      it("keeps 2 MB of compressible text whole", async () => {
        const text = compressibleText(2 * 1024 * 1024);
        await cache.set("text", text, 60);
        expect(await cache.get("text")).toBe(text);
      });

      it("keeps 600 KB of incompressible base64 whole", async () => {
        const noise = randomBase64(450 * 1024);
        expect(noise.length).toBe(600 * 1024);
        await cache.set("noise", noise, 60);
        expect(await cache.get("noise")).toBe(noise);
      });

      it("keeps or drops a value above a server's item limit, never failing and never serving the older value", async () => {
        await cache.set("huge", "older", 60);
        const huge = randomBase64(3 * 1024 * 1024);
        await cache.set("huge", huge, 60);
        const read = await cache.get("huge");
        expect(read === huge || read === undefined).toBe(true);
      });
    });
  });
}
