/**
 * `npm run bench -- --only scale --passages 1000000 [--quantization f32,f16,i8]`: a catalog of
 * that many passages built and served by the shipped code, measured in one run (issue #21).
 *
 * `verso serve` runs as a child process in the embedded mode (SQLite, usearch, the folder
 * bucket, the SQL queue), with a stand-in embedder in another process (scale-embedder.ts:
 * clustered 512-d vectors, so the model's speed does not bound the run). The songs' lyrics are
 * runs of real lines of the 2k set (scale-catalog.ts). In order:
 *  1. ingest of the catalog, timed;
 *  2. a restart: seconds until /readyz answers 200 and an ask answers with songs;
 *  3. idle asks over HTTP, each prompt new (uncached), without and with a language filter; the
 *     server's resident memory after them; GET /api/catalog/status;
 *  4. every object rewritten with new lyrics, and while that re-ingest runs /healthz every
 *     50 ms and an ask every 500 ms, each timed on its own (a stalled server delays them all);
 *  5. with the server stopped, the index it saved opened here with the served settings, and its
 *     top 10 compared with exact search over the stored vectors, for 100 prompts.
 * Each further quantization restarts on the same data (the index is rebuilt, timed), restarts
 * again (ready from its snapshot) and repeats 2, 3 and 5.
 *
 * The figures go to bench-results/scale.json, keyed by passage count so that runs at several
 * sizes add up, and docs/images/scale.png plots them (scale-plot.ts).
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { MetricKind, exactSearch, type BatchMatches } from "usearch";
import { composeVerso } from "../src/compose/index.js";
import { loadConfig } from "../src/config.js";
import { packageRoot, sharedDir } from "../src/paths.js";
import { percentiles } from "./embedder.js";
import { benchPrompts } from "./prompts.js";
import { loadFragments, writeCatalog, type Fragments } from "./scale-catalog.js";
import { renderScalePlot } from "./scale-plot.js";
import { clustersFor, scaleModel, textVectors } from "./scale-vectors.js";

type Log = (line: string) => void;

export const scaleQuantizations = ["f32", "f16", "i8"] as const;
export type ScaleQuantization = (typeof scaleQuantizations)[number];

/** The figures issue #21 asks for, at one size and quantization. */
export interface ScaleFigures {
  passages: number;
  songs: number;
  quantization: ScaleQuantization;
  rssMiB: number;
  readySeconds: number;
  askP50Ms: number;
  askP99Ms: number;
  askFilteredP50Ms: number;
  askFilteredP99Ms: number;
  recallAt10: number;
  statusP50Ms: number;
  /** Only for the first quantization of a run, which ingests. */
  ingestSeconds: number | null;
  reingestSeconds: number | null;
  /** Set when the probes stopped this many seconds into the re-ingest, before it ended. */
  reingestWindowSeconds?: number;
  healthzP99MsDuringIngest: number | null;
  healthzMaxMsDuringIngest: number | null;
  askP99MsDuringIngest: number | null;
  askP50MsDuringIngest: number | null;
  peakRssMiB: number | null;
  /** Start-up that rebuilt the index for a quantization other than the one it was saved with. */
  rebuildSeconds: number | null;
}

export interface ScaleEntry extends ScaleFigures {
  measuredAt: string;
  machine: string;
  /** The other quantizations, measured on the same catalog. */
  byQuantization?: Record<string, ScaleFigures>;
}

const resultsFile = path.join(packageRoot, "bench-results", "scale.json");
const plotFile = path.join(packageRoot, "docs", "images", "scale.png");
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const songsPerObject = 10_000;
const idleAsks = 300;

/** Distinct prompts, so that no answer comes from the cache: the bench's, then pairs of them. */
function promptAt(i: number): string {
  const n = benchPrompts.length;
  if (i < n) return benchPrompts[i]!;
  return `${benchPrompts[i % n]!} and ${benchPrompts[Math.floor(i / n) % n]!}`;
}

function scriptPath(name: string): { args: string[] } {
  const self = fileURLToPath(import.meta.url);
  const script = path.join(path.dirname(self), `${name}${path.extname(self)}`);
  return { args: script.endsWith(".ts") ? ["--import", "tsx", script] : [script] };
}

async function startEmbedder(clusters: number): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [...scriptPath("scale-embedder").args, String(clusters)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const first = await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next();
  if (first.done) throw new Error("the stand-in embedder did not start");
  return { url: `http://127.0.0.1:${Number(first.value)}`, child };
}

interface Server {
  child: ChildProcess;
  base: string;
  errors: string[];
  exited: () => string | null;
}

function startServer(options: {
  dataDir: string;
  port: number;
  embedder: string;
  quantization: ScaleQuantization;
}): Server {
  // The machine's own VERSO_* settings would make this another deployment than the one measured.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("VERSO_")));
  const child = spawn(process.execPath, ["bin/verso.js", "serve"], {
    cwd: packageRoot,
    env: {
      ...env,
      VERSO_DATA_DIR: options.dataDir,
      VERSO_PORT: String(options.port),
      VERSO_HOST: "127.0.0.1",
      VERSO_EMBEDDER: options.embedder,
      VERSO_VECTOR_QUANTIZATION: options.quantization,
      VERSO_DEMO: "false",
      // One client sends far more than a person would: the bench measures the server, not its limits.
      VERSO_RATE_LIMIT_FACTOR: "0",
      // Every 5 s, so that a rewritten object is picked up at once.
      VERSO_CRAWL_SCHEDULE: "*/5 * * * * *",
      VERSO_LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // At warn level the server says little; its last lines tell why it stopped, if it does.
  const errors: string[] = [];
  const keep = (line: string) => {
    if (errors.push(line) > 40) errors.shift();
  };
  createInterface({ input: child.stdout! }).on("line", keep);
  createInterface({ input: child.stderr! }).on("line", keep);
  let exit: string | null = null;
  child.on("exit", (code, signal) => (exit = signal ?? `code ${code}`));
  return { child, base: `http://127.0.0.1:${options.port}`, errors, exited: () => exit };
}

async function stopServer(server: Server): Promise<number> {
  const began = performance.now();
  if (server.exited() === null) {
    const exited = new Promise((resolve) => server.child.once("exit", resolve));
    server.child.kill("SIGTERM");
    await exited;
  }
  return (performance.now() - began) / 1000;
}

function memoryMiB(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(status)?.[1] ?? NaN);
  return { rss: kib("VmRSS") / 1024, peak: kib("VmHWM") / 1024 };
}

/** Milliseconds of one request, failing on an answer that is not 2xx. */
async function timed(url: string, init?: RequestInit): Promise<{ ms: number; body: string }> {
  const began = performance.now();
  const response = await fetch(url, init);
  const body = await response.text();
  const ms = performance.now() - began;
  if (!response.ok)
    throw new Error(`${init?.method ?? "GET"} ${url}: ${response.status} ${body.slice(0, 300)}`);
  return { ms, body };
}

async function ask(server: Server, prompt: string, filters?: Record<string, unknown>) {
  const { ms, body } = await timed(`${server.base}/api/ask`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ prompt, ...(filters ? { filters } : {}) }),
  });
  const answer = JSON.parse(body) as { cached: boolean; results: unknown[] };
  if (answer.cached) throw new Error(`"${prompt}" was answered from the cache`);
  return { ms, results: answer.results.length };
}

interface CatalogStatus {
  catalogVersion: number;
  songs: number;
  passages: number;
  objects: { queued: number; processing: number; done: number; failed: number };
}

async function catalogStatus(server: Server): Promise<CatalogStatus> {
  return JSON.parse((await timed(`${server.base}/api/catalog/status`)).body) as CatalogStatus;
}

/** Until every object is ingested; `began` once the crawler has taken the new generation. */
async function waitForIngest(server: Server, log: Log, options: { objects: number; since?: number }) {
  const began = performance.now();
  let seenWork = options.since === undefined;
  let lastLog = 0;
  for (;;) {
    const exit = server.exited();
    if (exit !== null) throw new Error(`the server exited (${exit}):\n${server.errors.join("\n")}`);
    const status = await catalogStatus(server).catch(() => null);
    if (status) {
      const busy = status.objects.queued + status.objects.processing;
      if (busy > 0 || (options.since !== undefined && status.catalogVersion > options.since)) seenWork = true;
      if (status.objects.failed > 0) throw new Error(`${status.objects.failed} objects failed to ingest`);
      if (seenWork && busy === 0 && status.objects.done >= options.objects) {
        return { seconds: (performance.now() - began) / 1000, status };
      }
      if (performance.now() - lastLog > 30_000) {
        lastLog = performance.now();
        log(
          `  … ${((performance.now() - began) / 1000).toFixed(0)} s: ${status.passages} passages, ` +
            `${status.objects.done} objects done, ${busy} to go`,
        );
      }
    }
    await sleep(5000);
  }
}

/** Seconds from the process's start until it is ready and an ask answers with songs. */
async function startAndTime(options: Parameters<typeof startServer>[0], prompt: string) {
  const began = performance.now();
  const server = startServer(options);
  for (;;) {
    const exit = server.exited();
    if (exit !== null) throw new Error(`the server exited (${exit}):\n${server.errors.join("\n")}`);
    const ready = await fetch(`${server.base}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready && (await ask(server, prompt).catch(() => ({ results: 0 }))).results > 0) break;
    await sleep(100);
  }
  return { server, seconds: (performance.now() - began) / 1000 };
}

async function idleFigures(server: Server, firstPrompt: number) {
  let next = firstPrompt;
  for (let i = 0; i < 20; i++) await ask(server, promptAt(next++));
  const plain: number[] = [];
  const filtered: number[] = [];
  for (let i = 0; i < idleAsks; i++) {
    plain.push((await ask(server, promptAt(next++))).ms);
    filtered.push((await ask(server, promptAt(next++), { language: "es" })).ms);
  }
  const status: number[] = [];
  for (let i = 0; i < 50; i++) status.push((await timed(`${server.base}/api/catalog/status`)).ms);
  return { plain: percentiles(plain), filtered: percentiles(filtered), status: percentiles(status), next };
}

const askPhaseNames = ["embed", "lexical", "index", "total"] as const;
type AskPhaseTotals = Record<(typeof askPhaseNames)[number], { seconds: number; count: number }>;

/** The server's own account of where asks spent their time so far (verso_ask_duration_seconds). */
async function askPhaseTotals(server: Server): Promise<AskPhaseTotals> {
  const text = (await timed(`${server.base}/metrics`)).body;
  const read = (phase: string, suffix: string) =>
    Number(
      new RegExp(`^verso_ask_duration_seconds_${suffix}\\{phase="${phase}"\\} (\\S+)$`, "m").exec(
        text,
      )?.[1] ?? 0,
    );
  return Object.fromEntries(
    askPhaseNames.map((phase) => [phase, { seconds: read(phase, "sum"), count: read(phase, "count") }]),
  ) as AskPhaseTotals;
}

/** Mean milliseconds of each phase over the asks between two readings, as one line. */
function askPhaseMeans(before: AskPhaseTotals, after: AskPhaseTotals): string {
  return askPhaseNames
    .map((phase) => {
      const count = after[phase].count - before[phase].count;
      const ms = count > 0 ? ((after[phase].seconds - before[phase].seconds) * 1000) / count : NaN;
      return `${phase} ${ms.toFixed(1)}`;
    })
    .join(", ");
}

/** /healthz every 50 ms and an ask every 500 ms, each on its own timer, until stopped. */
/** What failed, with the cause fetch hides behind "fetch failed" (a reset connection, a timeout). */
const failureOf = (error: unknown): string => {
  const cause =
    error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  return cause ? `${String(error)} (${cause.code ?? ""} ${cause.message ?? ""})` : String(error);
};

function probeDuring(server: Server, firstPrompt: number) {
  const healthz: number[] = [];
  const asks: number[] = [];
  const failures: string[] = [];
  let next = firstPrompt;
  const pending = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };
  const health = setInterval(
    () =>
      track(
        timed(`${server.base}/healthz`).then(
          ({ ms }) => void healthz.push(ms),
          (error: unknown) => void failures.push(failureOf(error)),
        ),
      ),
    50,
  );
  const asking = setInterval(
    () =>
      track(
        ask(server, promptAt(next++)).then(
          ({ ms }) => void asks.push(ms),
          (error: unknown) => void failures.push(failureOf(error)),
        ),
      ),
    500,
  );
  return async () => {
    clearInterval(health);
    clearInterval(asking);
    await Promise.all(pending);
    return { healthz, asks, failures };
  };
}

/** HNSW (the served index, opened from the data folder) against exact search on the stored vectors. */
async function measureRecall(
  dataDir: string,
  embedder: string,
  quantization: ScaleQuantization,
  clusters: number,
  log: Log,
) {
  const config = loadConfig(
    {},
    { dataDir, demo: false, logLevel: "warn", embedder, vectorQuantization: quantization },
  );
  const verso = composeVerso(config);
  try {
    const index = await verso.index();
    const stores = await verso.catalogStores();
    const ids: number[] = [];
    const chunks: Float32Array[] = [];
    for await (const batch of stores.changeLog.streamPassageVectors(scaleModel.name, 10_000)) {
      const chunk = new Float32Array(batch.length * scaleModel.dimension);
      batch.forEach((entry, i) => {
        ids.push(entry.id);
        chunk.set(entry.vector, i * scaleModel.dimension);
      });
      chunks.push(chunk);
    }
    const dataset = new Float32Array(ids.length * scaleModel.dimension);
    let offset = 0;
    for (const chunk of chunks.splice(0)) {
      dataset.set(chunk, offset);
      offset += chunk.length;
    }
    const vectorOf = textVectors(clusters);
    const queries = Array.from({ length: 100 }, (_, i) => vectorOf(promptAt(i)));
    const packed = new Float32Array(queries.length * scaleModel.dimension);
    queries.forEach((q, i) => packed.set(q, i * scaleModel.dimension));
    const began = performance.now();
    const exact = exactSearch(dataset, packed, scaleModel.dimension, 10, MetricKind.Cos) as BatchMatches;
    const exactMs = performance.now() - began;
    let found = 0;
    for (const [q, query] of queries.entries()) {
      const truth = new Set(Array.from(exact.get(q).keys, (row) => ids[Number(row)]!));
      const hits = await index.search(query, 10);
      found += hits.filter((hit) => truth.has(hit.id)).length;
    }
    const recall = found / (queries.length * 10);
    log(
      `  recall@10 ${recall.toFixed(4)} (${quantization}) over ${queries.length} prompts, ${ids.length} stored vectors; ` +
        `exact search ${(exactMs / queries.length).toFixed(0)} ms a query`,
    );
    return recall;
  } finally {
    await verso.close();
  }
}

async function freePort(): Promise<number> {
  const net = await import("node:net");
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

async function benchOneSize(
  passages: number,
  quantizations: ScaleQuantization[],
  fragments: Fragments,
  log: Log,
  window: number | undefined,
): Promise<ScaleEntry> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "verso-bench-scale-"));
  const dataDir = path.join(root, "data");
  const staging = path.join(root, "staging");
  const bucket = path.join(dataDir, "bucket");
  const embedder = await startEmbedder(clustersFor(passages));
  let server: Server | undefined;
  try {
    log(`\n── scale: ${passages} passages ──`);
    let began = performance.now();
    const first = writeCatalog({
      fragments,
      passages,
      perObject: songsPerObject,
      generation: 0,
      staging,
      bucket,
    });
    first.publish();
    log(
      `catalog: ${first.songs} songs, ${first.passages} passages in ${first.objects.length} objects, ` +
        `written in ${((performance.now() - began) / 1000).toFixed(1)} s`,
    );
    const port = await freePort();
    const settings = { dataDir, port, embedder: embedder.url };
    server = startServer({ ...settings, quantization: quantizations[0]! });
    const ingest = await waitForIngest(server, log, { objects: first.objects.length });
    log(
      `ingest: ${ingest.status.passages} passages in ${ingest.seconds.toFixed(0)} s = ` +
        `${(ingest.status.passages / ingest.seconds).toFixed(0)} passages/s`,
    );
    let prompt = 1000;
    const all: ScaleFigures[] = [];
    for (const [n, quantization] of quantizations.entries()) {
      let rebuildSeconds: number | null = null;
      if (n > 0) {
        // Another quantization: the first start rebuilds the index, the second loads its snapshot.
        const rebuilt = await startAndTime({ ...settings, quantization }, promptAt(prompt++));
        rebuildSeconds = rebuilt.seconds;
        await stopServer(rebuilt.server);
        log(`${quantization}: start-up with an index rebuild ${rebuildSeconds.toFixed(1)} s`);
      }
      const stopSeconds = await stopServer(server);
      const restarted = await startAndTime({ ...settings, quantization }, promptAt(prompt++));
      server = restarted.server;
      log(
        `${quantization}: stopped in ${stopSeconds.toFixed(1)} s; ready and answering ${restarted.seconds.toFixed(1)} s after start`,
      );
      const idlePhasesBefore = await askPhaseTotals(server);
      const idle = await idleFigures(server, prompt);
      prompt = idle.next;
      const idlePhases = askPhaseMeans(idlePhasesBefore, await askPhaseTotals(server));
      const memory = memoryMiB(server.child.pid!);
      log(
        `  ask p50 ${idle.plain.p50.toFixed(1)} ms, p99 ${idle.plain.p99.toFixed(1)} ms; language=es p50 ` +
          `${idle.filtered.p50.toFixed(1)} ms, p99 ${idle.filtered.p99.toFixed(1)} ms (${idleAsks} prompts each); ` +
          `status p50 ${idle.status.p50.toFixed(1)} ms; RSS ${memory.rss.toFixed(0)} MiB`,
      );
      log(`  mean ms of an ask's phases, idle: ${idlePhases}`);
      let during: Partial<ScaleFigures> = {};
      if (n === 0) {
        const version = (await catalogStatus(server)).catalogVersion;
        // Written before the probes start: writing a million passages holds this process's
        // event loop for seconds, which would count against the server's answers.
        const second = writeCatalog({
          fragments,
          passages,
          perObject: songsPerObject,
          generation: 1,
          staging,
          bucket,
        });
        const phasesBefore = await askPhaseTotals(server);
        const stop = probeDuring(server, prompt);
        began = performance.now();
        second.publish();
        const reingest = await Promise.race([
          waitForIngest(server, log, { objects: second.objects.length, since: version }),
          ...(window === undefined ? [] : [sleep(window * 1000).then(() => null)]),
        ]);
        const probes = await stop();
        const phasesDuring = askPhaseMeans(phasesBefore, await askPhaseTotals(server));
        prompt += probes.asks.length + probes.failures.length + 10;
        const reingestSeconds = (performance.now() - began) / 1000;
        const h = percentiles(probes.healthz);
        const a = percentiles(probes.asks);
        const peak = memoryMiB(server.child.pid!).peak;
        log(
          (reingest
            ? `  re-ingest of every object: ${reingest.status.passages} passages in ${reingestSeconds.toFixed(0)} s; `
            : `  the first ${window} s of a re-ingest of every object: `) +
            `meanwhile /healthz p99 ${h.p99.toFixed(1)} ms (max ${Math.max(...probes.healthz).toFixed(0)} ms, ` +
            `${h.samples} probes), ask p50 ${a.p50.toFixed(1)} ms p99 ${a.p99.toFixed(1)} ms (${a.samples} asks); ` +
            `${probes.failures.length} failed; peak RSS ${peak.toFixed(0)} MiB`,
        );
        log(`  mean ms of an ask's phases during the re-ingest: ${phasesDuring}`);
        for (const failure of probes.failures.slice(0, 3)) log(`    ${failure}`);
        during = {
          ingestSeconds: round(ingest.seconds),
          reingestSeconds: reingest ? round(reingestSeconds) : null,
          ...(reingest ? {} : { reingestWindowSeconds: window }),
          healthzP99MsDuringIngest: round(h.p99),
          healthzMaxMsDuringIngest: round(Math.max(...probes.healthz)),
          askP50MsDuringIngest: round(a.p50),
          askP99MsDuringIngest: round(a.p99),
          peakRssMiB: Math.round(peak),
        };
      }
      const status = await catalogStatus(server);
      await stopServer(server);
      const recall = await measureRecall(dataDir, embedder.url, quantization, clustersFor(passages), log);
      all.push({
        passages: status.passages,
        songs: status.songs,
        quantization,
        rssMiB: Math.round(memory.rss),
        readySeconds: round(restarted.seconds),
        askP50Ms: round(idle.plain.p50),
        askP99Ms: round(idle.plain.p99),
        askFilteredP50Ms: round(idle.filtered.p50),
        askFilteredP99Ms: round(idle.filtered.p99),
        recallAt10: round(recall, 4),
        statusP50Ms: round(idle.status.p50, 2),
        ingestSeconds: null,
        reingestSeconds: null,
        healthzP99MsDuringIngest: null,
        healthzMaxMsDuringIngest: null,
        askP99MsDuringIngest: null,
        askP50MsDuringIngest: null,
        peakRssMiB: null,
        rebuildSeconds: rebuildSeconds === null ? null : round(rebuildSeconds),
        ...during,
      });
    }
    const [main, ...others] = all;
    return {
      ...main!,
      measuredAt: new Date().toISOString(),
      machine: `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, load ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")} at the end, node ${process.version}`,
      ...(others.length > 0
        ? { byQuantization: Object.fromEntries(others.map((o) => [o.quantization, o])) }
        : {}),
    };
  } finally {
    if (server) await stopServer(server);
    embedder.child.kill("SIGTERM");
    fs.rmSync(root, { recursive: true, force: true });
  }
}

export async function benchScale(
  log: Log,
  options: { passages: number[]; quantizations: ScaleQuantization[]; reingestSeconds?: number },
): Promise<[string, string][]> {
  const fragments = await loadFragments(path.join(sharedDir, "datasets", "spotify-songs-lyrics-2k"));
  const summary: [string, string][] = [];
  for (const passages of options.passages) {
    const entry = await benchOneSize(
      passages,
      options.quantizations,
      fragments,
      log,
      options.reingestSeconds,
    );
    const results = fs.existsSync(resultsFile)
      ? (JSON.parse(fs.readFileSync(resultsFile, "utf8")) as Record<string, ScaleEntry>)
      : {};
    results[String(passages)] = entry;
    fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
    fs.writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
    await renderScalePlot(results, plotFile);
    for (const figures of [entry, ...Object.values(entry.byQuantization ?? {})]) {
      summary.push([
        `scale ${passages} (${figures.quantization})`,
        `RSS ${figures.rssMiB} MiB · ready ${figures.readySeconds} s · ask p50 ${figures.askP50Ms} / p99 ` +
          `${figures.askP99Ms} ms · filtered p50 ${figures.askFilteredP50Ms} ms · recall@10 ${figures.recallAt10} · ` +
          `status p50 ${figures.statusP50Ms} ms` +
          (figures.healthzP99MsDuringIngest === null
            ? ""
            : ` · during ingest: healthz p99 ${figures.healthzP99MsDuringIngest} ms, ask p99 ${figures.askP99MsDuringIngest} ms`),
      ]);
    }
    log(`wrote ${path.relative(packageRoot, resultsFile)} and ${path.relative(packageRoot, plotFile)}`);
  }
  return summary;
}
