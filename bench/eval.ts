/**
 * `npm run eval`: search quality as a number, on two judged sets: the 2k Spotify set
 * (../shared/datasets, read by path) with the prompts of bench/judgments/2k, and the demo
 * catalog with those of bench/judgments/demo (every song judged). Each catalog is ingested into
 * a data folder of its own (once; later runs find nothing new). For each set it prints every
 * ranking variant's nDCG@10 and P@10 (the measure of ../shared/eval/score.mjs) overall, on the
 * prompts kept aside, per language and per prompt, with how many songs of each top 10 were never
 * judged (they count as 0); then the fit model: learned on the 2k set's development prompts and
 * cross-validated over them (a model learned on some prompts ranks the others), scored on the
 * prompts kept aside and on the demo catalog, which it never learned from; its calibration; and
 * the fit it gives prompts that nothing can fit.
 *
 *   npm run eval [-- --sets 2k,demo --folds 5 --repeats 10 --l2 1 --write-model --verbose]
 *
 * With VERSO_TRANSLATOR=none it measures an installation without a translator: prompts and
 * passages in another language than the model's are embedded as written (catalogs ingested into
 * data folders of their own, `…-no-translator`).
 * --write-model writes the model learned on every development prompt into
 * src/core/search/fit-models.ts for the embedding model in use. The database is
 * VERSO_DATABASE_URL's (SQLite in the data folder by default), so the same command measures each
 * SQL dialect.
 */
import fs from "node:fs";
import path from "node:path";
import { composeVerso, type Verso } from "../src/compose/index.js";
import { loadConfig } from "../src/config.js";
import { oneSongOneResult } from "../src/core/search/one-song-one-result.js";
import { demoCatalogFolder, packageRoot, sharedDir } from "../src/paths.js";
import { ingestOnce } from "../src/roles/ingest-once.js";
import {
  defaultVariant,
  evaluate,
  evaluationSearch,
  fitCandidatesOf,
  meanNdcg,
  referenceFusion,
  rememberingEmbedder,
  variants,
  type PromptScore,
} from "./eval-variants.js";
import {
  calibrationTable,
  crossValidateFit,
  rankedBy,
  trainFitModel,
  type FitPrompt,
} from "./fit-training.js";
import type { FitModel } from "../src/core/search/fit-model.js";
import { mean, readJudgments, scoreRanking, type Judgments } from "./judged-set.js";
import { seededRandom } from "./seeded-random.js";
import { writeFitModel } from "./fit-model-file.js";
import { readOptions } from "./command-line.js";

/** Where an answer's fit changes: its best song's score (the expected grade taken to 0..1). */
const fitThresholds = { strong: 0.5, weak: 0.25 };

/** Prompts nothing in a catalog can fit: an answer to them should say so. */
const nothingFits = ["xqzv blorf wuggle plim", "🌊🌊🌊", "sobre", "para", "de", "asdfgh jkl", "the of and"];

interface EvalSet {
  name: string;
  catalog: string;
  judgments: string;
  dataDir: string;
}

const sets: Record<string, EvalSet> = {
  "2k": {
    name: "2k Spotify set",
    catalog: path.join(sharedDir, "datasets", "spotify-songs-lyrics-2k"),
    judgments: path.join(packageRoot, "bench", "judgments", "2k"),
    dataDir: path.join(packageRoot, "data", "eval"),
  },
  demo: {
    name: "demo catalog",
    catalog: demoCatalogFolder,
    judgments: path.join(packageRoot, "bench", "judgments", "demo"),
    dataDir: path.join(packageRoot, "data", "eval-demo"),
  },
};

const f3 = (n: number) => n.toFixed(3);
const log = (line = "") => console.log(line);

async function openSet(set: EvalSet): Promise<Verso> {
  // Without a translator the catalog's passages are embedded as written: a folder of their own.
  const translated = loadConfig(process.env).translator !== "none";
  const dataDir = translated ? set.dataDir : `${set.dataDir}-no-translator`;
  const config = loadConfig(process.env, { dataDir, demo: false, logLevel: "warn" });
  const verso = composeVerso(config);
  await (await verso.index()).refresh();
  const run = await ingestOnce(verso, `file://${path.resolve(set.catalog)}`);
  const totals = await (await verso.catalogStores()).status.totals();
  const translator = await verso.translator();
  log(`\n## ${set.name}: ${set.catalog} → ${config.dataDir} (${config.databaseUrl.split(":")[0]})`);
  if (run.objects.length > 0)
    log(`ingested ${run.objects.length} objects in ${(run.ms / 1000).toFixed(0)} s`);
  log(
    `songs ${totals.songs}, passages ${totals.passages}, model ${(await verso.model()).name}, ` +
      `translator ${translator ? `apertium (${translator.pairs.join(", ")})` : "none"}`,
  );
  return verso;
}

function summaryRow(name: string, scores: readonly PromptScore[]) {
  const of = (keep: (p: PromptScore) => boolean) => f3(meanNdcg(scores.filter(keep)));
  return [
    of(() => true),
    of((p) => p.set === "dev"),
    of((p) => p.set === "holdout"),
    of((p) => p.language === "en"),
    of((p) => p.language === "es"),
    mean(scores.map((p) => p.precision)).toFixed(2),
    mean(scores.map((p) => p.unjudged)).toFixed(1),
    name,
  ].join("  ");
}

function printVariants(judgments: Judgments, results: Map<string, PromptScore[]>) {
  const count = (keep: (q: Judgments["queries"][number]) => boolean) => judgments.queries.filter(keep).length;
  log(
    `\nnDCG@10 (all ${judgments.queries.length} · development ${count((q) => q.set === "dev")} · ` +
      `kept aside ${count((q) => q.set === "holdout")} · English · Spanish), P@10, unjudged per top 10, ranking`,
  );
  for (const [name, scores] of results) log(summaryRow(name, scores));
}

function printPerPrompt(
  judgments: Judgments,
  results: Map<string, PromptScore[]>,
  extra?: Map<string, number>,
) {
  const reference = results.get(referenceFusion.name)!;
  const linear = [...results.values()][5]!;
  const fitted = results.get(defaultVariant.name)!;
  log(`\nper prompt: nDCG@10 (unjudged in top 10)`);
  log(
    `qid  set      lang  reference     linear        default       fit     ${extra ? "cross-val  " : ""}prompt`,
  );
  judgments.queries.forEach(({ qid, prompt, set }, i) => {
    const cell = (scores: PromptScore[]) => `${f3(scores[i]!.ndcg)} (${scores[i]!.unjudged})`.padEnd(14);
    const cv = extra?.has(qid) ? f3(extra.get(qid)!).padEnd(11) : extra ? "".padEnd(11) : "";
    log(
      `${qid}  ${set.padEnd(7)}  ${reference[i]!.language.padEnd(4)}  ${cell(reference)}${cell(linear)}${cell(fitted)}` +
        `${String(fitted[i]!.fit).padEnd(8)}${cv}${prompt}`,
    );
  });
}

/** The candidates of every prompt, folded to one per song as an answer would list them. */
async function fitPrompts(verso: Verso, judgments: Judgments): Promise<FitPrompt[]> {
  const candidates = await fitCandidatesOf(
    verso,
    judgments.queries,
    rememberingEmbedder(await verso.embedder()),
  );
  const songStore = await verso.songStore();
  const prompts: FitPrompt[] = [];
  for (const { qid } of judgments.queries) {
    const all = candidates.get(qid) ?? [];
    const songs = await songStore.getSongs(all.map((c) => c.songId));
    prompts.push({
      qid,
      candidates: oneSongOneResult(all, songs),
      grades: judgments.grades.get(qid) ?? new Map(),
    });
  }
  return prompts;
}

async function main() {
  const { values } = readOptions("npm run eval --", {
    options: {
      sets: { type: "string", default: "2k,demo" },
      folds: { type: "string", default: "5" },
      repeats: { type: "string", default: "10" },
      l2: { type: "string", default: "1" },
      "write-model": { type: "boolean", default: false },
      verbose: { type: "boolean", default: false },
      /** The fit model's figures only, without the variants' tables: for trying its features. */
      "fit-only": { type: "boolean", default: false },
    },
  });
  const training = { l2: Number(values.l2) };
  let learned: FitModel | undefined;
  for (const key of values.sets.split(",")) {
    const set = sets[key];
    if (!set) throw new Error(`no judged set ${key}: ${Object.keys(sets).join(", ")}`);
    const verso = await openSet(set);
    try {
      const judgments = readJudgments(set.judgments);
      const embedder = rememberingEmbedder(await verso.embedder());
      const results = new Map<string, PromptScore[]>();
      if (!values["fit-only"]) {
        for (const variant of variants) {
          results.set(variant.name, await evaluate(verso, judgments, variant, embedder));
        }
        printVariants(judgments, results);
      }

      const prompts = await fitPrompts(verso, judgments);
      const dev = prompts.filter((_, i) => judgments.queries[i]!.set === "dev");
      const score = (p: FitPrompt, ranked: string[]) => scoreRanking(ranked, p.grades).ndcg;
      let crossValidated: Map<string, number> | undefined;
      if (key === "2k") {
        const folds = Number(values.folds);
        const repeats = Number(values.repeats);
        const heldOut = crossValidateFit(dev, score, {
          ...training,
          folds,
          repeats,
          random: seededRandom(1),
        });
        crossValidated = new Map(dev.map((p, i) => [p.qid, heldOut[i]!]));
        learned = trainFitModel(dev, { ...training, thresholds: fitThresholds });
        const unjudged = (p: FitPrompt) =>
          rankedBy(learned!, p)
            .slice(0, 10)
            .filter((c) => !p.grades.has(c.songId)).length;
        log(
          `  (unjudged songs per top 10 of the model learned on all of them: ${f3(mean(dev.map(unjudged)))})`,
        );
        const reference = results.get(referenceFusion.name) ?? [];
        const devReference = meanNdcg(reference.filter((p) => p.set === "dev"));
        log(
          `\nfit model, cross-validated on the ${dev.length} development prompts (${folds} folds × ${repeats} shuffles):`,
        );
        log(`  learned on the other folds, scored on the held-out one: nDCG@10 ${f3(mean(heldOut))}`);
        log(`  reference fusion on the same prompts:                   nDCG@10 ${f3(devReference)}`);
        log(`  cross-validated − reference: ${f3(mean(heldOut) - devReference)}`);
      }
      if (learned) {
        const model = learned;
        const ndcgOf = (keep: (p: FitPrompt) => boolean) =>
          mean(
            prompts.filter(keep).map((p) =>
              score(
                p,
                rankedBy(model, p).map((c) => c.songId),
              ),
            ),
          );
        const aside = new Set(judgments.queries.filter((q) => q.set === "holdout").map((q) => q.qid));
        const reference = results.get(referenceFusion.name);
        const referenceOf = (keep: (p: PromptScore) => boolean) =>
          reference ? ` (reference fusion ${f3(meanNdcg(reference.filter(keep)))})` : "";
        log(
          `\nthe model learned on every development prompt of the 2k set, ranking this set's candidates` +
            (key === "2k" ? ":" : " (it never learned from this set: every figure is out of sample):"),
        );
        log(
          `  kept-aside prompts (never learned from): nDCG@10 ${f3(ndcgOf((p) => aside.has(p.qid)))}` +
            referenceOf((p) => p.set === "holdout"),
        );
        log(
          `  every prompt:                            nDCG@10 ${f3(ndcgOf(() => true))}${referenceOf(() => true)}`,
        );
        log(`  calibration (score bin: songs, mean score, mean judged grade / 2):`);
        for (const bin of calibrationTable(model, prompts)) {
          log(
            `    ${f3(bin.low)}–${f3(bin.high)}: ${String(bin.songs).padStart(5)}  ${f3(bin.meanScore)}  ${f3(bin.meanGrade)}`,
          );
        }
      }
      if (!values["fit-only"]) printPerPrompt(judgments, results, crossValidated);
      if (key === "2k" && values["write-model"] && learned) {
        const file = await writeFitModel((await verso.model()).name, learned);
        log(`\nwrote the fit model to ${path.relative(process.cwd(), file)}`);
      }
      const fitted = await evaluationSearch(verso, defaultVariant, embedder);
      log(`\nprompts nothing fits:`);
      for (const prompt of nothingFits) {
        const answer = await fitted.ask({ prompt, k: 10 });
        log(`  ${String(answer.fit).padEnd(6)} ${f3(answer.results[0]?.score ?? 0)}  ${prompt}`);
      }
      if (values.verbose)
        fs.writeFileSync(path.join(set.dataDir, "eval-results.json"), JSON.stringify([...results]));
    } finally {
      await verso.close();
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
