/**
 * `npm run eval`: search quality as a number. Ingests the judged 2k Spotify set into its own
 * data folder (once; later runs find nothing new), then answers every judged prompt with each
 * ranking variant and prints nDCG@10 and P@10 — the same measure as ../shared/eval/score.mjs —
 * overall, per part of the prompts and per language, with how many songs of each top 10 were
 * never judged (they count as 0). Then the figure that decides the default: a cross-validated
 * nDCG@10, the settings chosen on some prompts and scored on the others.
 *
 *   npm run eval [-- --dataset <folder> --judgments <folder> --data-dir <folder> --verbose
 *                    --folds 5 --repeats 20 --variants-only]
 *
 * The database is VERSO_DATABASE_URL's (SQLite in the data folder by default), so the same
 * command measures each SQL dialect's full-text signal.
 */
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { createExactIndex } from "../src/adapters/vectors/exact.js";
import { composeVerso, type Verso } from "../src/compose/index.js";
import { loadConfig } from "../src/config.js";
import { SearchService, type Ranking, type RankingTuning } from "../src/core/search/search-service.js";
import { moodOf } from "../src/core/search/mood.js";
import { promptLanguage } from "../src/core/search/prompt-language.js";
import type { Cache, Embedder } from "../src/core/ports.js";
import { seededRandom } from "./seeded-random.js";
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

/** nDCG@10 and P@10 of one ranked list against one prompt's judgments, and its unjudged songs. */
export function scoreRanking(ranked: string[], judged: Map<string, number>) {
  const ideal = dcg([...judged.values()].sort((a, b) => b - a));
  const ndcg = ideal > 0 ? dcg(ranked.map((id) => judged.get(id) ?? 0)) / ideal : 0;
  const precision = ranked.slice(0, 10).filter((id) => (judged.get(id) ?? 0) >= 1).length / 10;
  const unjudged = ranked.slice(0, 10).filter((id) => !judged.has(id)).length;
  return { ndcg, precision, unjudged };
}

const noCache: Cache = {
  get: async () => undefined,
  set: async () => {},
  delete: async () => {},
  increment: async () => 1,
  close: async () => {},
};

/** Every variant embeds the same prompts: each is embedded once. */
function rememberingEmbedder(embedder: Embedder): Embedder {
  const seen = new Map<string, Promise<Float32Array[]>>();
  return {
    model: embedder.model,
    parallelism: embedder.parallelism,
    ready: () => embedder.ready(),
    close: async () => {},
    embed(texts, options) {
      const key = JSON.stringify(texts);
      let vectors = seen.get(key);
      if (!vectors) seen.set(key, (vectors = embedder.embed(texts, options)));
      return vectors;
    },
  };
}

export interface Variant {
  name: string;
  ranking: Ranking;
  tuning?: Partial<RankingTuning>;
  /** Whether prompts in another language are translated, when a translator is configured (default true). */
  translate?: boolean;
}

/** The plain fusion the judgments' README names as the reference: RRF (k = 60) of best passage and full text. */
export const referenceFusion: Variant = {
  name: "reference: best passage + full text, reciprocal rank fusion (k = 60)",
  ranking: "hybrid",
  tuning: {
    fusion: "rrf",
    rrfK: 60,
    fusionDepth: 15,
    secondPassageWeight: 0,
    songWeight: 0,
    modelLanguage: undefined,
    collapseDuplicates: false,
  },
  translate: false,
};

/** The default of the first release: the model-independent weights, every copy of a song kept. */
const firstRelease: Partial<RankingTuning> = {
  modelLanguage: undefined,
  collapseDuplicates: false,
  lexicalWeight: 1,
  songWeight: 0.3,
  secondPassageWeight: 0.5,
  fusionDepth: 30,
};

export const variants: Variant[] = [
  { name: "one vector per song (mean of its passages)", ranking: "songs" },
  { name: "best passage", ranking: "passages", tuning: { secondPassageWeight: 0 } },
  { name: "best passage + 0.5 × second best", ranking: "passages" },
  { name: "full text", ranking: "lexical" },
  referenceFusion,
  { name: "first release's default", ranking: "hybrid", tuning: firstRelease, translate: false },
  { name: "default without translation", ranking: "hybrid", translate: false },
  { name: "default (this model's tuning)", ranking: "hybrid" },
];

/**
 * The settings cross-validation chooses among: the default's family, with and without the
 * translation of prompts in another language, the mood signal and the fusion's weights.
 */
export function tuningGrid(): Variant[] {
  const grid: Variant[] = [];
  for (const translate of [false, true])
    for (const lexicalWeight of [0.6, 1, 1.5])
      for (const songWeight of [0.3, 0.6, 0.9])
        for (const secondPassageWeight of [0.25, 0.5])
          for (const fusionDepth of [40, 60])
            for (const otherLanguageLexicalWeight of [4, 8])
              for (const moodWeight of [0, 0.25])
                for (const relatedWeight of [0, 0.2, 0.4]) {
                  const tuning = {
                    lexicalWeight,
                    songWeight,
                    secondPassageWeight,
                    fusionDepth,
                    otherLanguageLexicalWeight,
                    translatePrompts: translate,
                    translatedTermsInLexical: translate,
                    moodWeight,
                    relatedWeight,
                  };
                  grid.push({
                    name: JSON.stringify({ translate, ...tuning }),
                    ranking: "hybrid",
                    tuning,
                    translate,
                  });
                }
  return grid;
}

export interface PromptScore {
  qid: string;
  prompt: string;
  language: string;
  ndcg: number;
  precision: number;
  unjudged: number;
}

/** The search service of a variant, over the catalog of a composed Verso, without a cache. */
export async function evaluationSearch(verso: Verso, variant: Variant, embedder?: Embedder) {
  const songIndex = variant.ranking === "songs" ? createExactIndex() : undefined;
  const { changeLog } = await verso.catalogStores();
  const search = new SearchService({
    store: await verso.songStore(),
    index: await verso.index(),
    embedder: embedder ?? (await verso.embedder()),
    translator: variant.translate === false ? undefined : await verso.translator(),
    thesaurus: await verso.thesaurus(),
    cache: noCache,
    cacheTtlSeconds: 0,
    catalogVersion: () => changeLog.catalogVersion(),
    ranking: variant.ranking,
    tuning: variant.tuning ?? {},
    ...(songIndex ? { songIndex } : {}),
  });
  if (songIndex) await search.loadSongIndex();
  return search;
}

export async function evaluate(
  verso: Verso,
  judgments: Judgments,
  variant: Variant,
  embedder?: Embedder,
): Promise<{ ndcg: number; precision: number; perPrompt: PromptScore[] }> {
  const search = await evaluationSearch(verso, variant, embedder);
  const perPrompt: PromptScore[] = [];
  for (const { qid, prompt } of judgments.queries) {
    const answer = await search.ask({ prompt, k: 10 });
    const ranked = answer.results.map((r) => r.song.id);
    perPrompt.push({
      qid,
      prompt,
      language: promptLanguage(prompt) ?? "?",
      ...scoreRanking(ranked, judgments.grades.get(qid) ?? new Map()),
    });
  }
  return {
    ndcg: mean(perPrompt.map((p) => p.ndcg)),
    precision: mean(perPrompt.map((p) => p.precision)),
    perPrompt,
  };
}

const mean = (values: number[]) =>
  values.length > 0 ? values.reduce((s, v) => s + v, 0) / values.length : 0;

/**
 * k-fold cross-validation over prompts, repeated with shuffled folds: for each fold the setting
 * with the best mean on the other folds is chosen and scored on this one. `scores[s][p]` is
 * setting s on prompt p. Answers the mean held-out score, per prompt and overall.
 */
export function crossValidate(scores: number[][], folds: number, repeats: number, seed = 1) {
  const prompts = scores[0]?.length ?? 0;
  const heldOut = new Array<number>(prompts).fill(0);
  const chosen = new Array<number>(scores.length).fill(0);
  const random = seededRandom(seed);
  for (let r = 0; r < repeats; r += 1) {
    const order = [...Array(prompts).keys()];
    for (let i = order.length - 1; i > 0; i -= 1) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (let f = 0; f < folds; f += 1) {
      const test = new Set(order.filter((_, i) => i % folds === f));
      let best = 0;
      let bestMean = -1;
      scores.forEach((row, s) => {
        const train = mean(row.filter((_, p) => !test.has(p)));
        if (train > bestMean) [best, bestMean] = [s, train];
      });
      chosen[best]! += 1;
      for (const p of test) heldOut[p]! += scores[best]![p]! / repeats;
    }
  }
  return { perPrompt: heldOut, ndcg: mean(heldOut), chosen };
}

const f3 = (n: number) => n.toFixed(3);
const partOf = (qid: string) => (Number(qid.slice(1)) <= 10 ? "d01–d10" : "d11–d34");

function summaryRow(name: string, perPrompt: PromptScore[]) {
  const of = (keep: (p: PromptScore) => boolean) => f3(mean(perPrompt.filter(keep).map((p) => p.ndcg)));
  return [
    of(() => true),
    of((p) => partOf(p.qid) === "d01–d10"),
    of((p) => partOf(p.qid) === "d11–d34"),
    of((p) => p.language === "en"),
    of((p) => p.language === "es"),
    mean(perPrompt.map((p) => p.precision)).toFixed(2),
    mean(perPrompt.map((p) => p.unjudged)).toFixed(1),
    name,
  ].join("  ");
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
      folds: { type: "string", default: "5" },
      repeats: { type: "string", default: "20" },
      /** The variants' table only: what comparing the SQL dialects needs. */
      "variants-only": { type: "boolean", default: false },
    },
  });
  const config = loadConfig(process.env, { dataDir: values["data-dir"], demo: false, logLevel: "warn" });
  const verso = composeVerso(config);
  try {
    await (await verso.index()).refresh();
    console.log(`catalog: ${values.dataset} → ${config.dataDir} (${config.databaseUrl.split(":")[0]})`);
    const run = await ingestOnce(verso, `file://${path.resolve(values.dataset)}`);
    if (run.objects.length > 0) {
      const songs = run.objects.reduce((s, o) => s + o.songs, 0);
      console.log(
        `ingested ${run.objects.length} objects, ${songs} songs in ${(run.ms / 1000).toFixed(0)} s`,
      );
    }
    const totals = await (await verso.catalogStores()).status.totals();
    const embedder = rememberingEmbedder(await verso.embedder());
    const translator = await verso.translator();
    console.log(
      `songs ${totals.songs}, passages ${totals.passages}, model ${embedder.model.name}, ` +
        `translator ${translator ? `apertium (${translator.pairs.join(", ")})` : "none"}\n`,
    );

    const judgments = readJudgments(values.judgments);
    const languages = new Map(judgments.queries.map((q) => [q.qid, promptLanguage(q.prompt) ?? "?"]));
    const count = (language: string) => [...languages.values()].filter((l) => l === language).length;
    console.log(
      `nDCG@10 (${judgments.queries.length} prompts · d01–d10 · d11–d34 · ${count("en")} English · ` +
        `${count("es")} Spanish), P@10, unjudged songs per top 10, ranking`,
    );
    const results = new Map<string, PromptScore[]>();
    for (const variant of variants) {
      const { perPrompt } = await evaluate(verso, judgments, variant, embedder);
      results.set(variant.name, perPrompt);
      console.log(summaryRow(variant.name, perPrompt));
    }

    if (values["variants-only"]) return;
    const grid = tuningGrid();
    const gridScores: number[][] = [];
    for (const variant of grid) {
      const { perPrompt } = await evaluate(verso, judgments, variant, embedder);
      gridScores.push(perPrompt.map((p) => p.ndcg));
    }
    const folds = Number(values.folds);
    const repeats = Number(values.repeats);
    const cv = crossValidate(gridScores, folds, repeats);
    const inSample = gridScores.map(mean);
    const best = inSample.indexOf(Math.max(...inSample));
    const defaultScores = results.get("default (this model's tuning)")!;
    const reference = results.get(referenceFusion.name)!;
    console.log(
      `\ncross-validation: ${grid.length} settings of the default's family, ${folds} folds over prompts × ${repeats} shuffles`,
    );
    console.log(`  chosen on the other folds, scored on the held-out one: nDCG@10 ${f3(cv.ndcg)}`);
    console.log(
      `  best setting on all prompts (in-sample):              nDCG@10 ${f3(inSample[best]!)}  ${grid[best]!.name}`,
    );
    console.log(
      `  the default as configured (in-sample):                nDCG@10 ${f3(mean(defaultScores.map((p) => p.ndcg)))}`,
    );
    console.log(
      `  reference fusion (nothing tuned):                     nDCG@10 ${f3(mean(reference.map((p) => p.ndcg)))}`,
    );
    console.log(
      `  cross-validated default − reference: ${(cv.ndcg - mean(reference.map((p) => p.ndcg))).toFixed(3)}; ` +
        `in-sample − cross-validated: ${(inSample[best]! - cv.ndcg).toFixed(3)}`,
    );
    const often = cv.chosen
      .map((times, i) => ({ times, i }))
      .sort((a, b) => b.times - a.times)
      .slice(0, 3);
    for (const { times, i } of often)
      console.log(
        `  chosen in ${times} of ${folds * repeats} folds (${f3(inSample[i]!)} in-sample): ${grid[i]!.name}`,
      );
    // The best setting with one signal turned up: the mood on the prompts that name one,
    // related words on all of them.
    const twin = (key: string, from: number, to: number) =>
      grid.findIndex((v) => v.name === grid[best]!.name.replace(`"${key}":${from}`, `"${key}":${to}`));
    const meanOf = (s: number, prompts: number[]) => f3(mean(prompts.map((p) => gridScores[s]![p]!)));
    const moody = judgments.queries.flatMap((q, p) => (moodOf(q.prompt).length > 0 ? [p] : []));
    const withMood = twin("moodWeight", 0, 0.25);
    if (moody.length > 0 && withMood >= 0) {
      console.log(
        `  prompts naming a mood (${moody.map((p) => judgments.queries[p]!.qid).join(", ")}): ` +
          `best setting ${meanOf(best, moody)}, with the mood signal at 0.25 ${meanOf(withMood, moody)}`,
      );
    }
    const everyPrompt = judgments.queries.map((_, p) => p);
    const related = [0.2, 0.4]
      .map((w) => [w, twin("relatedWeight", 0, w)] as const)
      .filter(([, i]) => i >= 0);
    if (related.length > 0) {
      console.log(
        `  related words (WordNet): best setting ${meanOf(best, everyPrompt)}, ` +
          related.map(([w, i]) => `with them at ${w} ${meanOf(i, everyPrompt)}`).join(", "),
      );
    }
    const sorted = [...inSample].sort((a, b) => a - b);
    const at = (q: number) => f3(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
    console.log(`  spread of the ${grid.length} settings: min ${at(0)}, median ${at(0.5)}, max ${at(1)}`);

    const before = results.get("first release's default")!;
    console.log(`\nper prompt: nDCG@10 (unjudged in top 10)`);
    console.log(`qid  lang  reference     first release  default       cross-validated  prompt`);
    judgments.queries.forEach(({ qid, prompt }, i) => {
      const cell = (scores: PromptScore[]) => `${f3(scores[i]!.ndcg)} (${scores[i]!.unjudged})`.padEnd(14);
      console.log(
        `${qid}  ${languages.get(qid)!.padEnd(4)}  ${cell(reference)}${cell(before)}${cell(defaultScores)}${f3(cv.perPrompt[i]!).padEnd(17)}${prompt}`,
      );
    });
    if (values.verbose) {
      for (const [name, perPrompt] of results)
        for (const p of perPrompt) console.log(`  ${p.qid} ${f3(p.ndcg)} ${p.unjudged} ${name}`);
    }
  } finally {
    await verso.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
