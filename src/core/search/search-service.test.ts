/**
 * The search service's use cases over in-memory stand-ins of its ports: a catalog of five songs,
 * an embedder that knows a few words, a cache in a map. No model, no database.
 */
import { setImmediate as nextTurn, setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
// The exact adapter is a real, dependency-free index: more faithful here than a hand-written fake.
// eslint-disable-next-line no-restricted-imports
import { createExactIndex } from "../../adapters/vectors/exact.js";
import { emptyFeatures, type Song, type SongWithLyrics } from "../catalog/song.js";
import { matchesSongFilter, songAttributes } from "../catalog/song-filter.js";
import type { PassageRecord, SongStore } from "../catalog/store.js";
import { isVersoError } from "../errors.js";
import type { Embedder, EmbeddingModel, VectorIndex, VectorSearchOptions } from "../ports.js";
import type { AnswerStore } from "./answer-cache.js";
import type { FitModel } from "./fit-model.js";
import { SearchService, type AskTimings, type SearchServiceDeps } from "./search-service.js";

const model: EmbeddingModel = { name: "test-model", dimension: 3 };

function unit(values: number[]): Float32Array {
  const norm = Math.hypot(...values);
  return Float32Array.from(values, (v) => v / norm);
}

const song = (id: string, title: string, language: string, energy: number): Song => ({
  id,
  title,
  artists: ["The Clouds"],
  album: null,
  genre: null,
  language,
  releaseDate: null,
  features: { ...emptyFeatures(), energy },
});

/** Each song's passages, with the vectors the embedder below would give them. */
const catalog: { song: Song; passages: [string, number[]][] }[] = [
  {
    song: song("rain", "Rain", "en", 0.2),
    passages: [
      ["I stay inside all day", [0, 0.6, 0.8]],
      ["the rain falls on the roof", [1, 0, 0]],
    ],
  },
  {
    song: song("rain-live", "Rain [Live]", "en", 0.3),
    passages: [["the rain falls on the roof", [1, 0, 0]]],
  },
  { song: song("lluvia", "Lluvia", "es", 0.4), passages: [["la lluvia cae sobre el techo", [0.9, 0.44, 0]]] },
  {
    song: song("sun", "Sun", "en", 0.8),
    passages: [
      ["the sun is out today", [0, 1, 0]],
      ["we dance in the sun", [0, 0.6, 0.8]],
    ],
  },
  { song: song("party", "Party", "en", 0.9), passages: [["we dance all night at the party", [0, 0, 1]]] },
];

const passages = catalog.flatMap(({ song, passages }, s) =>
  passages.map(([text, vector], ordinal) => ({
    id: s * 10 + ordinal + 1,
    songId: song.id,
    ordinal,
    text,
    vector: unit(vector),
  })),
);
const songs = new Map(catalog.map(({ song }) => [song.id, song]));
const wordsOf = (text: string) => text.toLowerCase().match(/\p{L}+/gu) ?? [];

function songVector(songId: string): Float32Array | undefined {
  const own = passages.filter((p) => p.songId === songId);
  if (own.length === 0) return undefined;
  return unit([0, 1, 2].map((d) => own.reduce((sum, p) => sum + p.vector[d]!, 0)));
}

/** The catalog above as a song store, with the full-text searches asked of it. */
function memorySongStore() {
  const lexicalSearches: { terms: string[]; filter: unknown }[] = [];
  /** Songs the model has embedded, of all songs: fewer while the catalog is re-embedded. */
  const embedding = { done: catalog.length, total: catalog.length, reads: 0 };
  const pick = <V>(ids: readonly string[], value: (id: string) => V | undefined) =>
    new Map(ids.flatMap((id) => (value(id) === undefined ? [] : [[id, value(id)!] as const])));
  const store: SongStore = {
    fullTextIndex: "in-memory",
    async getSong(id): Promise<SongWithLyrics | null> {
      const found = songs.get(id);
      return found
        ? {
            ...found,
            lyrics: passages
              .filter((p) => p.songId === id)
              .map((p) => p.text)
              .join("\n"),
          }
        : null;
    },
    getSongs: async (ids) => pick(ids, (id) => songs.get(id)),
    getPassages: async (ids) =>
      new Map<number, PassageRecord>(
        passages.filter((p) => ids.includes(p.id)).map(({ vector: _vector, ...p }) => [p.id, p]),
      ),
    passagesOfSongs: async (ids) => passages.filter((p) => ids.includes(p.songId)),
    songVectors: async (ids) => pick(ids, songVector),
    async *streamSongVectors() {
      yield catalog.map(({ song }) => ({ songId: song.id, vector: songVector(song.id)! }));
    },
    async searchLexical(terms, limit, filter) {
      lexicalSearches.push({ terms: [...terms], filter });
      return catalog
        .filter(({ song }) => matchesSongFilter(songAttributes(song), filter))
        .map(({ song, passages }) => {
          const words = new Set(wordsOf([song.title, ...passages.map(([text]) => text)].join(" ")));
          return { songId: song.id, score: terms.filter((t) => words.has(t)).length };
        })
        .filter((hit) => hit.score > 0)
        .sort((a, b) => b.score - a.score)
        .slice(0, limit);
    },
    async embeddedSongs(name) {
      embedding.reads++;
      return name === model.name ? { done: embedding.done, total: embedding.total } : { done: 0, total: 5 };
    },
  };
  return { store, lexicalSearches, embedding };
}

/** Knows rain (lluvia), sun and dance (party): one dimension each. */
function wordEmbedder() {
  const embedded: { texts: string[]; priority: string | undefined }[] = [];
  const meaning: Record<string, number[]> = {
    rain: [1, 0, 0],
    lluvia: [1, 0, 0],
    // A word no song holds, whose vector is rain's.
    zxrain: [1, 0, 0],
    sun: [0, 1, 0],
    dance: [0, 0, 1],
    party: [0, 0, 1],
  };
  const embedder: Embedder = {
    model,
    parallelism: 1,
    async embed(texts, options) {
      embedded.push({ texts: [...texts], priority: options?.priority });
      return texts.map((text) =>
        unit(
          wordsOf(text).reduce((sum, w) => sum.map((v, d) => v + (meaning[w]?.[d] ?? 0)), [0.01, 0.01, 0.01]),
        ),
      );
    },
    ready: async () => {},
    close: async () => {},
  };
  return { embedder, embedded };
}

async function passageIndex() {
  const index = createExactIndex();
  await index.reset(model);
  await index.upsert(
    passages.map((p) => ({ id: p.id, vector: p.vector, song: songAttributes(songs.get(p.songId)!) })),
  );
  const searches: (VectorSearchOptions | undefined)[] = [];
  const recording: Pick<VectorIndex, "search"> = {
    search(vector, k, options) {
      searches.push(options);
      return index.search(vector, k, options);
    },
  };
  return { index: recording, searches };
}

async function searchService(deps: Partial<SearchServiceDeps> = {}) {
  const { store, lexicalSearches, embedding } = memorySongStore();
  const { embedder, embedded } = wordEmbedder();
  const { index, searches } = await passageIndex();
  const kept = new Map<string, string>();
  const cache: AnswerStore = {
    get: async (key) => kept.get(key),
    set: async (key, value) => void kept.set(key, value),
  };
  const world = { catalogVersion: 1, cacheReports: [] as string[], timings: [] as AskTimings[] };
  const search = new SearchService({
    store,
    index,
    embedder,
    cache,
    cacheTtlSeconds: 60,
    catalogVersion: async () => world.catalogVersion,
    onCache: (result) => world.cacheReports.push(result),
    onTimings: (t) => world.timings.push(t),
    ...deps,
  });
  return { search, world, embedded, lexicalSearches, indexSearches: searches, embedding };
}

const ids = (answer: { results: { song: Song }[] }) => answer.results.map((r) => r.song.id);

describe("SearchService.ask", () => {
  it("answers with the songs nearest in meaning, once each, with the passage that found them", async () => {
    const { search, embedded, world } = await searchService();
    const answer = await search.ask({ prompt: "songs about rain", k: 3 });
    expect(answer).toMatchObject({ prompt: "songs about rain", k: 3, cached: false, catalogVersion: 1 });
    // The live recording is the same song: listed once, where it ranked best.
    expect(ids(answer)).toEqual(["rain-live", "lluvia", "sun"]);
    expect(answer.results[0]!.passage).toEqual({ text: "the rain falls on the roof", ordinal: 0 });
    expect(answer.results[0]!.score).toBeGreaterThan(answer.results[1]!.score);
    expect(embedded).toEqual([{ texts: ["rain"], priority: "interactive" }]);
    expect(world.timings).toHaveLength(1);
    expect(world.timings[0]!.totalMs).toBeGreaterThanOrEqual(world.timings[0]!.embedMs);
  });

  it("asks the index for the nearest passages while the full text is still being searched", async () => {
    const { store } = memorySongStore();
    const { index, searches } = await passageIndex();
    let indexAskedMeanwhile = false;
    const slowFullText: SongStore = {
      ...store,
      async searchLexical(...args) {
        // A full-text query at size takes longer than the prompt's embedding: it waits here
        // until the index has been asked (a second at most).
        for (let waited = 0; searches.length === 0 && waited < 1000; waited += 10) await sleep(10);
        indexAskedMeanwhile ||= searches.length > 0;
        return store.searchLexical(...args);
      },
    };
    const { search } = await searchService({ store: slowFullText, index });
    const answer = await search.ask({ prompt: "songs about rain", k: 3 });
    expect(indexAskedMeanwhile).toBe(true);
    expect(ids(answer)).toEqual(["rain-live", "lluvia", "sun"]);
  });

  it("applies a filter in both the vector index and the full text", async () => {
    const { search, indexSearches, lexicalSearches } = await searchService();
    const answer = await search.ask({ prompt: "songs about rain", filters: { language: " ES " } });
    expect(ids(answer)).toEqual(["lluvia"]);
    expect(indexSearches.map((o) => o?.filter)).toEqual([{ language: "es" }]);
    expect(lexicalSearches).toEqual([{ terms: ["rain"], filter: { language: "es" } }]);
  });

  it("answers k songs at the most: the request's k, else the prompt's top N, else ten", async () => {
    const { search } = await searchService();
    expect((await search.ask({ prompt: "top 2 songs about rain" })).results).toHaveLength(2);
    expect((await search.ask({ prompt: "top 2 songs about rain", k: 1 })).results).toHaveLength(1);
    const all = await search.ask({ prompt: "songs about rain" });
    expect(all.k).toBe(10);
    expect(all.results).toHaveLength(4);
    for (const k of [0, 51, 2.5]) {
      await expect(search.ask({ prompt: "rain", k })).rejects.toMatchObject({ code: "VALIDATION_FAILED" });
    }
  });

  it("serves a prompt asked again from the cache, until the catalog moves", async () => {
    const { search, world, embedded } = await searchService();
    const first = await search.ask({ prompt: "songs about rain" });
    await nextTurn();
    const again = await search.ask({ prompt: "  Songs about RAIN" });
    expect(again).toEqual({ ...first, prompt: "  Songs about RAIN", cached: true });
    expect(embedded).toHaveLength(1);
    expect((await search.ask({ prompt: "songs about rain", k: 2 })).cached).toBe(false);
    world.catalogVersion = 2;
    const moved = await search.ask({ prompt: "songs about rain" });
    expect(moved).toMatchObject({ cached: false, catalogVersion: 2 });
    expect(world.cacheReports).toEqual(["miss", "hit", "miss", "miss"]);
  });

  it("says while the catalog is being re-embedded how many songs the answer covers, read once per version", async () => {
    const { search, world, embedding } = await searchService();
    expect((await search.ask({ prompt: "songs about rain" })).reembedding).toBeNull();
    Object.assign(embedding, { done: 2, total: 5 });
    world.catalogVersion = 2;
    const partial = { model: "test-model", done: 2, total: 5 };
    expect((await search.ask({ prompt: "songs about rain" })).reembedding).toEqual(partial);
    expect((await search.ask({ prompt: "the sun", k: 3 })).reembedding).toEqual(partial);
    expect((await search.ask({ prompt: "songs about rain" })).reembedding).toEqual(partial);
    expect(embedding.reads).toBe(2);
    Object.assign(embedding, { done: 5 });
    world.catalogVersion = 3;
    expect((await search.ask({ prompt: "songs about rain" })).reembedding).toBeNull();
  });

  it("ranks by the full text alone, showing each song's passage nearest the prompt", async () => {
    const { search, indexSearches } = await searchService({ ranking: "lexical" });
    const answer = await search.ask({ prompt: "dance sun" });
    expect(ids(answer)).toEqual(["sun", "party"]);
    expect(answer.results[0]!.passage.text).toBe("we dance in the sun");
    expect(indexSearches).toEqual([]);
  });

  it("ranks by one vector per song, which needs a song index", async () => {
    const without = (await searchService({ ranking: "songs" })).search;
    expect(await without.loadSongIndex()).toBe(0);
    const refused = await without.ask({ prompt: "sun" }).catch((error: unknown) => error);
    expect(isVersoError(refused) && refused.code).toBe("INTERNAL");

    const { search, lexicalSearches } = await searchService({
      ranking: "songs",
      songIndex: createExactIndex(),
    });
    expect(await search.loadSongIndex()).toBe(catalog.length);
    const answer = await search.ask({ prompt: "sun", k: 1 });
    expect(ids(answer)).toEqual(["sun"]);
    expect(answer.results[0]!.passage.text).toBe("the sun is out today");
    expect(lexicalSearches).toEqual([]);
  });
});

describe("SearchService.ask with a fit model", () => {
  /** Ranks by the nearest passage's similarity; calibrated so that a similarity of 0.9 is a sure fit. */
  const fitModel: FitModel = {
    ranking: { best: 1 },
    calibration: { intercept: -12, score: 13, prompt: {} },
    strong: 0.5,
    weak: 0.25,
  };
  const withFit = () => searchService({ tuning: { fusion: "fit", fitModel } });

  it("orders by the model, scores each song by it and says how well the answer fits", async () => {
    const { search } = await withFit();
    const answer = await search.ask({ prompt: "songs about rain", k: 3 });
    expect(answer.fit).toBe("strong");
    expect(ids(answer)[0]).toMatch(/^rain/);
    // sigmoid(-12 + 13 × 1): the nearest passage is the prompt's own vector.
    expect(answer.results[0]!.score).toBeCloseTo(1 / (1 + Math.exp(-1)), 3);
    expect(answer.results.map((r) => r.fit)).toEqual(
      answer.results.map((r) => (r.score >= 0.5 ? "strong" : r.score >= 0.25 ? "weak" : "none")),
    );
    const scores = answer.results.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it("says nothing fits a prompt whose nearest songs are far, or that has no word that carries meaning", async () => {
    const { search } = await withFit();
    const far = await search.ask({ prompt: "zzz qqq", k: 3 });
    expect(far.fit).toBe("none");
    // Near rain in the model's space, yet in no language and with no word the catalog holds.
    const gibberish = await search.ask({ prompt: "zxrain", k: 3 });
    expect(gibberish.results[0]!.score).toBeGreaterThan(0.5);
    expect(gibberish.fit).toBe("none");
    expect((await search.ask({ prompt: "rain", k: 3 })).fit).toBe("strong");
    for (const prompt of ["sobre", "para", "the of and", "🌊🌊🌊"]) {
      const answer = await search.ask({ prompt, k: 3 });
      expect(answer.fit, prompt).toBe("none");
      expect(answer.results.every((r) => r.fit === "none")).toBe(true);
    }
  });

  it("answers without a fit when the ranking has no fit model", async () => {
    const { search } = await searchService({ tuning: { fusion: "linear" } });
    const answer = await search.ask({ prompt: "songs about rain", k: 3 });
    expect(answer.fit).toBeNull();
    expect(answer.results.every((r) => r.fit === undefined)).toBe(true);
  });
});

describe("SearchService.similar", () => {
  it("finds the songs whose lyrics read like this one's, leaving it out", async () => {
    const { search } = await searchService();
    const similar = await search.similar("rain", 2);
    // Sun comes back to rain's theme in two passages; rain's copy has one.
    expect(similar.map((h) => h.song.id)).toEqual(["sun", "lluvia"]);
    await expect(search.similar("nothing", 2)).rejects.toMatchObject({ code: "SONG_NOT_FOUND" });
  });
});
