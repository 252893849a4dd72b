import { describe, expect, it } from "vitest";
import { emptyFeatures, type Song } from "../catalog/song.js";
import type { LexicalHit } from "../catalog/store.js";
import type { Thesaurus, VectorHit } from "../ports.js";
import { CatalogMemory } from "./catalog-memory.js";
import { SearchSignals, type SearchSignalsDeps, type SignalQuery } from "./signals.js";
import { defaultTuning, type RankingTuning } from "./tuning.js";

const song = (id: string, valence: number): Song => ({
  id,
  title: id,
  artists: ["someone"],
  album: null,
  genre: null,
  language: null,
  releaseDate: null,
  features: { ...emptyFeatures(), valence },
});

const songs = new Map([song("happy", 0.9), song("gloomy", 0.1), song("plain", 0.5)].map((s) => [s.id, s]));
const vectors = new Map([
  ["happy", Float32Array.from([1, 0])],
  ["gloomy", Float32Array.from([0, 1])],
]);

/** Full text that finds "happy" by any word but "mama", and "plain" by "mama"; with what it was asked. */
function signalsWith(tuning: Partial<RankingTuning>, options: { thesaurus?: Thesaurus } = {}) {
  const searched: string[][] = [];
  const readVectors: string[][] = [];
  const hits: VectorHit[] = [
    { id: 1, songId: "gloomy", score: 0.8 },
    { id: 2, songId: "happy", score: 0.6 },
  ];
  const deps: SearchSignalsDeps = {
    store: {
      async searchLexical(terms, _limit, _filter, options): Promise<LexicalHit[]> {
        searched.push(options?.prefix ? terms.map((t) => `${t}*`) : [...terms]);
        return terms.includes("mama") ? [{ songId: "plain", score: 2 }] : [{ songId: "happy", score: 3 }];
      },
    },
    index: { search: async () => hits },
    memory: new CatalogMemory(
      {
        getSongs: async (ids) => new Map(ids.map((id) => [id, songs.get(id)!])),
        async songVectors(ids) {
          readVectors.push([...ids]);
          return new Map(ids.flatMap((id) => (vectors.has(id) ? [[id, vectors.get(id)!] as const] : [])));
        },
        passagesOfSongs: async () => [],
      },
      "model-x",
    ),
    tuning: { ...defaultTuning, ...tuning },
    ranking: "hybrid",
    thesaurus: options.thesaurus,
  };
  return { signals: new SearchSignals(deps), searched, readVectors };
}

const query = (prompt: string, otherLanguage = false): SignalQuery => ({
  prompt,
  depth: 30,
  filter: undefined,
  otherLanguage,
});
const searched = { terms: [], stems: [], related: [] };
const words = (terms: string[]) => ({ terms, stems: async () => terms.map((t) => t.slice(0, 4)) });
const thesaurus: Thesaurus = {
  related: async (word) => (word === "mother" ? ["mama", "mom", "mother"] : []),
};

describe("SearchSignals.ofWords", () => {
  it("searches the words related to the prompt's apart from its own, and reads ahead the found songs' vectors", async () => {
    const { signals, searched, readVectors } = signalsWith({ relatedWeight: 0.4 }, { thesaurus });
    const found = await signals.ofWords(words(["mother"]), query("mother"));
    expect(searched).toEqual([["mother"], ["mama", "mom"]]);
    expect(found).toEqual({
      lexical: [{ songId: "happy", score: 3 }],
      related: [{ songId: "plain", score: 2 }],
      stemmed: [],
      searched: { terms: ["mother"], stems: [], related: ["mama", "mom"] },
    });
    expect(readVectors).toEqual([["happy"]]);
  });

  it("searches no related words without their weight, a thesaurus, or for a prompt in another language", async () => {
    for (const { tuning, withThesaurus, otherLanguage } of [
      { tuning: { relatedWeight: 0 }, withThesaurus: true, otherLanguage: false },
      { tuning: { relatedWeight: 0.4 }, withThesaurus: false, otherLanguage: false },
      { tuning: { relatedWeight: 0.4 }, withThesaurus: true, otherLanguage: true },
    ]) {
      const { signals, searched } = signalsWith(tuning, withThesaurus ? { thesaurus } : {});
      expect((await signals.ofWords(words(["mother"]), query("madre", otherLanguage))).related).toEqual([]);
      expect(searched).toEqual([["mother"]]);
    }
  });
});

describe("SearchSignals.ofWords, stems", () => {
  it("searches the stems as beginnings of words when they weigh, or when a fit model ranks", async () => {
    for (const tuning of [{ stemmedWeight: 0.5 }, { fusion: "fit" as const }]) {
      const { signals, searched } = signalsWith(tuning);
      const found = await signals.ofWords(words(["dancing"]), query("dancing"));
      expect(searched).toEqual([["dancing"], ["danc*"]]);
      expect(found.stemmed).toEqual([{ songId: "happy", score: 3 }]);
    }
    const { signals, searched } = signalsWith({});
    expect((await signals.ofWords(words(["dancing"]), query("dancing"))).stemmed).toEqual([]);
    expect(searched).toEqual([["dancing"]]);
  });
});

describe("SearchSignals.all", () => {
  it("weighs the passages 1, the words by the prompt's language, and scores the found songs' whole lyrics again", async () => {
    const tuning = { lexicalWeight: 1.5, otherLanguageLexicalWeight: 8, relatedWeight: 0.4, songWeight: 0.6 };
    const { signals } = signalsWith(tuning);
    const words = { lexical: [{ songId: "happy", score: 3 }], related: [], stemmed: [], searched };
    const all = await signals.all(Float32Array.from([1, 0]), words, query("rain"));
    expect(all.map((s) => [s.name, s.weight])).toEqual([
      ["passages", 1],
      ["lexical", 1.5],
      ["related", 0.4],
      ["stemmed", 0],
      ["wholeSong", 0.6],
    ]);
    expect(all[0]!.candidates.map((c) => [c.songId, c.passageId])).toEqual([
      ["gloomy", 1],
      ["happy", 2],
    ]);
    expect(all[4]!.candidates).toEqual([
      { songId: "happy", score: 1 },
      { songId: "gloomy", score: 0 },
    ]);
    const spanish = await signals.all(Float32Array.from([1, 0]), words, query("lluvia", true));
    expect(spanish[1]!.weight).toBe(8);
  });

  it("adds the mood's fit when it weighs and the prompt names one, and leaves out the whole lyrics of weight 0", async () => {
    const { signals } = signalsWith({ songWeight: 0, moodWeight: 0.25 });
    const words = { lexical: [{ songId: "plain", score: 1 }], related: [], stemmed: [], searched };
    const sad = await signals.all(Float32Array.from([1, 0]), words, query("sad songs to cry to"));
    expect(sad.map((s) => s.name)).toEqual(["passages", "lexical", "related", "stemmed", "mood"]);
    expect(sad[4]!.candidates.map((c) => c.songId)).toEqual(["gloomy", "plain", "happy"]);
    const calm = await signals.all(Float32Array.from([1, 0]), words, query("songs about rain"));
    expect(calm.map((s) => s.name)).toEqual(["passages", "lexical", "related", "stemmed"]);
  });
});
