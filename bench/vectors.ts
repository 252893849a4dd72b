/**
 * Recall and speed of the HNSW index (usearch) against exact search, on the same vectors.
 *
 *   npx tsx bench/vectors.ts                       # 16k and 100k, random and clustered, 512-d
 *   npx tsx bench/vectors.ts --sizes 16000 --kinds random --sweep "16:128:32,64,128" --rounds 5
 *   npx tsx bench/vectors.ts --vectors-file passages.f32 --queries-file prompts.f32 --k 10
 *
 * The files hold raw little-endian float32 rows of --dimension values each (for instance the
 * passages table's vector column, concatenated), to measure on real embeddings.
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
import { parseArgs } from "node:util";
import { createExactIndex } from "../src/adapters/vectors/exact.js";
import {
  USEARCH_GRAPH_DEFAULTS,
  createUsearchIndex,
  type UsearchGraphOptions,
  type UsearchIndexOptions,
} from "../src/adapters/vectors/usearch.js";
import type { EmbeddingModel, VectorHit, VectorIndex } from "../src/core/ports.js";
import { normalizeInPlace } from "../src/core/vectors.js";
import { fillGaussian, seededRandom } from "./seeded-random.js";

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
): Promise<{ index: Awaited<ReturnType<typeof createUsearchIndex>>; buildMs: number }> {
  const index = await createUsearchIndex(options);
  await index.reset(model);
  const started = performance.now();
  const cpu = process.cpuUsage();
  await insertAll(index, vectors, (done) => {
    if (done % 20_000 === 0) log(`hnsw   … ${done} inserted, ${fmtMs(performance.now() - started)}`);
  });
  const buildMs = performance.now() - started;
  // CPU time is the steadier figure on a shared machine, where wall time depends on the neighbours.
  const used = process.cpuUsage(cpu);
  log(
    `hnsw   built ${vectors.length} vectors in ${fmtMs(buildMs)} (${fmtQps((vectors.length / buildMs) * 1000)}/s, ` +
      `${fmtMs((used.user + used.system) / 1000)} CPU)`,
  );
  return { index, buildMs };
}

async function insertAll(index: VectorIndex, vectors: Float32Array[], progress?: (done: number) => void) {
  const batch = 4000;
  for (let start = 0; start < vectors.length; start += batch) {
    const slice = vectors.slice(start, start + batch).map((vector, i) => ({ id: start + i + 1, vector }));
    await index.upsert(slice);
    progress?.(start + slice.length);
  }
}

async function timeQueries(index: VectorIndex, queries: Float32Array[], k: number, rounds: number) {
  let results: VectorHit[][] = [];
  const passes: number[] = [];
  const latencies: number[] = [];
  for (let round = 0; round < Math.max(1, rounds); round++) {
    const pass: VectorHit[][] = [];
    const started = performance.now();
    for (const query of queries) {
      const t = performance.now();
      pass.push(await index.search(query, k));
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

function clusteredMaker(random: () => number, clusters: number, dimension: number): () => Float32Array {
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
  const { values } = parseArgs({
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
    load: () => Promise<{ vectors: Float32Array[]; queries: Float32Array[] }>;
  }[] = [];
  if (values["vectors-file"] || values["queries-file"]) {
    const vectorsFile = values["vectors-file"];
    const queriesFile = values["queries-file"];
    if (!vectorsFile || !queriesFile) throw new Error("--vectors-file and --queries-file go together");
    datasets.push({
      label: path.basename(vectorsFile),
      load: async () => ({
        vectors: await readRows(vectorsFile, dimension),
        queries: await readRows(queriesFile, dimension),
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
