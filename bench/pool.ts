/**
 * `npm run pool`: the pools that judges grade. For each prompt, the top 20 of four rankings
 * (full text alone, best passage alone, one vector per song, and the default) over a catalog;
 * the songs no judgment covers yet, sorted by song id so that a judge cannot tell which ranking
 * found a song, go into one packet per prompt: the prompt, then each song's id, title, artists,
 * language and lyrics (at most 3,000 characters). Which ranking found which song, and at what
 * rank, is kept in `pools.tsv` beside the judgments, so later rankings can count how many of
 * their songs were never judged.
 *
 *   npm run pool -- --queries <tsv> --judgments <qrels.tsv> --pools <pools.tsv> --packets <folder>
 *                   [--dataset <folder> --data-dir <folder> --depth 20]
 *
 * Packets hold the catalog's lyrics: write them outside the repository when the catalog's
 * lyrics may not be copied into it.
 */
import fs from "node:fs";
import path from "node:path";
import { composeVerso } from "../src/compose/index.js";
import { loadConfig } from "../src/config.js";
import { packageRoot, sharedDir } from "../src/paths.js";
import { ingestOnce } from "../src/roles/ingest-once.js";
import { promptLanguage } from "../src/core/search/prompt-language.js";
import { evaluationSearch, referenceFusion, type Variant } from "./eval-variants.js";
import { readOptions } from "./command-line.js";

/** The rankings a pool can be made of; the first four are the blind pools' (`--rankings`). */
const poolRankings: Variant[] = [
  { name: "full-text", ranking: "lexical" },
  { name: "best-passage", ranking: "passages", tuning: { secondPassageWeight: 0 } },
  { name: "song-vector", ranking: "songs" },
  { name: "default", ranking: "hybrid" },
  { ...referenceFusion, name: "reference" },
];

function readTsv(file: string): string[][] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => line.split("\t"));
}

async function main() {
  const { values } = readOptions("npm run pool --", {
    options: {
      queries: { type: "string" },
      judgments: { type: "string" },
      pools: { type: "string" },
      packets: { type: "string" },
      dataset: { type: "string", default: path.join(sharedDir, "datasets", "spotify-songs-lyrics-2k") },
      "data-dir": { type: "string", default: path.join(packageRoot, "data", "eval") },
      depth: { type: "string", default: "20" },
      /** Which of poolRankings, comma-separated: a later round pools the rankings that came since. */
      rankings: { type: "string", default: "full-text,best-passage,song-vector,default" },
    },
  });
  if (!values.queries || !values.pools || !values.packets) {
    throw new Error("--queries, --pools and --packets are required");
  }
  const depth = Number(values.depth);
  const queries = readTsv(values.queries).map(([qid, prompt]) => ({ qid: qid!, prompt: prompt! }));
  const judged = new Set(readTsv(values.judgments ?? "").map(([qid, songId]) => `${qid}\t${songId}`));

  const config = loadConfig(process.env, { dataDir: values["data-dir"], demo: false, logLevel: "warn" });
  const verso = composeVerso(config);
  try {
    await (await verso.index()).refresh();
    await ingestOnce(verso, `file://${path.resolve(values.dataset)}`);
    const songs = await verso.songStore();
    const found = new Map<string, { ranking: string; rank: number; songId: string }[]>();
    const chosen = values.rankings.split(",").map((name) => {
      const variant = poolRankings.find((v) => v.name === name);
      if (!variant) throw new Error(`no ranking ${name}: ${poolRankings.map((v) => v.name).join(", ")}`);
      return variant;
    });
    for (const variant of chosen) {
      const search = await evaluationSearch(verso, variant);
      for (const { qid, prompt } of queries) {
        const answer = await search.ask({ prompt, k: depth });
        const rows = found.get(qid) ?? [];
        answer.results.forEach((r, i) =>
          rows.push({ ranking: variant.name, rank: i + 1, songId: r.song.id }),
        );
        found.set(qid, rows);
      }
    }

    // Pools already made are kept: a later round adds its rows.
    const earlier = fs.existsSync(values.pools)
      ? fs.readFileSync(values.pools, "utf8").trim().split("\n").slice(1)
      : [];
    const poolLines = ["qid\tranking\trank\tsong_id", ...earlier];
    fs.mkdirSync(values.packets, { recursive: true });
    let toJudge = 0;
    for (const { qid, prompt } of queries) {
      const rows = found.get(qid) ?? [];
      for (const r of rows) poolLines.push(`${qid}\t${r.ranking}@${values.depth}\t${r.rank}\t${r.songId}`);
      const ids = [...new Set(rows.map((r) => r.songId))].filter((id) => !judged.has(`${qid}\t${id}`)).sort();
      toJudge += ids.length;
      const packet = [`PROMPT ${qid}: ${prompt}`, `SONGS: ${ids.length}`, ""];
      for (const id of ids) {
        const song = await songs.getSong(id);
        if (!song) continue;
        packet.push(
          `=== SONG ${id}`,
          `title: ${song.title}`,
          `artists: ${song.artists.join(", ")}`,
          `language: ${song.language ?? promptLanguage(song.lyrics ?? "") ?? "unknown"}`,
          "lyrics:",
          (song.lyrics ?? "").slice(0, 3000),
          "",
        );
      }
      fs.writeFileSync(path.join(values.packets, `${qid}.txt`), packet.join("\n"));
    }
    fs.mkdirSync(path.dirname(values.pools), { recursive: true });
    fs.writeFileSync(values.pools, `${poolLines.join("\n")}\n`);
    console.log(`${queries.length} prompts, ${toJudge} songs to judge; packets in ${values.packets}`);
  } finally {
    await verso.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
