import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { AnswerCache, answerCacheKey, normalizePrompt, type AnswerStore } from "./answer-cache.js";
import type { AskResult, SongFilters } from "./types.js";

const settings = ["hybrid", { lexicalWeight: 1 }, [], false];
const key = (prompt: string, options: { k?: number; version?: number; filters?: SongFilters } = {}) =>
  answerCacheKey(settings, { prompt, filters: options.filters ?? {} }, options.k ?? 10, options.version ?? 7);

describe("the answer cache key", () => {
  it("reads the prompt trimmed, in lower case, with runs of white space as one", () => {
    expect(normalizePrompt("  Songs\tabout   the\nRAIN ")).toBe("songs about the rain");
    expect(key("  Songs\tabout   the\nRAIN ")).toBe(key("songs about the rain"));
    expect(key("songs about the rain")).not.toBe(key("songs about the rains"));
  });

  it("names the catalog version, so a catalog change never serves a stale answer", () => {
    expect(key("rain", { version: 7 })).toMatch(/^ask:7:[\w-]+$/);
    expect(key("rain", { version: 8 })).toMatch(/^ask:8:/);
    expect(key("rain", { version: 7 }).slice("ask:7:".length)).toBe(
      key("rain", { version: 8 }).slice("ask:8:".length),
    );
  });

  it("tells apart how many songs and which settings", () => {
    expect(key("rain", { k: 5 })).not.toBe(key("rain", { k: 10 }));
    const other = answerCacheKey(["lexical", { lexicalWeight: 1 }, [], false], { prompt: "rain" }, 10, 7);
    expect(other).not.toBe(key("rain"));
  });

  it("tells filters apart, and reads them normalized", () => {
    expect(key("rain", { filters: { language: "es" } })).not.toBe(key("rain"));
    expect(key("rain", { filters: { language: "es" } })).not.toBe(
      key("rain", { filters: { language: "en" } }),
    );
    expect(key("rain", { filters: { language: " ES " } })).toBe(key("rain", { filters: { language: "es" } }));
    // No filter, an empty one and one of empty ranges all restrict nothing.
    expect(answerCacheKey(settings, { prompt: "rain" }, 10, 7)).toBe(key("rain"));
    expect(key("rain", { filters: { energy: {} } })).toBe(key("rain"));
    expect(key("rain", { filters: { energy: { min: 0.5 } } })).not.toBe(key("rain"));
  });
});

/** A cache in a map, with the TTLs it was given; one whose writes fail when asked. */
function memoryCache(options: { failWrites?: boolean } = {}) {
  const values = new Map<string, string>();
  const ttls: number[] = [];
  const cache: AnswerStore = {
    async get(key) {
      return values.get(key);
    },
    async set(key, value, ttlSeconds) {
      if (options.failWrites) throw new Error("the cache is away");
      ttls.push(ttlSeconds);
      values.set(key, value);
    },
  };
  return { cache, values, ttls };
}

const answer: AskResult = {
  prompt: "Rain",
  k: 10,
  results: [],
  fit: null,
  cached: false,
  catalogVersion: 7,
  reembedding: null,
};

describe("AnswerCache", () => {
  it("reports a miss, keeps the answer once it has gone out, then serves it as cached", async () => {
    const { cache, values, ttls } = memoryCache();
    const reported: string[] = [];
    const answers = new AnswerCache({ cache, ttlSeconds: 60, settings, onCache: (r) => reported.push(r) });
    const at = answers.key({ prompt: "Rain" }, 10, 7);

    expect(await answers.get(at, { prompt: "Rain" })).toBeUndefined();
    answers.set(at, answer);
    expect(values.size).toBe(0);
    await nextTurn();
    expect(ttls).toEqual([60]);

    expect(await answers.get(at, { prompt: "  rain" })).toEqual({
      ...answer,
      prompt: "  rain",
      cached: true,
    });
    expect(reported).toEqual(["miss", "hit"]);
  });

  it("answers without the cache when keeping an answer fails", async () => {
    const { cache } = memoryCache({ failWrites: true });
    const answers = new AnswerCache({ cache, ttlSeconds: 60, settings });
    const at = answers.key({ prompt: "Rain" }, 10, 7);
    answers.set(at, answer);
    await nextTurn();
    expect(await answers.get(at, { prompt: "Rain" })).toBeUndefined();
  });
});
