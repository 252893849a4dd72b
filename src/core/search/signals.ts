/**
 * The signals a prompt's songs are ranked by, gathered in one place: the songs of the nearest
 * passages, the full text of the prompt's words and of words related to them, and two that
 * score again the songs those found (the whole-lyrics similarity, the fit to a mood).
 */
import type { SongFilter } from "../catalog/song-filter.js";
import type { SongStore } from "../catalog/store.js";
import type { Thesaurus, VectorIndex } from "../ports.js";
import { dot } from "../vectors.js";
import type { CatalogMemory } from "./catalog-memory.js";
import { groupBySong, rescored, songsFound, type Candidate, type Signal, type SignalName } from "./fusion.js";
import { moodFit, moodOf, type MoodTarget } from "./mood.js";
import type { RankingTuning } from "./tuning.js";
import type { Ranking } from "./types.js";

/** What the signals ask of the passages' vector index. */
export type PassageIndex = Pick<VectorIndex, "search">;

export interface SearchSignalsDeps {
  store: Pick<SongStore, "searchLexical">;
  index: PassageIndex;
  memory: CatalogMemory;
  tuning: RankingTuning;
  ranking: Ranking;
  /** Related words for the full-text signal (tuning.relatedWeight); optional. */
  thesaurus?: Thesaurus | undefined;
}

/** What one ask gathers signals for. */
export interface SignalQuery {
  prompt: string;
  /** How many songs each full-text signal asks for. */
  depth: number;
  /** Applied while candidates are gathered, so a filter never empties an answer the catalog can fill. */
  filter: SongFilter | undefined;
  /** Whether the prompt is in another language than the model reads (see prompt-reading.ts). */
  otherLanguage: boolean;
}

/** What the prompt's words found in the full text: gathered while its vector is computed. */
export interface WordSignals {
  lexical: Candidate[];
  related: Candidate[];
  /** Songs holding other forms of the words (their stems, as beginnings of words). */
  stemmed: Candidate[];
  /** The words each signal searched: the prompt's, their stems, the related ones. */
  searched: { terms: readonly string[]; stems: readonly string[]; related: readonly string[] };
}

/** The prompt's words for the full-text signals. */
export interface PromptWords {
  terms: readonly string[];
  stems(): Promise<string[]>;
}

/** The related words of the terms, without the terms themselves. */
async function relatedWords(thesaurus: Thesaurus, terms: readonly string[]): Promise<string[]> {
  const own = new Set(terms);
  const related = await Promise.all(terms.map((term) => thesaurus.related(term)));
  return [...new Set(related.flat())].filter((word) => !own.has(word));
}

export class SearchSignals {
  constructor(private readonly deps: SearchSignalsDeps) {}

  /** The full-text signals, those of the rankings that use them; none for the others. */
  async ofWords(words: PromptWords, query: SignalQuery): Promise<WordSignals> {
    const { store, tuning, ranking, thesaurus, memory } = this.deps;
    const { terms } = words;
    const lexical =
      ranking === "hybrid" || ranking === "lexical"
        ? await store.searchLexical(terms, query.depth, query.filter)
        : [];
    // Words related to the prompt's English words ("mother" → "mama"), searched on their own
    // so that their weight is theirs: a synonym is weaker evidence than the word itself.
    const byFit = tuning.fusion === "fit";
    const relatedTerms =
      ranking === "hybrid" && tuning.relatedWeight > 0 && thesaurus && !query.otherLanguage
        ? await relatedWords(thesaurus, terms)
        : [];
    const related =
      relatedTerms.length > 0 ? await store.searchLexical(relatedTerms, query.depth, query.filter) : [];
    const stems = ranking === "hybrid" && (tuning.stemmedWeight > 0 || byFit) ? await words.stems() : [];
    const stemmed =
      stems.length > 0 ? await store.searchLexical(stems, query.depth, query.filter, { prefix: true }) : [];
    // Their whole-lyrics vectors are needed whatever the prompt's vector turns out to be.
    if (ranking === "hybrid" && tuning.songWeight > 0) {
      await memory.songVectors(lexical.slice(0, tuning.fusionDepth).map((c) => c.songId));
    }
    return { lexical, related, stemmed, searched: { terms, stems, related: relatedTerms } };
  }

  /** The songs of the `limit` passages nearest the vector, each scored by its best passages. */
  async passages(vector: Float32Array, limit: number, filter?: SongFilter): Promise<Candidate[]> {
    const hits = await this.deps.index.search(vector, limit, filter ? { filter } : undefined);
    return groupBySong(hits, this.deps.tuning.secondPassageWeight);
  }

  /** The songs of the passages the hybrid ranking asks of the index. */
  nearest(vector: Float32Array, query: SignalQuery): Promise<Candidate[]> {
    return this.passages(vector, this.deps.tuning.passageCandidates, query.filter);
  }

  /** Every signal of the hybrid ranking, with its weight; `nearest` when already asked for. */
  async all(
    vector: Float32Array,
    words: WordSignals,
    query: SignalQuery,
    nearest: Promise<Candidate[]> = this.nearest(vector, query),
  ): Promise<Signal[]> {
    const { tuning } = this.deps;
    const lexicalWeight = query.otherLanguage ? tuning.otherLanguageLexicalWeight : tuning.lexicalWeight;
    const found: Signal[] = [
      { name: "passages", candidates: await nearest, weight: 1 },
      { name: "lexical", candidates: words.lexical, weight: lexicalWeight },
      { name: "related", candidates: words.related, weight: tuning.relatedWeight },
      { name: "stemmed", candidates: words.stemmed, weight: tuning.stemmedWeight },
    ];
    const signals = [...found];
    if (tuning.songWeight > 0) signals.push(await this.wholeSong(vector, found));
    const mood = tuning.moodWeight > 0 ? moodOf(query.prompt) : [];
    if (mood.length > 0) signals.push(await this.mood(mood, found));
    return signals;
  }

  /** The whole-lyrics similarity of the songs the other signals found. */
  private wholeSong(vector: Float32Array, found: Signal[]): Promise<Signal> {
    return this.rescore("wholeSong", found, this.deps.tuning.songWeight, async (ids) => {
      const vectors = await this.deps.memory.songVectors(ids);
      return (songId) => {
        const v = vectors.get(songId);
        return v ? dot(vector, v) : undefined;
      };
    });
  }

  /** How well the sound of the songs the other signals found fits the mood the prompt names. */
  private mood(targets: MoodTarget[], found: Signal[]): Promise<Signal> {
    return this.rescore("mood", found, this.deps.tuning.moodWeight, async (ids) => {
      const songs = await this.deps.memory.songs(ids);
      return (songId) => {
        const song = songs.get(songId);
        return song ? moodFit(song.features, targets) : undefined;
      };
    });
  }

  private async rescore(
    name: SignalName,
    found: Signal[],
    weight: number,
    scorer: (ids: string[]) => Promise<(songId: string) => number | undefined>,
  ): Promise<Signal> {
    const ids = songsFound(found, this.deps.tuning.fusionDepth);
    return rescored(name, ids, await scorer(ids), weight);
  }
}
