/**
 * A judged set: prompts (each for development or kept aside, never tuned on) and the graded
 * songs of each (2 clearly fits, 1 partly fits, 0 does not; a song not judged counts as 0),
 * read from a folder holding `queries.tsv` and `qrels.tsv`, and nDCG@10 / P@10 as
 * ../shared/eval/score.mjs computes them.
 */
import fs from "node:fs";
import path from "node:path";

export interface JudgedPrompt {
  qid: string;
  prompt: string;
  /** "dev": tuned on; "holdout": kept aside, reported on its own, never tuned on. */
  set: "dev" | "holdout";
}

export interface Judgments {
  queries: JudgedPrompt[];
  grades: Map<string, Map<string, number>>;
}

const rowsOf = (file: string) =>
  fs
    .readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => line.split("\t"));

export function readJudgments(folder: string): Judgments {
  const grades = new Map<string, Map<string, number>>();
  for (const [qid, songId, grade] of rowsOf(path.join(folder, "qrels.tsv"))) {
    if (!qid || !songId) continue;
    if (!grades.has(qid)) grades.set(qid, new Map());
    grades.get(qid)!.set(songId, Number(grade));
  }
  const queries = rowsOf(path.join(folder, "queries.tsv")).map(([qid, prompt, set]) => ({
    qid: qid!,
    prompt: prompt!,
    set: set === "holdout" ? ("holdout" as const) : ("dev" as const),
  }));
  return { queries, grades };
}

const gain = (grade: number) => 2 ** grade - 1;
const dcg = (grades: number[]) => grades.slice(0, 10).reduce((s, g, i) => s + gain(g) / Math.log2(i + 2), 0);

/** nDCG@10 and P@10 of one ranked list against one prompt's judgments, and its unjudged songs. */
export function scoreRanking(ranked: readonly string[], judged: ReadonlyMap<string, number>) {
  const ideal = dcg([...judged.values()].sort((a, b) => b - a));
  const ndcg = ideal > 0 ? dcg(ranked.map((id) => judged.get(id) ?? 0)) / ideal : 0;
  const precision = ranked.slice(0, 10).filter((id) => (judged.get(id) ?? 0) >= 1).length / 10;
  const unjudged = ranked.slice(0, 10).filter((id) => !judged.has(id)).length;
  return { ndcg, precision, unjudged };
}

export const mean = (values: readonly number[]) =>
  values.length > 0 ? values.reduce((s, v) => s + v, 0) / values.length : 0;
