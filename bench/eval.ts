/**
 * `npm run eval`: search quality as a number. Ingests the judged 2k Spotify set into its own
 * data folder (once; later runs find nothing new), then answers every judged prompt with each
 * ranking variant and prints nDCG@10 and P@10 — the same measure as ../shared/eval/score.mjs.
 *
 *   npm run eval [-- --dataset <folder> --judgments <folder> --data-dir <folder>]
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { createExactIndex } from "../src/adapters/vectors/exact.js";
import { composeVerso, type Verso } from "../src/compose/index.js";
import { loadConfig } from "../src/config.js";
import {
  createSearchService,
  defaultTuning,
  type Ranking,
  type RankingTuning,
} from "../src/core/search/search-service.js";
import type { Cache } from "../src/core/ports.js";
import { packageRoot, sharedDir } from "../src/paths.js";
import { ingestOnce } from "../src/roles/ingest-once.js";

export interface Judgments {
  queries: { qid: string; prompt: string }[];
  grades: Map<string, Map<string, number>>;
}

export function readJudgments(folder: string): Judgments {
  const rows = (file: string) =>
    fs
      .readFileSync(path.join(folder, file), "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.split("\t"));
  const grades = new Map<string, Map<string, number>>();
  for (const [qid, songId, grade] of rows("qrels.tsv")) {
    if (!qid || !songId) continue;
    if (!grades.has(qid)) grades.set(qid, new Map());
    grades.get(qid)!.set(songId, Number(grade));
  }
  const queries = rows("queries.tsv").map(([qid, prompt]) => ({ qid: qid!, prompt: prompt! }));
  return { queries, grades };
}

const gain = (grade: number) => 2 ** grade - 1;
const dcg = (grades: number[]) => grades.slice(0, 10).reduce((s, g, i) => s + gain(g) / Math.log2(i + 2), 0);

/** nDCG@10 and P@10 of one ranked list against one prompt's judgments. */
export function scoreRanking(ranked: string[], judged: Map<string, number>) {
  const ideal = dcg([...judged.values()].sort((a, b) => b - a));
  const ndcg = ideal > 0 ? dcg(ranked.map((id) => judged.get(id) ?? 0)) / ideal : 0;
  const precision = ranked.slice(0, 10).filter((id) => (judged.get(id) ?? 0) >= 1).length / 10;
  return { ndcg, precision };
}

const noCache: Cache = {
  get: async () => undefined,
  set: async () => {},
  delete: async () => {},
  increment: async () => 1,
  close: async () => {},
};

export interface Variant {
  name: string;
  ranking: Ranking;
  tuning?: Partial<RankingTuning>;
}

export const variants: Variant[] = [
  { name: "one vector per song (mean of its passages)", ranking: "songs" },
  { name: "best passage", ranking: "passages", tuning: { secondPassageWeight: 0 } },
  { name: "best passage + 0.5 × second best", ranking: "passages" },
  { name: "full text (FTS5 bm25)", ranking: "lexical" },
  {
    name: "best passage + full text, reciprocal rank fusion of the top 15",
    ranking: "hybrid",
    tuning: { fusion: "rrf", fusionDepth: 15, secondPassageWeight: 0, songWeight: 0 },
  },
  { name: "passages + full text, linear fusion", ranking: "hybrid", tuning: { songWeight: 0 } },
  { name: "passages + full text + whole-song similarity, linear fusion (default)", ranking: "hybrid" },
];

export async function evaluate(verso: Verso, judgments: Judgments, variant: Variant) {
  const songIndex = variant.ranking === "songs" ? createExactIndex() : undefined;
  const catalog = await verso.catalogStore();
  const search = createSearchService({
    store: await verso.songStore(),
    index: await verso.index(),
    embedder: await verso.embedder(),
    cache: noCache,
    cacheTtlSeconds: 0,
    catalogVersion: () => catalog.catalogVersion(),
    ranking: variant.ranking,
    tuning: { ...defaultTuning, ...variant.tuning },
    ...(songIndex ? { songIndex } : {}),
  });
  if (songIndex) await search.loadSongIndex();
  const perPrompt: { qid: string; prompt: string; ndcg: number; precision: number }[] = [];
  for (const { qid, prompt } of judgments.queries) {
    const answer = await search.ask({ prompt, k: 10 });
    const ranked = answer.results.map((r) => r.song.id);
    perPrompt.push({ qid, prompt, ...scoreRanking(ranked, judgments.grades.get(qid) ?? new Map()) });
  }
  const mean = (f: (p: (typeof perPrompt)[number]) => number) =>
    perPrompt.reduce((s, p) => s + f(p), 0) / perPrompt.length;
  return { ndcg: mean((p) => p.ndcg), precision: mean((p) => p.precision), perPrompt };
}

async function main() {
  const { values } = parseArgs({
    options: {
      dataset: {
        type: "string",
        default: path.join(sharedDir, "datasets", "spotify-songs-lyrics-2k"),
      },
      judgments: { type: "string", default: path.join(sharedDir, "eval") },
      "data-dir": { type: "string", default: path.join(packageRoot, "data", "eval") },
      verbose: { type: "boolean", default: false },
      sensitivity: { type: "boolean", default: false },
    },
  });
  const config = loadConfig(process.env, { dataDir: values["data-dir"], demo: false, logLevel: "warn" });
  const verso = composeVerso(config);
  try {
    await (await verso.index()).refresh();
    console.log(`catalog: ${values.dataset} → ${config.dataDir}`);
    const run = await ingestOnce(verso, `file://${path.resolve(values.dataset)}`);
    if (run.objects.length > 0) {
      const songs = run.objects.reduce((s, o) => s + o.songs, 0);
      console.log(
        `ingested ${run.objects.length} objects, ${songs} songs in ${(run.ms / 1000).toFixed(0)} s`,
      );
    }
    const totals = await (await verso.catalogStore()).totals();
    console.log(`songs ${totals.songs}, passages ${totals.passages}\n`);

    const judgments = readJudgments(values.judgments);
    console.log(`nDCG@10  P@10   ranking (${judgments.queries.length} judged prompts)`);
    for (const variant of variants) {
      const result = await evaluate(verso, judgments, variant);
      console.log(`${result.ndcg.toFixed(3)}    ${result.precision.toFixed(2)}   ${variant.name}`);
      if (values.verbose) {
        for (const p of result.perPrompt) console.log(`        ${p.qid} ${p.ndcg.toFixed(3)} ${p.prompt}`);
      }
    }
    if (values.sensitivity) await sensitivity(verso, judgments);
  } finally {
    await verso.close();
  }
}

/** How much the default depends on its exact settings: nDCG@10 over a grid around it. */
async function sensitivity(verso: Verso, judgments: Judgments) {
  const scores: number[] = [];
  for (const lexicalWeight of [0.7, 1, 1.3])
    for (const songWeight of [0.2, 0.3, 0.5])
      for (const secondPassageWeight of [0.3, 0.5])
        for (const fusionDepth of [20, 30, 50]) {
          const tuning = { lexicalWeight, songWeight, secondPassageWeight, fusionDepth };
          scores.push((await evaluate(verso, judgments, { name: "grid", ranking: "hybrid", tuning })).ndcg);
        }
  scores.sort((a, b) => a - b);
  const at = (q: number) => scores[Math.min(scores.length - 1, Math.floor(q * scores.length))]!.toFixed(3);
  console.log(
    `\nsensitivity of the default (${scores.length} settings around it): ` +
      `min ${at(0)}, quartiles ${at(0.25)} / ${at(0.5)} / ${at(0.75)}, max ${at(1)}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
