/**
 * `npm run bench`: every figure side by side in one run, so that the shared machine's noise
 * hits ours and the baseline alike.
 *
 *   npm run bench [-- --only pipeline,ask,recall,social --dataset <folder> --raw-sample 1500]
 *
 * pipeline  raw embedding throughput (the model alone, all cores) against the whole ingest
 *           pipeline (bucket → queue → parse → embed → SQL → index) on the 2k Spotify set; the
 *           raw rate is measured before and after the pipeline on a uniform sample of the same
 *           passages, and the ratio uses their mean
 * ask       POST /api/ask over real HTTP, p50/p99 uncached and cached, against the time of its
 *           two unavoidable parts measured alone: embedding the prompt and searching the index
 * reuse     the same files ingested again from a second path: passages reused vs embedded
 *           (0 embedded is the target; reuse.ts)
 * recall    recall@10 of the HNSW index against exact search on the catalog's real passage
 *           vectors, with the prompts' vectors as queries, and queries/s of both
 * social    10,000 users, 100,000 prompts, 200,000 follows: feed, prompt search, login, on
 *           each SQL dialect side by side (--dialects sqlite,mariadb,postgres)
 * caches, remote-embedder   the scale-out engines against their embedded twins (engines.ts)
 * embedder  passages/s of each in-process model at hand, side by side (embedder-models.ts;
 *           --onnx-model <folder> adds one); not in the default list
 * library   a music folder: files/s of a scan with and without lyrics (tags only, no embedding),
 *           and a re-scan of an unchanged library of --library-tracks tracks (10,000; library.ts);
 *           not in the default list
 * full-text  SQLite's full-text query of an ask over --full-text-songs songs (95000: the lyrics
 *           of about a million passages), against the query it replaced, side by side, and
 *           whether both answer the same (full-text.ts); not in the default list
 * scaled-out  ingest songs/s of the roles as separate processes on MariaDB, RabbitMQ, S3 and
 *           Memcached, one worker against two (scaled-out.ts); not in the default list
 * load      mixed traffic at saturation against a `verso serve` child process with its default
 *           limits on, for --load-seconds (120 by default; load.ts); not in the default list,
 *           since it takes minutes
 * scale     a catalog of --passages passages (100000 by default; several, comma separated) served
 *           by a `verso serve` child process: memory, start-up, asks idle and during a whole
 *           re-ingest (or its first --reingest-seconds), recall, for each --quantization (f32 by
 *           default; scale.ts); not in the default list, since it takes minutes
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { composeVerso, type Verso } from "../src/compose/index.js";
import { readCatalogCsv } from "../src/core/catalog/csv.js";
import { judgeLyrics, toPassages } from "../src/core/catalog/lyrics.js";
import type { SongFilter } from "../src/core/catalog/song-filter.js";
import { tuningForModel } from "../src/core/search/tuning.js";
import { loadConfig } from "../src/config.js";
import { sharedDir } from "../src/paths.js";
import { buildProcessApp } from "../src/roles/server.js";
import { ingestOnce } from "../src/roles/ingest-once.js";
import { benchReuse } from "./reuse.js";
import {
  loadLyricPassages,
  measureRawEmbedding,
  percentiles,
  syntheticPassages,
  type Percentiles,
} from "./embedder.js";
import { benchEmbedderModels } from "./embedder-models.js";
import { benchPrompts } from "./prompts.js";
import type { SqlDialect } from "../src/adapters/sql/database.js";
import { benchCaches, benchRemoteEmbedder } from "./engines.js";
import { benchFullText } from "./full-text.js";
import { benchLibrary } from "./library.js";
import { benchLoad } from "./load.js";
import { benchScaledOut } from "./scaled-out.js";
import { benchScale, scaleQuantizations, type ScaleQuantization } from "./scale.js";
import { runSocialBench } from "./social.js";
import { measureRecall } from "./vectors.js";
import { readOptions } from "./command-line.js";

const log = (line: string) => console.log(line);
const ms = (p: Percentiles) => `p50 ${p.p50.toFixed(1)} ms · p99 ${p.p99.toFixed(1)} ms`;
const summary: [string, string][] = [];

/** Every n-th passage the pipeline will embed: a uniform sample of its work. */
async function samplePassages(dataset: string, count: number): Promise<string[]> {
  const all: string[] = [];
  for (const file of fs.readdirSync(dataset).filter((f) => f.endsWith(".csv"))) {
    for await (const event of readCatalogCsv(fs.createReadStream(path.join(dataset, file)))) {
      if (event.kind !== "song") continue;
      const lyrics = judgeLyrics(event.song.lyrics);
      if (lyrics.status === "ok") all.push(...toPassages(lyrics.text));
    }
  }
  const step = Math.max(1, all.length / count);
  return Array.from({ length: Math.min(count, all.length) }, (_, i) => all[Math.floor(i * step)]!);
}

async function pipeline(verso: Verso, dataset: string, rawSample: number, threads: number) {
  log(`\n── embedding: raw model vs the whole ingest pipeline (${threads} threads) ──`);
  const sample = await samplePassages(dataset, rawSample);
  const before = await measureRawEmbedding({ texts: sample, threads, log });

  const run = await ingestOnce(verso, `file://${path.resolve(dataset)}`);
  const passages = run.objects.reduce((s, o) => s + o.passages, 0);
  const songs = run.objects.reduce((s, o) => s + o.songs, 0);
  const pipelineRate = passages / (run.ms / 1000);
  log(
    `pipeline: ${songs} songs, ${passages} passages in ${(run.ms / 1000).toFixed(1)} s = ` +
      `${pipelineRate.toFixed(1)} passages/s, ${(songs / (run.ms / 1000)).toFixed(2)} songs/s`,
  );

  const after = await measureRawEmbedding({ texts: sample, threads, log });
  const raw = (before.textsPerSecond + after.textsPerSecond) / 2;
  const ratio = pipelineRate / raw;
  log(`raw mean ${raw.toFixed(1)} passages/s; pipeline / raw = ${(ratio * 100).toFixed(1)}% (target ≥ 90%)`);
  summary.push([
    "raw embedding (before / after)",
    `${before.textsPerSecond.toFixed(1)} / ${after.textsPerSecond.toFixed(1)} passages/s`,
  ]);
  summary.push([
    "ingest pipeline",
    `${pipelineRate.toFixed(1)} passages/s (${(ratio * 100).toFixed(1)}% of raw)`,
  ]);
}

/**
 * A client in a process of its own, so its work does not slow the server down; it stays up for
 * the whole measurement, warm like a real client, and answers one line per prompt sent.
 */
function startAskClient(url: string) {
  const script = fileURLToPath(
    new URL(`./ask-client${path.extname(fileURLToPath(import.meta.url))}`, import.meta.url),
  );
  const loader = script.endsWith(".ts") ? ["--import", "tsx"] : [];
  const child = spawn(process.execPath, [...loader, script, url], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async ask(prompts: string[]): Promise<{ ms: number; cached: boolean }[]> {
      const answers = [];
      for (const prompt of prompts) {
        child.stdin.write(`${prompt}\n`);
        const line = await lines.next();
        if (line.done) throw new Error("the ask client stopped");
        answers.push(JSON.parse(line.value) as { ms: number; cached: boolean });
      }
      return answers;
    },
    stop: () => child.stdin.end(),
  };
}

/** Filters people would set: common, selective, and both at once. */
const benchFilters: { name: string; filter?: SongFilter }[] = [
  { name: "no filter" },
  { name: "language en", filter: { language: "en" } },
  { name: "language es", filter: { language: "es" } },
  { name: "genre pop, released 2010 or later", filter: { genre: "pop", year: { min: 2010 } } },
];

async function ask(verso: Verso) {
  log("\n── /api/ask over HTTP, from a client process ──");
  const app = await buildProcessApp(verso, new Set(["api"]));
  // The server's own time for each answer, as its request metrics see it.
  const serverSide = { uncached: [] as number[], cached: [] as number[] };
  app.addHook("onSend", async (request, reply, payload) => {
    if (request.url === "/api/ask" && typeof payload === "string") {
      serverSide[payload.includes('"cached":true') ? "cached" : "uncached"].push(reply.elapsedTime);
    }
    return payload;
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/api/ask`;
  const client = startAskClient(url);
  const candidates = tuningForModel(
    (await verso.embedder()).model.name,
    (await verso.songStore()).fullTextIndex,
  ).passageCandidates;
  try {
    await client.ask(Array.from({ length: 20 }, (_, i) => `warming up the path, round ${i}`));
    for (const { name, filter } of benchFilters) {
      const uncached: number[] = [];
      const cached: number[] = [];
      const embed: number[] = [];
      const search: number[] = [];
      const serverFrom = serverSide.uncached.length;
      // Every prompt unfiltered; a third of them under each filter (a filter is part of the
      // cache key, so the same prompt under another filter is a new answer).
      const prompts = filter ? benchPrompts.filter((_, i) => i % 3 === 0) : benchPrompts;
      // Prompt by prompt, the parts alone and then the whole, so the machine's moods touch both.
      for (const prompt of prompts) {
        const text = prompt;
        let t0 = performance.now();
        const [vector] = await (await verso.embedder()).embed([text], { priority: "interactive" });
        embed.push(performance.now() - t0);
        t0 = performance.now();
        await (await verso.index()).search(vector!, candidates, filter ? { filter } : undefined);
        search.push(performance.now() - t0);
        const line = filter ? JSON.stringify({ prompt: text, filters: filter }) : text;
        const [first] = await client.ask([line]);
        const [again] = await client.ask([line]);
        if (first!.cached || !again!.cached) throw new Error(`"${text}": expected a miss, then a hit`);
        uncached.push(first!.ms);
        cached.push(again!.ms);
      }
      const u = percentiles(uncached);
      const c = percentiles(cached);
      // The warm-up asks are the first twenty the server saw.
      const su = percentiles(serverSide.uncached.slice(Math.max(20, serverFrom)));
      const e = percentiles(embed);
      const s = percentiles(search);
      const parts = e.p50 + s.p50;
      log(`${name}:`);
      log(`  uncached ask: client ${ms(u)}; server ${ms(su)} (${u.samples} distinct prompts)`);
      log(`  cached ask:   client ${ms(c)}`);
      log(`  prompt embedding alone: ${ms(e)}; index search alone (${candidates} passages): ${ms(s)}`);
      log(
        `  uncached p50 / (embed p50 + search p50) = ${(u.p50 / parts).toFixed(2)} at the client, ` +
          `${(su.p50 / parts).toFixed(2)} at the server (target ≤ 1.3)`,
      );
      summary.push([`ask uncached, client (${name})`, ms(u)]);
      summary.push([`ask cached, client (${name})`, ms(c)]);
      summary.push([
        `embed + index alone, p50 (${name})`,
        `${e.p50.toFixed(1)} + ${s.p50.toFixed(2)} ms → ask ratio ${(u.p50 / parts).toFixed(2)} client, ${(su.p50 / parts).toFixed(2)} server`,
      ]);
    }
  } finally {
    client.stop();
    await app.close();
  }
}

async function recall(verso: Verso) {
  log("\n── vector index: HNSW (usearch) vs exact ──");
  const vectors: Float32Array[] = [];
  for await (const batch of (await verso.catalogStores()).changeLog.streamPassageVectors(
    (await verso.embedder()).model.name,
  )) {
    vectors.push(...batch.map((e) => e.vector));
  }
  const queries = await (await verso.embedder()).embed(benchPrompts, { priority: "bulk" });
  const result = await measureRecall({ vectors, queries, k: 10, log });
  log(
    `recall@10 ${result.recallAtK.toFixed(4)} (target ≥ 0.98) over ${queries.length} prompts, ${vectors.length} passages; ` +
      `HNSW ${result.hnswQps.toFixed(0)} q/s vs exact ${result.exactQps.toFixed(0)} q/s`,
  );
  summary.push(["recall@10", `${result.recallAtK.toFixed(4)}`]);
  summary.push(["queries/s HNSW vs exact", `${result.hnswQps.toFixed(0)} vs ${result.exactQps.toFixed(0)}`]);
}

async function social(dialects: SqlDialect[]) {
  const all = new Map<SqlDialect, Record<string, number>>();
  for (const dialect of dialects) {
    log(`\n── social graph on ${dialect} ──`);
    all.set(dialect, await runSocialBench({ log, dialect }));
  }
  log(`\n── social graph, side by side (ms) ──`);
  const names = Object.keys(all.get(dialects[0]!) ?? {});
  log(`${"".padEnd(48)}${dialects.map((d) => d.padStart(10)).join("")}`);
  for (const name of names) {
    log(
      `${name.padEnd(48)}${dialects.map((d) => (all.get(d)?.[name] ?? NaN).toFixed(2).padStart(10)).join("")}`,
    );
    for (const d of dialects) summary.push([`social ${d}: ${name}`, (all.get(d)?.[name] ?? NaN).toFixed(2)]);
  }
}

async function main() {
  const { values } = readOptions("npm run bench --", {
    options: {
      only: { type: "string", default: "pipeline,reuse,ask,recall,social,caches,remote-embedder" },
      dataset: {
        type: "string",
        default: path.join(sharedDir, "datasets", "spotify-songs-lyrics-2k"),
      },
      "raw-sample": { type: "string", default: "1500" },
      "data-dir": { type: "string" },
      dialects: { type: "string", default: "sqlite,mariadb,postgres" },
      "load-seconds": { type: "string", default: "120" },
      "library-tracks": { type: "string", default: "10000" },
      "full-text-songs": { type: "string", default: "95000" },
      "onnx-model": { type: "string", multiple: true, default: [] },
      passages: { type: "string", default: "100000" },
      quantization: { type: "string", default: "f32" },
      "reingest-seconds": { type: "string" },
    },
  });
  const only = new Set(values.only.split(","));
  log(
    `verso bench · ${os.cpus().length} cores · load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")} · node ${process.version}`,
  );

  if (only.has("pipeline") || only.has("reuse") || only.has("ask") || only.has("recall")) {
    const dataDir = values["data-dir"] ?? fs.mkdtempSync(path.join(os.tmpdir(), "verso-bench-"));
    // One client sends far more than a person would: the bench measures the server, not its limits.
    const config = loadConfig(process.env, { dataDir, demo: false, logLevel: "warn", rateLimitFactor: 0 });
    const verso = composeVerso(config);
    try {
      await (await verso.index()).refresh();
      if (only.has("pipeline"))
        await pipeline(verso, values.dataset, Number(values["raw-sample"]), config.embedThreads);
      else await ingestOnce(verso, `file://${path.resolve(values.dataset)}`);
      if (only.has("reuse")) summary.push(...(await benchReuse(verso, values.dataset, log)));
      if (only.has("ask")) await ask(verso);
      if (only.has("recall")) await recall(verso);
    } finally {
      await verso.close();
      if (!values["data-dir"]) fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }
  if (only.has("social")) await social(values.dialects.split(",") as SqlDialect[]);
  if (only.has("caches")) summary.push(...(await benchCaches(log)));
  if (only.has("remote-embedder")) {
    summary.push(...(await benchRemoteEmbedder(log, loadConfig(process.env).embedThreads)));
  }
  if (only.has("embedder")) {
    const sample = Number(values["raw-sample"]);
    const texts = fs.existsSync(values.dataset)
      ? await loadLyricPassages(values.dataset, sample)
      : syntheticPassages(sample);
    const config = loadConfig(process.env, values["data-dir"] ? { dataDir: values["data-dir"] } : {});
    summary.push(
      ...(await benchEmbedderModels({
        texts,
        threads: config.embedThreads,
        dataDir: config.dataDir,
        folders: values["onnx-model"],
        log,
      })),
    );
  }
  if (only.has("scaled-out")) summary.push(...(await benchScaledOut(log)));
  if (only.has("load")) summary.push(...(await benchLoad(log, Number(values["load-seconds"]))));
  if (only.has("full-text")) summary.push(...(await benchFullText(log, Number(values["full-text-songs"]))));
  if (only.has("library")) summary.push(...(await benchLibrary(log, Number(values["library-tracks"]))));
  if (only.has("scale")) {
    const quantizations = values.quantization.split(",") as ScaleQuantization[];
    const unknown = quantizations.filter((q) => !scaleQuantizations.includes(q));
    if (unknown.length > 0)
      throw new Error(`--quantization takes ${scaleQuantizations.join(", ")}, not ${unknown.join(", ")}`);
    const passages = values.passages.split(",").map(Number);
    const window = values["reingest-seconds"];
    summary.push(
      ...(await benchScale(log, {
        passages,
        quantizations,
        ...(window === undefined ? {} : { reingestSeconds: Number(window) }),
      })),
    );
  }

  log("\n── summary ──");
  const width = Math.max(...summary.map(([name]) => name.length));
  for (const [name, value] of summary) log(`${name.padEnd(width)}  ${value}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
