/**
 * Recall and speed of the HNSW index (usearch) against exact search, on the same vectors.
 *
 *   npx tsx bench/vectors.ts                       # 16k and 100k, random and clustered, 512-d
 *   npx tsx bench/vectors.ts --sizes 16000 --kinds random --sweep "16:128:32,64,128" --rounds 5
 *   npx tsx bench/vectors.ts --vectors-file passages.f32 --queries-file prompts.f32 --k 10
 *   npx tsx bench/vectors.ts --filtered --vectors-file passages.f32 --queries-file prompts.f32 \
 *     --songs-file passages.songs.json
 *
 * The files hold raw little-endian float32 rows of --dimension values each (for instance the
 * passages table's vector column, concatenated), to measure on real embeddings; --songs-file is
 * a JSON array with the song attributes (src/core/catalog/song-filter.ts) of each row.
 *
 * --filtered measures filtered search instead: filters of about 1 %, 10 % and 50 % selectivity
 * (a language or genre, a range of years, a range of energy), each answered by the exact
 * index (the truth) and by the HNSW index under several over-fetch strategies, at k = 10 and at
 * the 200 passages the search service asks for: recall@k against the exact filtered answer,
 * how full the answers are, and latency, side by side in one run.
 *
 * Random unit vectors are the hard case: in 512 dimensions every pair is nearly orthogonal and
 * the ten nearest neighbours of a query are barely nearer than the rest, so a graph search has
 * little to follow. Sentence embeddings are clustered (topics, languages, a shared mean
 * direction), which is what the "clustered" set imitates; real passages land between the two.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createExactIndex } from "../src/adapters/vectors/exact.js";
import {
  USEARCH_GRAPH_DEFAULTS,
  createUsearchIndex,
  type UsearchFilterOptions,
  type UsearchGraphOptions,
  type UsearchIndexOptions,
} from "../src/adapters/vectors/usearch.js";
import {
  matchesSongFilter,
  releaseYear,
  type SongAttributes,
  type SongFilter,
} from "../src/core/catalog/song-filter.js";
import type { EmbeddingModel, VectorHit, VectorIndex } from "../src/core/ports.js";
import { normalizeInPlace } from "../src/core/vectors.js";
import { fillGaussian, seededRandom } from "./seeded-random.js";
import { readOptions } from "./command-line.js";

export interface RecallOptions {
  vectors: Float32Array[];
  queries: Float32Array[];
  k: number;
  log: (line: string) => void;
  /** Graph parameters to try instead of the adapter's defaults. */
  graph?: Partial<UsearchGraphOptions>;
  /** Timed passes over the queries; the median pass is reported (default 3). */
  rounds?: number;
}

export interface RecallResult {
  /** Share of the exact top k that HNSW also returns, over all queries. */
  recallAtK: number;
  /** Median over rounds, one query at a time through the port, as /api/ask uses it. */
  hnswQps: number;
  exactQps: number;
  /** Time to insert every vector into the HNSW index. */
  buildMs: number;
}

export async function measureRecall(options: RecallOptions): Promise<RecallResult> {
  const { vectors, queries, k, log } = options;
  const rounds = options.rounds ?? 3;
  const model = modelFor(vectors);

  const exact = await exactBaseline(vectors, queries, k, rounds, log);
  const { index, buildMs } = await buildHnsw(vectors, model, { directory: null, ...options.graph }, log);
  try {
    const run = await timeQueries(index, queries, k, rounds);
    const recallAtK = recall(run.results, exact.results);
    log(
      `hnsw   recall@${k} ${recallAtK.toFixed(4)}  ${fmtQps(run.qps)} qps  p50 ${fmtMs(run.p50)}  p99 ${fmtMs(run.p99)}  ` +
        `(${describeGraph(options.graph)})`,
    );
    log(`exact  ${fmtQps(exact.qps)} qps  → HNSW is ${(run.qps / exact.qps).toFixed(1)}× faster`);
    return { recallAtK, hnswQps: run.qps, exactQps: exact.qps, buildMs };
  } finally {
    await index.close();
  }
}

// ── the measurements ──────────────────────────────────────────────────────────────────────────

interface QueryRun {
  results: VectorHit[][];
  qps: number;
  p50: number;
  p99: number;
}

async function exactBaseline(
  vectors: Float32Array[],
  queries: Float32Array[],
  k: number,
  rounds: number,
  log: (line: string) => void,
): Promise<QueryRun> {
  const index = createExactIndex();
  try {
    await index.reset(modelFor(vectors));
    const started = performance.now();
    await insertAll(index, vectors);
    log(`exact  loaded ${vectors.length} vectors in ${fmtMs(performance.now() - started)}`);
    return await timeQueries(index, queries, k, rounds);
  } finally {
    await index.close();
  }
}

async function buildHnsw(
  vectors: Float32Array[],
  model: EmbeddingModel,
  options: UsearchIndexOptions,
  log: (line: string) => void,
  songs?: readonly SongAttributes[],
): Promise<{ index: Awaited<ReturnType<typeof createUsearchIndex>>; buildMs: number }> {
  const index = await createUsearchIndex(options);
  await index.reset(model);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const progress = (done: number) => {
    if (done % 20_000 === 0) log(`hnsw   … ${done} inserted, ${fmtMs(performance.now() - started)}`);
  };
  await insertAll(index, vectors, progress, songs);
  const buildMs = performance.now() - started;
  // CPU time is the steadier figure on a shared machine, where wall time depends on the neighbours.
  const used = process.cpuUsage(cpu);
  log(
    `hnsw   built ${vectors.length} vectors in ${fmtMs(buildMs)} (${fmtQps((vectors.length / buildMs) * 1000)}/s, ` +
      `${fmtMs((used.user + used.system) / 1000)} CPU)`,
  );
  return { index, buildMs };
}

/** Stands for the song of every passage where only vectors are measured. */
const anySong: SongAttributes = {
  songId: "bench",
  language: null,
  genre: null,
  year: null,
  danceability: null,
  energy: null,
  valence: null,
  tempo: null,
  acousticness: null,
  instrumentalness: null,
  speechiness: null,
  liveness: null,
};

/** Row i gets id i + 1 and the song songs[i]. */
async function insertAll(
  index: VectorIndex,
  vectors: Float32Array[],
  progress?: (done: number) => void,
  songs?: readonly SongAttributes[],
) {
  const batch = 4000;
  for (let start = 0; start < vectors.length; start += batch) {
    const slice = vectors
      .slice(start, start + batch)
      .map((vector, i) => ({ id: start + i + 1, vector, song: songs?.[start + i] ?? anySong }));
    await index.upsert(slice);
    progress?.(start + slice.length);
  }
}

async function timeQueries(
  index: Pick<VectorIndex, "search">,
  queries: Float32Array[],
  k: number,
  rounds: number,
  filter?: SongFilter,
) {
  let results: VectorHit[][] = [];
  const passes: number[] = [];
  const latencies: number[] = [];
  for (let round = 0; round < Math.max(1, rounds); round++) {
    const pass: VectorHit[][] = [];
    const started = performance.now();
    for (const query of queries) {
      const t = performance.now();
      pass.push(await index.search(query, k, filter ? { filter } : {}));
      latencies.push(performance.now() - t);
    }
    passes.push(performance.now() - started);
    results = pass;
  }
  latencies.sort((a, b) => a - b);
  const qps = (queries.length / median(passes)) * 1000;
  return { results, qps, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
}

function recall(found: VectorHit[][], truth: VectorHit[][]): number {
  let hits = 0;
  let wanted = 0;
  for (const [q, exact] of truth.entries()) {
    const expected = new Set(exact.map((hit) => hit.id));
    wanted += expected.size;
    for (const hit of found[q] ?? []) if (expected.has(hit.id)) hits++;
  }
  return wanted === 0 ? 1 : hits / wanted;
}

/**
 * Builds one graph per (connectivity, expansionAdd) and measures it at several expansionSearch
 * values, by saving it once and reopening it with each (expansionSearch is a search-time
 * setting that the adapter does not record in the snapshot).
 */
export async function sweepGraphParameters(
  vectors: Float32Array[],
  queries: Float32Array[],
  k: number,
  rounds: number,
  specs: { connectivity: number; expansionAdd: number; expansionSearch: number[] }[],
  quantization: UsearchGraphOptions["quantization"],
  log: (line: string) => void,
): Promise<void> {
  const model = modelFor(vectors);
  const exact = await exactBaseline(vectors, queries, k, rounds, log);
  log(`exact  ${fmtQps(exact.qps)} qps`);
  for (const spec of specs) {
    const directory = await mkdtemp(path.join(tmpdir(), "verso-bench-"));
    try {
      const graph = { connectivity: spec.connectivity, expansionAdd: spec.expansionAdd, quantization };
      const { index, buildMs } = await buildHnsw(vectors, model, { directory, ...graph }, log);
      await index.commit(1);
      await index.close();
      for (const expansionSearch of spec.expansionSearch) {
        const reopened = await createUsearchIndex({ directory, ...graph, expansionSearch });
        const run = await timeQueries(reopened, queries, k, rounds);
        await reopened.close();
        log(
          `sweep  M=${spec.connectivity} efAdd=${spec.expansionAdd} ef=${expansionSearch} ${quantization}: ` +
            `recall@${k} ${recall(run.results, exact.results).toFixed(4)}  ${fmtQps(run.qps)} qps  ` +
            `p50 ${fmtMs(run.p50)}  p99 ${fmtMs(run.p99)}  build ${fmtMs(buildMs)}`,
        );
      }
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }
}

// ── filtered search ───────────────────────────────────────────────────────────────────────────

export interface FilteredOptions {
  vectors: Float32Array[];
  queries: Float32Array[];
  /** The song attributes of each vector. */
  songs: SongAttributes[];
  /** Depths to measure; the search service asks for 200. */
  ks: number[];
  rounds: number;
  log: (line: string) => void;
}

/** What is compared: usearch filter options, or the naive single over-fetch then post-filter. */
const filterStrategies: { label: string; options: Partial<UsearchFilterOptions> | "post-filter" }[] = [
  { label: "post-filter once, k/s", options: "post-filter" },
  { label: "over-fetch 1, widen ×4", options: { overfetch: 1, widening: 4 } },
  { label: "over-fetch 2, widen ×4", options: { overfetch: 2, widening: 4 } },
  { label: "over-fetch 4, widen ×4", options: { overfetch: 4, widening: 4 } },
  { label: "over-fetch 2, whole ≥ 25 %", options: { overfetch: 2, widening: 4, wholeIndexShare: 0.25 } },
  { label: "whole index", options: { wholeIndexShare: Number.MIN_VALUE } },
];

export async function measureFilteredSearch(options: FilteredOptions): Promise<void> {
  const { vectors, queries, songs, ks, rounds, log } = options;
  const model = modelFor(vectors);
  const filters = benchFilters(songs);
  const exact = createExactIndex();
  await exact.reset(model);
  await insertAll(exact, vectors, undefined, songs);
  const directory = await mkdtemp(path.join(tmpdir(), "verso-bench-"));
  try {
    const { index, buildMs } = await buildHnsw(vectors, model, { directory }, log, songs);
    await index.commit(1);
    await index.close();
    log(`hnsw   saved; filters: ${filters.map((f) => `${f.label} (${pct(f.selectivity)})`).join(", ")}`);
    const rows: string[] = [];
    for (const k of ks) {
      for (const { label, filter, selectivity } of filters) {
        const truth = await timeQueries(exact, queries, k, rounds, filter);
        rows.push(
          row(label, selectivity, "exact (brute force)", k, 1, fill(truth.results, k), truth.p50, truth.p99),
        );
        for (const strategy of filterStrategies) {
          const reopened = await createUsearchIndex({
            directory,
            ...(strategy.options === "post-filter" ? {} : { filter: strategy.options }),
          });
          const run =
            strategy.options === "post-filter"
              ? await timeQueries(postFilter(reopened, songs, filter, selectivity), queries, k, rounds)
              : await timeQueries(reopened, queries, k, rounds, filter);
          await reopened.close();
          rows.push(
            row(
              label,
              selectivity,
              strategy.label,
              k,
              recall(run.results, truth.results),
              fill(run.results, k, truth.results),
              run.p50,
              run.p99,
            ),
          );
        }
      }
    }
    log(
      `\n── filtered search: ${vectors.length} passages, ${queries.length} queries, build ${fmtMs(buildMs)} ──`,
    );
    log(
      `${"filter".padEnd(26)} ${"sel.".padStart(6)}  ${"strategy".padEnd(24)} ${"k".padStart(4)}  recall  filled   p50        p99`,
    );
    for (const line of rows) log(line);
  } finally {
    await exact.close();
    await rm(directory, { recursive: true, force: true });
  }
}

/** Unfiltered HNSW asked once for k ÷ selectivity, then filtered: what a filter must not do. */
function postFilter(
  index: VectorIndex,
  songs: readonly SongAttributes[],
  filter: SongFilter,
  selectivity: number,
): Pick<VectorIndex, "search"> {
  return {
    async search(vector, k) {
      const fetch = Math.min(songs.length, Math.ceil(k / selectivity));
      const hits = await index.search(vector, fetch);
      return hits.filter((hit) => matchesSongFilter(songs[hit.id - 1]!, filter)).slice(0, k);
    },
  };
}

interface BenchFilter {
  label: string;
  filter: SongFilter;
  selectivity: number;
}

/**
 * For each target selectivity: the language, genre or language-and-genre filter nearest to it,
 * the oldest songs (a year range) and the most energetic ones (an energy range) of that share.
 */
function benchFilters(songs: readonly SongAttributes[]): BenchFilter[] {
  const share = (filter: SongFilter) =>
    songs.filter((song) => matchesSongFilter(song, filter)).length / songs.length;
  const values = (key: "language" | "genre") =>
    [...new Set(songs.map((song) => song[key]))].filter((v) => v !== null);
  const categorical: SongFilter[] = [
    ...values("language").map((language) => ({ language })),
    ...values("genre").map((genre) => ({ genre })),
    ...values("language").flatMap((language) => values("genre").map((genre) => ({ language, genre }))),
  ];
  const years = songs
    .map((song) => song.year)
    .filter((y): y is number => y !== null)
    .sort((a, b) => a - b);
  const energies = songs
    .map((song) => song.energy)
    .filter((e): e is number => e !== null)
    .sort((a, b) => a - b);
  const filters: BenchFilter[] = [];
  for (const target of [0.01, 0.1, 0.5]) {
    const scored = categorical
      .map((filter) => ({ filter, selectivity: share(filter) }))
      .filter((c) => c.selectivity > 0)
      .sort(
        (a, b) => Math.abs(Math.log(a.selectivity / target)) - Math.abs(Math.log(b.selectivity / target)),
      );
    const nearest = scored[0];
    if (nearest) filters.push({ label: describeFilter(nearest.filter), ...nearest });
    const year = { year: { max: quantile(years, (target * songs.length) / Math.max(1, years.length)) } };
    filters.push({ label: describeFilter(year), filter: year, selectivity: share(year) });
    const energy = {
      energy: { min: quantile(energies, 1 - (target * songs.length) / Math.max(1, energies.length)) },
    };
    filters.push({ label: describeFilter(energy), filter: energy, selectivity: share(energy) });
  }
  return filters;
}

function describeFilter(filter: SongFilter): string {
  return Object.entries(filter)
    .map(([key, value]) =>
      typeof value === "object"
        ? `${key} ${value.min !== undefined ? `≥ ${value.min}` : ""}${value.max !== undefined ? `≤ ${value.max}` : ""}`
        : `${key}=${String(value)}`,
    )
    .join(" & ");
}

/** How full the answers are: returned hits over those asked for (or those that exist). */
function fill(results: VectorHit[][], k: number, truth?: VectorHit[][]): number {
  let returned = 0;
  let possible = 0;
  results.forEach((hits, q) => {
    returned += hits.length;
    possible += truth ? truth[q]!.length : Math.min(k, hits.length);
  });
  return possible === 0 ? 1 : returned / possible;
}

function row(
  label: string,
  selectivity: number,
  strategy: string,
  k: number,
  recallAtK: number,
  filled: number,
  p50: number,
  p99: number,
): string {
  return (
    `${label.padEnd(26)} ${pct(selectivity).padStart(6)}  ${strategy.padEnd(24)} ${String(k).padStart(4)}  ` +
    `${recallAtK.toFixed(3)}   ${filled.toFixed(3)}   ${fmtMs(p50).padEnd(10)} ${fmtMs(p99)}`
  );
}

const pct = (share: number) => `${(share * 100).toFixed(share < 0.1 ? 1 : 0)} %`;

/**
 * Songs for synthetic vectors: consecutive rows of about ten passages share a song, whose
 * language (en 60 %, es 25 %, fr 10 %, de 5 %), genre (one of six), year and energy are drawn
 * independently of its vectors, so the synthetic filters are not correlated with the queries.
 */
export function syntheticSongs(count: number, seed = 7): SongAttributes[] {
  const random = seededRandom(seed);
  const languages: [string, number][] = [
    ["en", 0.6],
    ["es", 0.85],
    ["fr", 0.95],
    ["de", 1],
  ];
  const genres = ["pop", "rock", "latin", "rap", "r&b", "edm"];
  const songs: SongAttributes[] = [];
  let current = anySong;
  for (let i = 0; i < count; i++) {
    if (i % 10 === 0) {
      const draw = random();
      current = {
        ...anySong,
        songId: `synthetic-${i / 10}`,
        language: languages.find(([, upTo]) => draw < upTo)![0],
        genre: genres[Math.floor(random() * genres.length)]!,
        year: releaseYear(String(1960 + Math.floor(random() * 65))),
        energy: Math.round(random() * 1000) / 1000,
      };
    }
    songs.push(current);
  }
  return songs;
}

// ── synthetic data ────────────────────────────────────────────────────────────────────────────

export type DatasetKind = "random" | "clustered";

/**
 * "clustered": a shared mean direction (sentence encoders have one), topics as cluster
 * centres of about 80 passages each, and per-passage noise. Within a cluster cosine is ≈ 0.7,
 * between clusters ≈ 0.15, roughly what a sentence encoder gives similar and unrelated lines.
 */
export function syntheticVectors(
  kind: DatasetKind,
  count: number,
  queries: number,
  dimension: number,
  seed = 42,
): { vectors: Float32Array[]; queries: Float32Array[] } {
  const random = seededRandom(seed);
  const make =
    kind === "random"
      ? () => normalizeInPlace(fillGaussian(random, new Float32Array(dimension)))!
      : clusteredMaker(random, Math.max(1, Math.round(count / 80)), dimension);
  const vectors = Array.from({ length: count }, make);
  return { vectors, queries: Array.from({ length: queries }, make) };
}

export function clusteredMaker(
  random: () => number,
  clusters: number,
  dimension: number,
): () => Float32Array {
  const perAxis = 1 / Math.sqrt(dimension);
  const mean = normalizeInPlace(fillGaussian(random, new Float32Array(dimension)))!;
  const centres = Array.from({ length: clusters }, () =>
    normalizeInPlace(fillGaussian(random, new Float32Array(dimension)))!,
  );
  return () => {
    const centre = centres[Math.floor(random() * clusters)]!;
    const vector = fillGaussian(random, new Float32Array(dimension), perAxis * 0.75);
    for (let i = 0; i < dimension; i++) vector[i]! += 0.5 * mean[i]! + centre[i]!;
    return normalizeInPlace(vector)!;
  };
}

async function readRows(file: string, dimension: number): Promise<Float32Array[]> {
  const bytes = await readFile(file);
  if (bytes.length % (dimension * 4) !== 0)
    throw new Error(`${file} is not made of ${dimension}-d float32 rows`);
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  return Array.from({ length: all.length / dimension }, (_, i) =>
    all.subarray(i * dimension, (i + 1) * dimension),
  );
}

// ── helpers ───────────────────────────────────────────────────────────────────────────────────

function modelFor(vectors: Float32Array[]): EmbeddingModel {
  const dimension = vectors[0]?.length;
  if (dimension === undefined) throw new Error("no vectors to measure");
  return { name: "bench-synthetic", dimension };
}

function describeGraph(graph: Partial<UsearchGraphOptions> = {}): string {
  const g = { ...USEARCH_GRAPH_DEFAULTS, ...graph };
  return `M=${g.connectivity} efAdd=${g.expansionAdd} ef=${g.expansionSearch} ${g.quantization}`;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

const fmtMs = (ms: number) =>
  ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`;
const fmtQps = (qps: number) => (qps >= 100 ? qps.toFixed(0) : qps.toFixed(1));

// ── run alone ─────────────────────────────────────────────────────────────────────────────────

/** "16:128:32,64,128;32:128:64" → per graph: connectivity, expansionAdd, expansionSearch values. */
function parseSweep(text: string) {
  return text.split(";").map((part) => {
    const [connectivity, expansionAdd, searches] = part.split(":");
    const spec = {
      connectivity: Number(connectivity),
      expansionAdd: Number(expansionAdd),
      expansionSearch: (searches ?? "").split(",").map(Number),
    };
    const numbers = [spec.connectivity, spec.expansionAdd, ...spec.expansionSearch];
    if (!numbers.every((n) => Number.isInteger(n) && n > 0)) throw new Error(`bad --sweep part "${part}"`);
    return spec;
  });
}

async function main(): Promise<void> {
  const { values } = readOptions("npx tsx bench/vectors.ts", {
    options: {
      sizes: { type: "string", default: "16000,100000" },
      kinds: { type: "string", default: "random,clustered" },
      queries: { type: "string", default: "300" },
      dimension: { type: "string", default: "512" },
      k: { type: "string", default: "10" },
      rounds: { type: "string", default: "3" },
      quantization: { type: "string", default: USEARCH_GRAPH_DEFAULTS.quantization },
      sweep: { type: "string" },
      "vectors-file": { type: "string" },
      "queries-file": { type: "string" },
      filtered: { type: "boolean", default: false },
      "songs-file": { type: "string" },
      ks: { type: "string", default: "10,200" },
    },
  });
  const sizes = values.sizes.split(",").map(Number);
  const kinds = values.kinds.split(",") as DatasetKind[];
  const k = Number(values.k);
  const rounds = Number(values.rounds);
  const quantization = values.quantization as UsearchGraphOptions["quantization"];
  const log = (line: string) => console.log(line);

  const dimension = Number(values.dimension);
  const datasets: {
    label: string;
    load: () => Promise<{ vectors: Float32Array[]; queries: Float32Array[]; songs?: SongAttributes[] }>;
  }[] = [];
  const songsFile = values["songs-file"];
  if (values["vectors-file"] || values["queries-file"]) {
    const vectorsFile = values["vectors-file"];
    const queriesFile = values["queries-file"];
    if (!vectorsFile || !queriesFile) throw new Error("--vectors-file and --queries-file go together");
    datasets.push({
      label: path.basename(vectorsFile),
      load: async () => ({
        vectors: await readRows(vectorsFile, dimension),
        queries: await readRows(queriesFile, dimension),
        ...(songsFile ? { songs: JSON.parse(await readFile(songsFile, "utf8")) as SongAttributes[] } : {}),
      }),
    });
  } else {
    for (const size of sizes) {
      for (const kind of kinds) {
        datasets.push({
          label: `${kind} ${size}`,
          load: async () => syntheticVectors(kind, size, Number(values.queries), dimension),
        });
      }
    }
  }

  const summary: string[] = [];
  for (const { label, load } of datasets) {
    const data = await load();
    log(`\n── ${label}: ${data.vectors.length} × ${dimension}-d, ${data.queries.length} queries, k=${k} ──`);
    if (values.filtered) {
      const songs = data.songs ?? syntheticSongs(data.vectors.length);
      if (songs.length !== data.vectors.length) throw new Error("--songs-file needs one song per vector");
      const ks = values.ks.split(",").map(Number);
      await measureFilteredSearch({ vectors: data.vectors, queries: data.queries, songs, ks, rounds, log });
      continue;
    }
    if (values.sweep) {
      await sweepGraphParameters(
        data.vectors,
        data.queries,
        k,
        rounds,
        parseSweep(values.sweep),
        quantization,
        log,
      );
      continue;
    }
    const result = await measureRecall({ ...data, k, log, rounds, graph: { quantization } });
    summary.push(
      `${label.padEnd(16)}  recall@${k} ${result.recallAtK.toFixed(4)}  ` +
        `hnsw ${fmtQps(result.hnswQps).padStart(6)} qps  exact ${fmtQps(result.exactQps).padStart(6)} qps  ` +
        `build ${fmtMs(result.buildMs)}`,
    );
  }
  if (summary.length > 0) log(`\n── summary (${describeGraph({ quantization })}) ──\n${summary.join("\n")}`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
