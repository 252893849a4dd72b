/**
 * Embedding speed of the USE-lite adapter: raw throughput with every bulk worker busy (the
 * baseline the ingest pipeline is compared against), and how long a person's prompt takes,
 * idle and while ingest keeps the bulk workers busy.
 *
 *   npx tsx bench/embedder.ts                          # 1 and all workers, then prompt latency
 *   npx tsx bench/embedder.ts --threads 2 --texts 512 --rounds 3
 *   npx tsx bench/embedder.ts --skip-raw --samples 200 --nice 0 --no-interactive-worker
 *
 * Texts are passages of the real 2k lyrics set when ../shared/datasets is there (read at run
 * time, chunked as ingest chunks them), else synthetic 50-word passages.
 */
import { createReadStream, existsSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { PoolEmbedder } from "../src/adapters/embedder/pool.js";
import { createUseLiteEmbedder, type UseLiteOptions } from "../src/adapters/embedder/use-lite.js";
import { readCatalogCsv } from "../src/core/catalog/csv.js";
import { defaultChunking, judgeLyrics, toPassages } from "../src/core/catalog/lyrics.js";
import { sharedDir } from "../src/paths.js";
import { readOptions } from "./command-line.js";

/** Adapter settings a measurement may vary; the adapter's defaults otherwise. */
export type EmbedderTuning = Pick<UseLiteOptions, "interactiveWorker" | "maxBatch" | "subBatch" | "bulkNice">;

export interface RawEmbeddingOptions extends EmbedderTuning {
  texts: string[];
  /** The embedder to measure (default: the built-in model with `threads` and the tuning). */
  start?: () => PoolEmbedder;
  threads: number;
  log: (line: string) => void;
  /** Texts per embed() call, as ingest sends them (default 64). */
  batch?: number;
}

/**
 * Texts per second through the adapter with bulk priority and every bulk worker busy: twice
 * as many calls in flight as workers, so none waits for the next. Start-up and warm-up are
 * not counted.
 */
export interface RawEmbeddingResult {
  textsPerSecond: number;
  wordsPerSecond: number;
  /** Share of the time the bulk workers were embedding (1 = never idle). */
  busyShare: number;
  /** Texts per CPU-second the bulk workers got, and how much of a core each got while busy (Linux). */
  textsPerCpuSecond: number | undefined;
  cpuShare: number | undefined;
}

export async function measureRawEmbedding(options: RawEmbeddingOptions): Promise<RawEmbeddingResult> {
  const { texts, threads, log } = options;
  const embedder = await startEmbedder(threads, options, log, options.start);
  try {
    // One batch per worker first: a worker's first batches run slower than the rest.
    await Promise.all(
      Array.from({ length: embedder.parallelism }, (_, i) =>
        embedder.embed(texts.slice(i * 16, i * 16 + 16)),
      ),
    );
    const before = bulkWork(embedder);
    const t0 = performance.now();
    await feed(embedder, texts, options.batch ?? 64, 2 * embedder.parallelism);
    const seconds = (performance.now() - t0) / 1000;
    const after = bulkWork(embedder);
    const textsPerSecond = texts.length / seconds;
    const wordsPerSecond = countWords(texts) / seconds;
    const busyMs = after.busyMs - before.busyMs;
    const cpuMs =
      after.cpuMs === undefined || before.cpuMs === undefined ? undefined : after.cpuMs - before.cpuMs;
    const busyShare = busyMs / (seconds * 1000 * embedder.parallelism);
    const textsPerCpuSecond = cpuMs ? (texts.length * 1000) / cpuMs : undefined;
    const cpuShare = cpuMs === undefined ? undefined : cpuMs / busyMs;
    log(
      `raw embedding, ${threads} worker${threads > 1 ? "s" : ""}: ${texts.length} texts in ${seconds.toFixed(1)} s = ` +
        `${textsPerSecond.toFixed(1)} texts/s, ${wordsPerSecond.toFixed(0)} words/s; workers busy ` +
        `${(busyShare * 100).toFixed(0)}% of the time` +
        (cpuShare === undefined || textsPerCpuSecond === undefined
          ? ""
          : `, getting ${(cpuShare * 100).toFixed(0)}% of a core each (${textsPerCpuSecond.toFixed(1)} texts per CPU-second)`),
    );
    return { textsPerSecond, wordsPerSecond, busyShare, textsPerCpuSecond, cpuShare };
  } finally {
    await embedder.close();
  }
}

export interface Percentiles {
  p50: number;
  p99: number;
  mean: number;
  samples: number;
}

export interface InteractiveLatencyOptions extends EmbedderTuning {
  threads: number;
  /** Passages that keep the bulk workers busy during the loaded phase. */
  bulkTexts: string[];
  /** Short prompts, asked one at a time (default: a built-in list). */
  prompts?: string[];
  /** Prompts timed per phase (default 60; more under load, until several bulk calls finished). */
  samples?: number;
  log: (line: string) => void;
}

export interface InteractiveLatency {
  /** Milliseconds for one single-prompt embed() with priority "interactive". */
  idle: Percentiles;
  underLoad: Percentiles;
  /** Bulk throughput while the prompts were being answered. */
  bulkTextsPerSecond: number;
}

/**
 * Latency of one short prompt at a time, as /api/ask embeds it: first with nothing else
 * running, then while bulk calls keep every bulk worker busy.
 */
export async function measureInteractiveLatency(
  options: InteractiveLatencyOptions,
): Promise<InteractiveLatency> {
  const { threads, bulkTexts, log } = options;
  const prompts = options.prompts ?? defaultPrompts;
  const samples = options.samples ?? 60;
  const embedder = await startEmbedder(threads, options, log);
  try {
    const ask = async (i: number) => {
      const t0 = performance.now();
      await embedder.embed([prompts[i % prompts.length]!], { priority: "interactive" });
      return performance.now() - t0;
    };
    for (let i = 0; i < 5; i++) await ask(i);
    const idle: number[] = [];
    for (let i = 0; i < samples; i++) {
      idle.push(await ask(i));
      await pause(i);
    }
    const idleStats = percentiles(idle);
    log(`prompt latency, idle: ${formatPercentiles(idleStats)}`);

    let stop = false;
    // When each bulk call finished and how many texts it carried.
    const completions: { at: number; texts: number }[] = [];
    const bulk = (async () => {
      const inFlight = new Set<Promise<void>>();
      for (let next = 0; !stop; next = (next + 64) % Math.max(1, bulkTexts.length - 64)) {
        const call = embedder
          .embed(bulkTexts.slice(next, next + 64), { priority: "bulk" })
          .then((v) => void completions.push({ at: performance.now(), texts: v.length }))
          .finally(() => inFlight.delete(call));
        inFlight.add(call);
        if (inFlight.size >= 2 * embedder.parallelism) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
    })();
    // Let every bulk worker get going before timing.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const t0 = performance.now();
    const loaded: number[] = [];
    // Until enough bulk calls have finished meanwhile for their rate to mean something.
    const finishedSince = () => completions.filter((c) => c.at >= t0);
    for (let i = 0; i < samples || finishedSince().length < 2 * embedder.parallelism + 1; i++) {
      loaded.push(await ask(i));
      await pause(i);
    }
    stop = true;
    // Texts finished after the first completion in the window, over the time they took.
    const [first, ...rest] = finishedSince();
    const last = rest.at(-1);
    const bulkTextsPerSecond =
      first && last ? (rest.reduce((sum, c) => sum + c.texts, 0) * 1000) / (last.at - first.at) : NaN;
    await bulk;
    const loadedStats = percentiles(loaded);
    log(
      `prompt latency, bulk load on ${threads} worker${threads > 1 ? "s" : ""}: ${formatPercentiles(loadedStats)}` +
        ` (bulk meanwhile ${bulkTextsPerSecond.toFixed(1)} texts/s)`,
    );
    return { idle: idleStats, underLoad: loadedStats, bulkTextsPerSecond };
  } finally {
    await embedder.close();
  }
}

/** Lyric passages of the shared 2k set, chunked as ingest does, in a fixed shuffled order. */
export async function loadLyricPassages(directory: string, limit: number): Promise<string[]> {
  const passages: string[] = [];
  const files = readdirSync(directory)
    .filter((f) => f.endsWith(".csv"))
    .sort();
  for (const file of files) {
    for await (const event of readCatalogCsv(createReadStream(path.join(directory, file)))) {
      if (event.kind !== "song") continue;
      const lyrics = judgeLyrics(event.song.lyrics);
      if (lyrics.status === "ok") passages.push(...toPassages(lyrics.text, defaultChunking));
    }
  }
  return shuffle(passages, 7).slice(0, limit);
}

/** Stand-ins of the usual passage length when the real lyrics are not at hand. */
export function syntheticPassages(count: number, words = 50): string[] {
  const vocabulary = (
    "love heart night light road home rain fire dance river ocean city summer winter dream tears " +
    "mother father friend money work train sky morning goodbye forever tonight alone together " +
    "the a and of in on my your we you I to is was will never always again with without"
  ).split(" ");
  let seed = 42;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  return Array.from({ length: count }, () =>
    Array.from({ length: words }, () => vocabulary[Math.floor(random() * vocabulary.length)]).join(" "),
  );
}

const defaultPrompts = [
  "songs about the ocean",
  "heartbreak in the rain",
  "a road trip with friends",
  "missing my mother",
  "dancing all night",
  "leaving home for the city",
  "faith in hard times",
  "summer love",
  "protest against injustice",
  "canciones de amor y desamor",
];

async function startEmbedder(
  threads: number,
  tuning: EmbedderTuning,
  log: (line: string) => void,
  start = () => createUseLiteEmbedder({ threads, ...tuning }),
) {
  const embedder: PoolEmbedder = start();
  await embedder.ready();
  const stats = embedder.stats();
  const starts = stats.workers.map((w) => `${w.lane} ${w.startMs?.toFixed(0)} ms`).join(", ");
  log(`embedder started in ${stats.startupMs?.toFixed(0)} ms (${starts})`);
  return embedder;
}

/** Embedding time and CPU time of the bulk workers so far. */
function bulkWork(embedder: PoolEmbedder) {
  const bulk = embedder.stats().workers.filter((w) => w.lane === "bulk");
  const cpu = bulk.map((w) => w.cpuMs);
  return {
    busyMs: bulk.reduce((sum, w) => sum + w.busyMs, 0),
    cpuMs: cpu.every((ms) => ms !== undefined) ? cpu.reduce((sum, ms) => sum + ms, 0) : undefined,
  };
}

/** Embeds all texts in calls of `batch`, keeping `inFlight` calls outstanding. */
async function feed(embedder: PoolEmbedder, texts: string[], batch: number, inFlight: number) {
  let next = 0;
  const lane = async () => {
    while (next < texts.length) {
      const start = next;
      next += batch;
      await embedder.embed(texts.slice(start, start + batch), { priority: "bulk" });
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
}

/** Prompts arrive at irregular moments, not in lockstep with bulk batches. */
const pause = (i: number) => new Promise((resolve) => setTimeout(resolve, 10 + ((i * 37) % 50)));

const countWords = (texts: string[]) =>
  texts.reduce((sum, t) => sum + t.split(/\s+/).filter(Boolean).length, 0);

export function percentiles(values: number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  const mean = sorted.reduce((sum, v) => sum + v, 0) / sorted.length;
  return { p50: at(0.5), p99: at(0.99), mean, samples: sorted.length };
}

const formatPercentiles = (p: Percentiles) =>
  `p50 ${p.p50.toFixed(1)} ms, p99 ${p.p99.toFixed(1)} ms, mean ${p.mean.toFixed(1)} ms (${p.samples} prompts)`;

function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  const random = () => (s = (s * 16807) % 2147483647) / 2147483647;
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;

async function main(): Promise<void> {
  const { values } = readOptions("npx tsx bench/embedder.ts", {
    options: {
      threads: { type: "string" },
      texts: { type: "string", default: "512" },
      rounds: { type: "string", default: "1" },
      samples: { type: "string", default: "60" },
      csv: { type: "string", default: path.join(sharedDir, "datasets", "spotify-songs-lyrics-2k") },
      "sub-batch": { type: "string" },
      "max-batch": { type: "string" },
      nice: { type: "string" },
      "no-interactive-worker": { type: "boolean", default: false },
      "skip-raw": { type: "boolean", default: false },
      "skip-latency": { type: "boolean", default: false },
    },
  });
  const log = (line: string) => console.log(line);
  const cores = os.availableParallelism();
  const threads = values.threads ? Number(values.threads) : cores;
  const count = Number(values.texts);
  const tuning: EmbedderTuning = {
    ...(values["sub-batch"] ? { subBatch: Number(values["sub-batch"]) } : {}),
    ...(values["max-batch"] ? { maxBatch: Number(values["max-batch"]) } : {}),
    ...(values.nice ? { bulkNice: Number(values.nice) } : {}),
    ...(values["no-interactive-worker"] ? { interactiveWorker: false } : {}),
  };

  const texts = existsSync(values.csv)
    ? await loadLyricPassages(values.csv, count)
    : syntheticPassages(count);
  const source = existsSync(values.csv) ? `lyric passages from ${values.csv}` : "synthetic passages";
  log(`${texts.length} ${source}, ${(countWords(texts) / texts.length).toFixed(1)} words each on average`);
  log(`${cores} cores, load average ${os.loadavg()[0]!.toFixed(2)}; tuning ${JSON.stringify(tuning)}`);

  if (!values["skip-raw"]) {
    const counts = [...new Set([1, threads])];
    for (const n of counts) {
      const runs: number[] = [];
      for (let round = 0; round < Number(values.rounds); round++) {
        runs.push((await measureRawEmbedding({ texts, threads: n, log, ...tuning })).textsPerSecond);
      }
      if (runs.length > 1)
        log(`  median of ${runs.length} rounds: ${median(runs).toFixed(1)} texts/s with ${n} worker(s)`);
    }
  }
  if (!values["skip-latency"]) {
    await measureInteractiveLatency({
      threads,
      bulkTexts: texts,
      samples: Number(values.samples),
      log,
      ...tuning,
    });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
