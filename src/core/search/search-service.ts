/**
 * Answers a prompt with songs. The prompt is embedded once; the vector index returns the
 * nearest passages, grouped by song; a full-text signal over titles, artists and lyrics and the
 * similarity of each candidate's whole lyrics are fused with it; the best passage of each song
 * is its snippet. Answers are cached under a key that includes the catalog version, so a
 * catalog change never serves stale results.
 *
 * How each choice was made, with figures: docs/benchmarks.md (npm run eval).
 */
import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { Song } from "../catalog/song.js";
import type { PassageRecord, SongStore } from "../catalog/store.js";
import { VersoError } from "../errors.js";
import type { Cache, Embedder, Thesaurus, Translator, VectorHit, VectorIndex } from "../ports.js";
import { normalizeSongFilter, unknownAttributes, type SongFilter } from "../catalog/song-filter.js";
import { dot } from "../vectors.js";
import type { LiveIndex } from "./live-index.js";
import { moodFit, moodOf, type MoodTarget } from "./mood.js";
import { oneSongOneResult } from "./one-song-one-result.js";
import { parsePrompt, type ParsedPrompt } from "./prompt.js";
import { promptLanguage } from "./prompt-language.js";
import { tuningForModel, type RankingTuning } from "./tuning.js";
import {
  DEFAULT_K,
  MAX_K,
  MIN_K,
  type AskRequest,
  type AskResult,
  type SongHit,
  type SongSearch,
} from "./types.js";

/**
 * songs: one vector per song (the mean of its passages); passages: a song scored by its best
 * passages; lexical: full text only; hybrid: passages, full text and whole-song similarity fused.
 */
export type Ranking = "songs" | "passages" | "lexical" | "hybrid";

export { defaultTuning, type RankingTuning } from "./tuning.js";

export interface AskTimings {
  embedMs: number;
  indexMs: number;
  lexicalMs: number;
  totalMs: number;
}

export interface SearchServiceOptions {
  store: SongStore;
  index: LiveIndex;
  embedder: Embedder;
  cache: Cache;
  cacheTtlSeconds: number;
  catalogVersion(): Promise<number>;
  ranking?: Ranking;
  tuning?: Partial<RankingTuning>;
  /** Related words for the full-text signal (tuning.relatedWeight); optional. */
  thesaurus?: Thesaurus | undefined;
  /** Translates prompts into the model's language (tuning.modelLanguage); optional. */
  translator?: Translator | undefined;
  /** One vector per song, for the "songs" ranking only (filled by `loadSongIndex`). */
  songIndex?: VectorIndex;
  onTimings?(timings: AskTimings): void;
  onCache?(result: "hit" | "miss"): void;
}

interface Candidate {
  songId: string;
  score: number;
  /** Best passage found by the index, when the semantic signal found the song. */
  passageId?: number;
}

type PassageWithVector = PassageRecord & { vector: Float32Array };

interface Signal {
  candidates: Candidate[];
  weight: number;
}

const elapsed = (since: number) => performance.now() - since;

/** The related words of the terms, without the terms themselves. */
async function relatedWords(thesaurus: Thesaurus, terms: string[]): Promise<string[]> {
  const own = new Set(terms);
  const related = await Promise.all(terms.map((term) => thesaurus.related(term)));
  return [...new Set(related.flat())].filter((word) => !own.has(word));
}

/** A translation read as a prompt ("Songs to cry" → "cry"); as it is when it does not parse. */
function parseTranslation(text: string): Pick<ParsedPrompt, "text" | "terms"> {
  try {
    return parsePrompt(text);
  } catch {
    return { text, terms: [] };
  }
}

export function createSearchService(options: SearchServiceOptions) {
  const { store, index, embedder, cache } = options;
  const ranking = options.ranking ?? "hybrid";
  const model = embedder.model.name;
  const tuning: RankingTuning = { ...tuningForModel(model, store.fullTextIndex), ...options.tuning };
  /** Song index keys are numbers; this maps them back. */
  const songIndexIds = new Map<number, string>();

  // Songs and their whole-lyrics vectors only change with the catalog version: the ones asks
  // keep reading stay in memory until it moves.
  const known = {
    catalogVersion: -1,
    songs: new LRUCache<string, Song>({ max: 20_000 }),
    vectors: new LRUCache<string, Float32Array>({ max: 20_000 }),
  };
  function forCatalogVersion(catalogVersion: number) {
    if (known.catalogVersion === catalogVersion) return;
    known.songs.clear();
    known.vectors.clear();
    known.catalogVersion = catalogVersion;
  }
  async function throughMemory<V extends object>(
    memory: LRUCache<string, V>,
    ids: readonly string[],
    read: (missing: string[]) => Promise<Map<string, V>>,
  ): Promise<Map<string, V>> {
    const out = new Map<string, V>();
    const missing: string[] = [];
    for (const id of ids) {
      const value = memory.get(id);
      if (value) out.set(id, value);
      else missing.push(id);
    }
    for (const [id, value] of missing.length > 0 ? await read(missing) : new Map<string, V>()) {
      memory.set(id, value);
      out.set(id, value);
    }
    return out;
  }
  const songsById = (ids: readonly string[]) =>
    throughMemory(known.songs, ids, (missing) => store.getSongs(missing));
  const songVectors = (ids: readonly string[]) =>
    throughMemory(known.vectors, ids, (missing) => store.songVectors(missing, model));

  /** Passages to songs: a song scores its best passage plus a share of its second best. */
  function groupBySong(hits: VectorHit[]): Candidate[] {
    const songs = new Map<string, { best: number; second: number; passageId: number }>();
    for (const hit of hits) {
      const songId = hit.songId;
      const song = songs.get(songId);
      if (!song) songs.set(songId, { best: hit.score, second: 0, passageId: hit.id });
      else if (hit.score > song.best)
        Object.assign(song, { second: song.best, best: hit.score, passageId: hit.id });
      else song.second = Math.max(song.second, hit.score);
    }
    return [...songs.entries()]
      .map(([songId, s]) => ({
        songId,
        score: s.best + tuning.secondPassageWeight * s.second,
        passageId: s.passageId,
      }))
      .sort((a, b) => b.score - a.score);
  }

  function fuse(signals: Signal[]): Candidate[] {
    const fused = new Map<string, Candidate>();
    for (const { candidates, weight } of signals) {
      const top = candidates.slice(0, tuning.fusionDepth);
      if (top.length === 0 || weight === 0) continue;
      const max = top[0]!.score;
      const min = top[top.length - 1]!.score;
      top.forEach((c, rank) => {
        const share =
          tuning.fusion === "rrf"
            ? 1 / (tuning.rrfK + rank + 1)
            : max > min
              ? (c.score - min) / (max - min)
              : 1;
        const current = fused.get(c.songId);
        if (current) {
          current.score += weight * share;
          current.passageId ??= c.passageId;
        } else fused.set(c.songId, { ...c, score: weight * share });
      });
    }
    return [...fused.values()].sort((a, b) => b.score - a.score);
  }

  async function passageCandidates(vector: Float32Array, depth: number, filter?: SongFilter) {
    const hits = await index.search(vector, depth, filter ? { filter } : undefined);
    return groupBySong(hits);
  }

  async function songIndexCandidates(vector: Float32Array, depth: number): Promise<Candidate[]> {
    if (!options.songIndex) throw new Error("the songs ranking needs a song index");
    const hits = await options.songIndex.search(vector, depth);
    return hits.flatMap((h) => {
      const songId = songIndexIds.get(h.id);
      return songId ? [{ songId, score: h.score }] : [];
    });
  }

  /** The songs the other signals found (each one's top), scored again by another measure. */
  async function rescoredSignal(
    signals: Signal[],
    weight: number,
    scorer: (ids: string[]) => Promise<(songId: string) => number | undefined>,
  ): Promise<Signal> {
    const ids = [
      ...new Set(signals.flatMap((s) => s.candidates.slice(0, tuning.fusionDepth).map((c) => c.songId))),
    ];
    const score = await scorer(ids);
    const candidates = ids
      .flatMap((songId) => {
        const value = score(songId);
        return value === undefined ? [] : [{ songId, score: value }];
      })
      .sort((a, b) => b.score - a.score);
    return { candidates, weight };
  }

  /** The whole-lyrics similarity of songs another signal found. */
  const wholeSongSignal = (vector: Float32Array, signals: Signal[]) =>
    rescoredSignal(signals, tuning.songWeight, async (ids) => {
      const vectors = await songVectors(ids);
      return (songId) => {
        const v = vectors.get(songId);
        return v ? dot(vector, v) : undefined;
      };
    });

  /** How well the sound of the songs another signal found fits the mood the prompt names. */
  const moodSignal = (targets: MoodTarget[], signals: Signal[]) =>
    rescoredSignal(signals, tuning.moodWeight, async (ids) => {
      const songs = await songsById(ids);
      return (songId) => {
        const song = songs.get(songId);
        return song ? moodFit(song.features, targets) : undefined;
      };
    });

  /** The snippet of songs the index did not reach through a passage: their nearest passage. */
  async function nearestPassages(vector: Float32Array, songs: string[], read: PassageWithVector[]) {
    const wanted = new Set(songs);
    const have = new Set(read.map((p) => p.songId));
    const unread = songs.filter((id) => !have.has(id));
    const passages = [...read, ...(unread.length > 0 ? await store.passagesOfSongs(unread, model) : [])];
    const best = new Map<string, { score: number; passage: PassageWithVector }>();
    for (const p of passages) {
      if (!wanted.has(p.songId)) continue;
      const score = dot(vector, p.vector);
      const current = best.get(p.songId);
      if (!current || score > current.score) best.set(p.songId, { score, passage: p });
    }
    return best;
  }

  async function present(
    chosen: Candidate[],
    vector: Float32Array,
    songs: Map<string, Song>,
    read: PassageWithVector[] = [],
  ): Promise<SongHit[]> {
    const missing = chosen.filter((c) => c.passageId === undefined).map((c) => c.songId);
    const nearest = missing.length > 0 ? await nearestPassages(vector, missing, read) : new Map();
    const passages = await store.getPassages(
      chosen.flatMap((c) => (c.passageId === undefined ? [] : [c.passageId])),
    );
    return chosen.map((c): SongHit => {
      const passage = c.passageId === undefined ? nearest.get(c.songId)?.passage : passages.get(c.passageId);
      return {
        song: songs.get(c.songId)!,
        score: Number(c.score.toFixed(6)),
        passage: passage ? { text: passage.text, ordinal: passage.ordinal } : { text: "", ordinal: -1 },
      };
    });
  }

  async function answer(
    request: AskRequest,
    parsed: ParsedPrompt,
    k: number,
    catalogVersion: number,
  ): Promise<AskResult> {
    const t0 = performance.now();
    forCatalogVersion(catalogVersion);
    const depth = Math.max(k, tuning.fusionDepth);
    // Applied while candidates are gathered (the index and the full text both filter), so a
    // filter never empties an answer the catalog can fill.
    const filter = normalizeSongFilter(request.filters);

    // A prompt in another language than the model reads is embedded in translation, when a
    // translator knows the pair; its words are searched as written, and translated too.
    const language = tuning.modelLanguage ? promptLanguage(request.prompt) : undefined;
    const otherLanguage = language !== undefined && language !== tuning.modelLanguage;
    const translation =
      otherLanguage && tuning.translatePrompts && options.translator
        ? options.translator.translate(request.prompt, language, tuning.modelLanguage!)
        : Promise.resolve(undefined);
    const translated = translation.then((text) => (text === undefined ? undefined : parseTranslation(text)));

    // Every ranking needs the prompt's vector (full text for its snippets). The full-text query
    // runs here while the vector is computed on another thread.
    const embedding = translated.then((t) =>
      embedder.embed([t?.text ?? parsed.text], { priority: "interactive" }),
    );
    embedding.catch(() => {});
    const tLexical = performance.now();
    const terms = tuning.translatedTermsInLexical
      ? [...new Set([...parsed.terms, ...((await translated)?.terms ?? [])])]
      : parsed.terms;
    const lexical =
      ranking === "hybrid" || ranking === "lexical" ? await store.searchLexical(terms, depth, filter) : [];
    // Words related to the prompt's English words ("mother" → "mama"), searched on their own
    // so that their weight is theirs: a synonym is weaker evidence than the word itself.
    const relatedTerms =
      ranking === "hybrid" && tuning.relatedWeight > 0 && options.thesaurus && !otherLanguage
        ? await relatedWords(options.thesaurus, terms)
        : [];
    const related = relatedTerms.length > 0 ? await store.searchLexical(relatedTerms, depth, filter) : [];
    // Their whole-lyrics vectors are needed whatever the prompt's vector turns out to be, and
    // the best of them may need a snippet chosen among their passages.
    if (ranking === "hybrid" && tuning.songWeight > 0) {
      await songVectors(lexical.slice(0, tuning.fusionDepth).map((c) => c.songId));
    }
    const lexicalPassages = await store.passagesOfSongs(
      lexical.slice(0, k).map((c) => c.songId),
      model,
    );
    const lexicalMs = elapsed(tLexical);
    const vector = (await embedding)[0]!;
    const embedMs = elapsed(t0);

    const tIndex = performance.now();
    let ranked: Candidate[];
    if (ranking === "songs") ranked = await songIndexCandidates(vector, depth);
    else if (ranking === "lexical") ranked = lexical;
    else {
      const passages = await passageCandidates(vector, tuning.passageCandidates, filter);
      if (ranking === "passages") ranked = passages;
      else {
        const signals: Signal[] = [
          { candidates: passages, weight: 1 },
          {
            candidates: lexical,
            weight: otherLanguage ? tuning.otherLanguageLexicalWeight : tuning.lexicalWeight,
          },
          { candidates: related, weight: tuning.relatedWeight },
        ];
        const mood = tuning.moodWeight > 0 ? moodOf(request.prompt) : [];
        const found = [...signals];
        if (tuning.songWeight > 0) signals.push(await wholeSongSignal(vector, found));
        if (mood.length > 0) signals.push(await moodSignal(mood, found));
        ranked = fuse(signals);
      }
    }
    const indexMs = elapsed(tIndex);

    // Read past k: the copies of a song that fall out leave room for the next songs.
    const head = ranked.slice(0, depth + k);
    const songs = await songsById(head.map((c) => c.songId));
    const chosen = (
      tuning.collapseDuplicates ? oneSongOneResult(head, songs) : head.filter((c) => songs.has(c.songId))
    ).slice(0, k);
    const results = await present(chosen, vector, songs, lexicalPassages);
    options.onTimings?.({ embedMs, indexMs, lexicalMs, totalMs: elapsed(t0) });
    return { prompt: request.prompt, k, results, cached: false, catalogVersion };
  }

  const cacheKey = (request: AskRequest, k: number, catalogVersion: number) => {
    const normalized = request.prompt.trim().toLowerCase().replace(/\s+/g, " ");
    const identity = JSON.stringify([
      ranking,
      tuning,
      options.translator?.pairs ?? [],
      Boolean(options.thesaurus),
      k,
      normalizeSongFilter(request.filters) ?? null,
      normalized,
    ]);
    return `ask:${catalogVersion}:${createHash("sha256").update(identity).digest("base64url")}`;
  };

  return {
    ranking,

    async ask(request: AskRequest): Promise<AskResult> {
      const parsed = parsePrompt(request.prompt);
      const k = request.k ?? parsed.k ?? DEFAULT_K;
      if (!Number.isInteger(k) || k < MIN_K || k > MAX_K) {
        throw new VersoError("VALIDATION_FAILED", `k must be a whole number from ${MIN_K} to ${MAX_K}`);
      }
      const catalogVersion = await options.catalogVersion();
      const key = cacheKey(request, k, catalogVersion);
      const cached = await cache.get(key);
      if (cached) {
        options.onCache?.("hit");
        return { ...(JSON.parse(cached) as AskResult), prompt: request.prompt, cached: true };
      }
      options.onCache?.("miss");
      const result = await answer(request, parsed, k, catalogVersion);
      // Stored after the answer has gone out: the person waiting does not wait for the cache.
      setImmediate(() => {
        cache.set(key, JSON.stringify(result), options.cacheTtlSeconds).catch(() => {});
      });
      return result;
    },

    /** Fills the song index from stored song vectors (needed by the "songs" ranking only). */
    async loadSongIndex(): Promise<number> {
      if (!options.songIndex) return 0;
      await options.songIndex.reset(embedder.model);
      songIndexIds.clear();
      for await (const batch of store.streamSongVectors(model)) {
        const entries = batch.map((s) => {
          const id = songIndexIds.size + 1;
          songIndexIds.set(id, s.songId);
          return { id, vector: s.vector, song: unknownAttributes(s.songId) };
        });
        await options.songIndex.upsert(entries);
      }
      return songIndexIds.size;
    },

    /** Songs whose lyrics read like this one's: its whole-lyrics vector against every passage. */
    async similar(songId: string, k: number): Promise<SongHit[]> {
      const song = await store.getSong(songId);
      if (!song) throw new VersoError("SONG_NOT_FOUND", `no song with id ${songId}`);
      const vector = (await store.songVectors([songId], model)).get(songId);
      if (!vector) return [];
      const candidates = await passageCandidates(vector, Math.max(tuning.passageCandidates, k * 20));
      const chosen = candidates.filter((c) => c.songId !== songId).slice(0, k);
      const songs = await store.getSongs(chosen.map((c) => c.songId));
      return present(
        chosen.filter((c) => songs.has(c.songId)),
        vector,
        songs,
      );
    },
  } satisfies SongSearch & Record<string, unknown>;
}

export type SearchService = ReturnType<typeof createSearchService>;
