/**
 * Answers a prompt with songs. The prompt is embedded once; the vector index returns the
 * nearest passages, grouped by song; a full-text signal over titles, artists and lyrics and the
 * similarity of each candidate's whole lyrics are fused with it; the best passage of each song
 * is its snippet. Answers are cached under a key that includes the catalog version, so a
 * catalog change never serves stale results.
 *
 * This class only orchestrates; each step is a unit of its own: prompt-reading.ts (the text
 * embedded, the words searched), signals.ts (what the songs are ranked by), fusion.ts (how the
 * signals become one order), one-song-one-result.ts, snippets.ts (the passage shown),
 * answer-cache.ts, catalog-memory.ts (songs and vectors kept per catalog version),
 * reembedding-progress.ts (whether an answer covers only part of a catalog being re-embedded)
 * and song-index.ts (the "songs" ranking).
 *
 * How each choice was made, with figures: docs/benchmarks.md (npm run eval).
 */
import type { ForegroundWork } from "../foreground-work.js";
import { normalizeSongFilter } from "../catalog/song-filter.js";
import type { SongStore } from "../catalog/store.js";
import { VersoError } from "../errors.js";
import type { Embedder, Thesaurus, Translator, VectorIndex } from "../ports.js";
import { AnswerCache, type AnswerStore } from "./answer-cache.js";
import { CatalogMemory } from "./catalog-memory.js";
import { fitCandidates, type FitCandidate } from "./fit-features.js";
import { fitOf, fitScore, type FitModel } from "./fit-model.js";
import { fuse, songsFound, type Candidate, type Signal } from "./fusion.js";
import { oneSongOneResult } from "./one-song-one-result.js";
import { parsePrompt, type ParsedPrompt } from "./prompt.js";
import { readPrompt } from "./prompt-reading.js";
import { ReembeddingProgress } from "./reembedding-progress.js";
import { SearchSignals, type PassageIndex, type SignalQuery, type WordSignals } from "./signals.js";
import { contentWords } from "./stop-words.js";
import { Snippets, type PassageWithVector } from "./snippets.js";
import { SongIndex } from "./song-index.js";
import { tuningForModel, type RankingTuning } from "./tuning.js";
import {
  DEFAULT_K,
  MAX_K,
  MIN_K,
  type AskRequest,
  type AskResult,
  type Ranking,
  type SongHit,
  type SongSearch,
} from "./types.js";

export type { Ranking } from "./types.js";
export { defaultTuning, type RankingTuning } from "./tuning.js";

export interface AskTimings {
  embedMs: number;
  /** The ranking once the prompt's vector and words are in (the index was asked as soon as the vector was). */
  indexMs: number;
  lexicalMs: number;
  totalMs: number;
}

export interface SearchServiceDeps {
  store: SongStore;
  /** The passages' vector index (the process's live index). */
  index: PassageIndex;
  embedder: Embedder;
  cache: AnswerStore;
  cacheTtlSeconds: number;
  catalogVersion(): Promise<number>;
  /** Default: hybrid. */
  ranking?: Ranking;
  /** Laid over the model's own tuning (tuning.ts). */
  tuning?: Partial<RankingTuning>;
  /** Related words for the full-text signal (tuning.relatedWeight); optional. */
  thesaurus?: Thesaurus | undefined;
  /** Translates prompts into the model's language (tuning.modelLanguage); optional. */
  translator?: Translator | undefined;
  /** One vector per song, for the "songs" ranking only (filled by `loadSongIndex`). */
  songIndex?: VectorIndex;
  /** Where the process counts the answers being made, so that background work waits for them. */
  foreground?: Pick<ForegroundWork, "during">;
  onTimings?(timings: AskTimings): void;
  onCache?(result: "hit" | "miss"): void;
}

const elapsed = (since: number) => performance.now() - since;

/** What an answer is ranked from: the prompt's vector, and what its words found meanwhile. */
interface Gathered {
  query: SignalQuery;
  words: WordSignals;
  /** Passages of the songs the full text found first, with their vectors. */
  passages: PassageWithVector[];
  vector: Float32Array;
  /**
   * The songs of the passages nearest the prompt: asked of the index as soon as the vector is
   * made, while the full text may still be searched (on the database's thread).
   */
  nearest: Promise<Candidate[]>;
  /** The words of the prompt (and of its translation) that carry meaning, searched in passages. */
  matchTerms: string[];
  /** How many of the prompt's own words carry meaning. */
  contentCount: number;
  /** The prompt's language, when it can be told. */
  language: string | undefined;
  timings: { t0: number; embedMs: number; lexicalMs: number };
}

export class SearchService implements SongSearch {
  readonly ranking: Ranking;
  private readonly tuning: RankingTuning;
  private readonly memory: CatalogMemory;
  private readonly signals: SearchSignals;
  private readonly snippets: Snippets;
  private readonly answers: AnswerCache;
  private readonly songIndex: SongIndex | undefined;
  private readonly reembedding: ReembeddingProgress;

  constructor(private readonly deps: SearchServiceDeps) {
    const { store, embedder } = deps;
    const model = embedder.model.name;
    this.ranking = deps.ranking ?? "hybrid";
    this.tuning = { ...tuningForModel(model, store.fullTextIndex), ...deps.tuning };
    this.memory = new CatalogMemory(store, model);
    this.signals = new SearchSignals({
      store,
      index: deps.index,
      memory: this.memory,
      tuning: this.tuning,
      ranking: this.ranking,
      thesaurus: deps.thesaurus,
    });
    this.snippets = new Snippets({
      getPassages: (ids) => store.getPassages(ids),
      passages: (songIds) => this.memory.passages(songIds),
    });
    this.answers = new AnswerCache({
      cache: deps.cache,
      ttlSeconds: deps.cacheTtlSeconds,
      settings: [this.ranking, this.tuning, deps.translator?.pairs ?? [], Boolean(deps.thesaurus)],
      onCache: (result) => deps.onCache?.(result),
    });
    this.songIndex = deps.songIndex ? new SongIndex(deps.songIndex) : undefined;
    this.reembedding = new ReembeddingProgress(store, model);
  }

  async ask(request: AskRequest): Promise<AskResult> {
    const { foreground } = this.deps;
    return foreground ? foreground.during(() => this.askNow(request)) : this.askNow(request);
  }

  private async askNow(request: AskRequest): Promise<AskResult> {
    const parsed = parsePrompt(request.prompt);
    const k = request.k ?? parsed.k ?? DEFAULT_K;
    if (!Number.isInteger(k) || k < MIN_K || k > MAX_K) {
      throw new VersoError("VALIDATION_FAILED", `k must be a whole number from ${MIN_K} to ${MAX_K}`);
    }
    const catalogVersion = await this.deps.catalogVersion();
    const key = this.answers.key(request, k, catalogVersion);
    const cached = await this.answers.get(key, request);
    if (cached) return cached;
    const answer = await this.answer(request, parsed, k, catalogVersion);
    this.answers.set(key, answer);
    return answer;
  }

  /** Fills the song index from stored song vectors (needed by the "songs" ranking only). */
  async loadSongIndex(): Promise<number> {
    return this.songIndex ? this.songIndex.load(this.deps.store, this.deps.embedder.model) : 0;
  }

  /** Songs whose lyrics read like this one's: its whole-lyrics vector against every passage. */
  async similar(songId: string, k: number): Promise<SongHit[]> {
    const { store, embedder } = this.deps;
    const song = await store.getSong(songId);
    if (!song) throw new VersoError("SONG_NOT_FOUND", `no song with id ${songId}`);
    const vector = (await store.songVectors([songId], embedder.model.name)).get(songId);
    if (!vector) return [];
    const candidates = await this.signals.passages(vector, Math.max(this.tuning.passageCandidates, k * 20));
    const chosen = candidates.filter((c) => c.songId !== songId).slice(0, k);
    const songs = await store.getSongs(chosen.map((c) => c.songId));
    return this.snippets.hits(
      chosen.filter((c) => songs.has(c.songId)),
      vector,
      songs,
    );
  }

  /**
   * Every song the hybrid signals bring for a prompt, with its fit features, unranked: what a
   * fit model is learned from (`npm run eval`).
   */
  async fitCandidates(request: AskRequest): Promise<FitCandidate[]> {
    const parsed = parsePrompt(request.prompt);
    this.memory.forCatalogVersion(await this.deps.catalogVersion());
    const gathered = await this.gather(request, parsed, request.k ?? parsed.k ?? DEFAULT_K);
    return this.fitCandidatesOf(
      gathered,
      await this.signals.all(gathered.vector, gathered.words, gathered.query, gathered.nearest),
    );
  }

  private async answer(
    request: AskRequest,
    parsed: ParsedPrompt,
    k: number,
    catalogVersion: number,
  ): Promise<AskResult> {
    this.memory.forCatalogVersion(catalogVersion);
    const reading = this.reembedding.at(catalogVersion);
    reading.catch(() => {});
    const gathered = await this.gather(request, parsed, k);
    const reembedding = await reading;
    const tIndex = performance.now();
    const ranked = await this.rank(gathered);
    const indexMs = elapsed(tIndex);

    const { query, vector, passages, timings } = gathered;
    const results = await this.choose(ranked, k, query.depth, vector, passages);
    this.deps.onTimings?.({ ...timings, indexMs, totalMs: elapsed(timings.t0) });
    const model = this.fitModel();
    if (!model)
      return { prompt: request.prompt, k, results, fit: null, cached: false, catalogVersion, reembedding };
    // A prompt without a word that carries meaning ("sobre", "🌊🌊🌊"), or in no language that can
    // be told and with no word the catalog holds ("xqzv blorf"), asks for nothing a song could
    // fit, whatever its vector happens to be near: the model maps such text among real songs.
    const { words, language, contentCount } = gathered;
    const unknownWords = [words.lexical, words.stemmed, words.related].every((found) => found.length === 0);
    const meaningless = contentCount === 0 || (language === undefined && unknownWords);
    const fitOfScore = (score: number) => (meaningless ? "none" : fitOf(model, score));
    return {
      prompt: request.prompt,
      k,
      results: results.map((hit) => ({ ...hit, fit: fitOfScore(hit.score) })),
      fit: fitOfScore(results[0]?.score ?? 0),
      cached: false,
      catalogVersion,
      reembedding,
    };
  }

  /** The prompt read and embedded, and what its words found meanwhile. */
  private async gather(request: AskRequest, parsed: ParsedPrompt, k: number): Promise<Gathered> {
    const t0 = performance.now();
    const reading = readPrompt(request.prompt, parsed, this.tuning, this.deps.translator);
    const query: SignalQuery = {
      prompt: request.prompt,
      depth: Math.max(k, this.tuning.fusionDepth),
      filter: normalizeSongFilter(request.filters),
      otherLanguage: reading.otherLanguage,
    };
    // Every ranking needs the prompt's vector (full text for its snippets). The full-text query
    // runs here while the vector is computed on another thread.
    const embedding = reading.textToEmbed.then((text) =>
      this.deps.embedder.embed([text], { priority: "interactive" }),
    );
    embedding.catch(() => {});
    const nearest = this.usesNearest()
      ? embedding.then(([vector]) => this.signals.nearest(vector!, query))
      : Promise.resolve([]);
    nearest.catch(() => {});
    const tLexical = performance.now();
    const terms = await reading.terms();
    const words = await this.signals.ofWords({ terms, stems: () => reading.stems() }, query);
    // The passages of the songs the full text found: the best of them may need a snippet
    // chosen among them, and a fit model confirms their words by meaning.
    const readDepth = this.ranksByFit() ? Math.max(k, this.tuning.confirmDepth) : k;
    const passages = await this.snippets.passagesOf(words.lexical.slice(0, readDepth).map((c) => c.songId));
    const lexicalMs = elapsed(tLexical);
    const vector = (await embedding)[0]!;
    const embedMs = elapsed(t0);
    const matchTerms = this.tuning.stopWords ? terms : contentWords(terms);
    return {
      query,
      words,
      passages,
      vector,
      nearest,
      matchTerms,
      contentCount: reading.contentTerms.length,
      language: reading.language,
      timings: { t0, embedMs, lexicalMs },
    };
  }

  private async rank(gathered: Gathered): Promise<Candidate[]> {
    const { vector, words, query, nearest } = gathered;
    switch (this.ranking) {
      case "songs":
        if (!this.songIndex) throw new VersoError("INTERNAL", "the songs ranking needs a song index");
        return this.songIndex.search(vector, query.depth);
      case "lexical":
        return words.lexical;
      case "passages":
        return nearest;
      case "hybrid": {
        const signals = await this.signals.all(vector, words, query, nearest);
        const model = this.fitModel();
        if (!model) return fuse(signals, this.tuning);
        return (await this.fitCandidatesOf(gathered, signals))
          .map((c) => ({ songId: c.songId, passageId: c.passageId, score: fitScore(model, c.features) }))
          .sort((a, b) => b.score - a.score);
      }
    }
  }

  private async fitCandidatesOf(gathered: Gathered, signals: Signal[]): Promise<FitCandidate[]> {
    const found = songsFound(signals, this.tuning.fusionDepth);
    const songs = await this.memory.songs(found);
    return fitCandidates({
      titles: new Map([...songs].map(([id, song]) => [id, song.title])),
      searched: gathered.words.searched,
      vector: gathered.vector,
      signals,
      passages: gathered.passages,
      terms: gathered.matchTerms,
      contentCount: gathered.contentCount,
      depth: this.tuning.fusionDepth,
    });
  }

  /** Whether the ranking asks the index for the passages nearest the prompt. */
  private usesNearest(): boolean {
    return this.ranking === "hybrid" || this.ranking === "passages";
  }

  private ranksByFit(): boolean {
    return this.ranking === "hybrid" && this.tuning.fusion === "fit";
  }

  /** The fit model the tuning ranks by, when it ranks by one. */
  private fitModel(): FitModel | undefined {
    return this.ranksByFit() ? this.tuning.fitModel : undefined;
  }

  /** The first k songs of the ranking that the catalog holds, each once, with their snippets. */
  private async choose(
    ranked: Candidate[],
    k: number,
    depth: number,
    vector: Float32Array,
    read: PassageWithVector[],
  ): Promise<SongHit[]> {
    // Read past k: the copies of a song that fall out leave room for the next songs.
    const head = ranked.slice(0, depth + k);
    const songs = await this.memory.songs(head.map((c) => c.songId));
    const kept = this.tuning.collapseDuplicates
      ? oneSongOneResult(head, songs)
      : head.filter((c) => songs.has(c.songId));
    return this.snippets.hits(kept.slice(0, k), vector, songs, read);
  }
}
