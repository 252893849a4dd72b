/**
 * `npm run bench -- --only full-text [--full-text-songs 95000]`: SQLite's full-text search of an
 * ask at a catalog's size, as the song store runs it, against the search it replaced (`before`,
 * below), side by side on the same database, for the bench prompts' words and their stems,
 * without and with a language filter. Both must answer the same songs in the same order; the
 * bench counts the prompts where they do not.
 *
 * The songs are written straight into the songs table (no passages, no vectors: the full text
 * reads neither), with lyrics made of real lines of the 2k set as the scale bench makes them
 * (scale-catalog.ts), so 95,000 songs are the full text of about a million passages.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { openDatabase, type SqlDatabase } from "../src/adapters/sql/database.js";
import { createSqlSongStore } from "../src/adapters/sql/song-store.js";
import type { SongFilter } from "../src/core/catalog/song-filter.js";
import { parsePrompt } from "../src/core/search/prompt.js";
import { readPrompt } from "../src/core/search/prompt-reading.js";
import { tuningForModel } from "../src/core/search/tuning.js";
import { sharedDir } from "../src/paths.js";
import { percentiles } from "./embedder.js";
import { benchPrompts } from "./prompts.js";
import { loadFragments } from "./scale-catalog.js";
import { seededRandom } from "./seeded-random.js";

type Log = (line: string) => void;

const depth = 60;
const genres = ["pop", "rock", "latin", "rap", "r&b", "edm"];

async function writeSongs(database: SqlDatabase, count: number): Promise<void> {
  const fragments = await loadFragments(path.join(sharedDir, "datasets", "spotify-songs-lyrics-2k"));
  const random = seededRandom(1000);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const now = new Date().toISOString();
  for (let first = 0; first < count; first += 200) {
    const rows = [];
    for (let n = first; n < Math.min(count, first + 200); n++) {
      const language = pick(fragments.languages);
      const pool = fragments.byLanguage.get(language)!;
      const parts: string[] = [];
      for (let words = 0, target = 330 + Math.floor(random() * 160); words < target; words += 8)
        parts.push(pick(pool));
      rows.push({
        id: `full-text-${n}`,
        title: pick(pool).split(" ").slice(0, 3).join(" "),
        artists: JSON.stringify([`Artist ${n % 9973}`]),
        language,
        genre: pick(genres),
        release_year: 1960 + Math.floor(random() * 65),
        energy: random(),
        lyrics: parts.join(" "),
        lyrics_status: "ok" as const,
        created_at: now,
        updated_at: now,
      });
    }
    await database.db.insertInto("songs").values(rows).execute();
  }
}

/**
 * The search before songs_full_text_lookup, whole: the words' frequencies (a prefix's through
 * the vocabulary joined to the list of prefixes), the commonest words left out as the store
 * leaves them, and each match joined to its row in songs.
 */
async function before(
  database: SqlDatabase,
  words: string[],
  prefix: boolean,
  songs: number,
  language?: string,
) {
  const { db } = database;
  const { rows: frequencies } = prefix
    ? await sql<{ term: string; doc: number }>`
        SELECT p.term AS term, max(v.doc) AS doc FROM (${sql.join(
          words.map((w) => sql`SELECT ${w} AS term`),
          sql` UNION ALL `,
        )}) p JOIN songs_fts_vocabulary v ON v.term >= p.term AND v.term < p.term || x'ff' GROUP BY p.term`.execute(
        db,
      )
    : await sql<{ term: string; doc: number }>`
        SELECT term, doc FROM songs_fts_vocabulary WHERE term IN (${sql.join(words)})`.execute(db);
  const rare = frequencies.filter((f) => f.doc * 2 < songs);
  const searched = (rare.length > 0 ? rare : frequencies).map((f) => f.term);
  if (searched.length === 0) return [];
  const match = searched.map((w) => `"${w.replaceAll('"', '""')}"${prefix ? "*" : ""}`).join(" OR ");
  const { rows } = await sql<{ id: string }>`
    SELECT s.id AS id, bm25(songs_fts, 1.0, 0.5, 1.0) AS rank
    FROM songs_fts JOIN songs s ON s.pk = songs_fts.rowid
    WHERE songs_fts MATCH ${match} AND s.lyrics_status = 'ok'
      AND ${language === undefined ? sql`1 = 1` : sql`lower(s.language) = ${language}`}
    ORDER BY rank, s.pk LIMIT ${depth}`.execute(db);
  return rows.map((r) => r.id);
}

export async function benchFullText(log: Log, songCount: number): Promise<[string, string][]> {
  log(`\n── full text (SQLite FTS5) at ${songCount} songs ──`);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "verso-bench-full-text-"));
  const database = await openDatabase(`sqlite:${path.join(folder, "verso.db")}`);
  try {
    const began = performance.now();
    await writeSongs(database, songCount);
    log(`${songCount} songs written in ${((performance.now() - began) / 1000).toFixed(0)} s`);
    const store = createSqlSongStore(database);
    const tuning = tuningForModel("use-lite-v1", store.fullTextIndex);
    const summary: [string, string][] = [];
    for (const prefix of [false, true]) {
      for (const language of [undefined, "es"]) {
        const filter: SongFilter | undefined = language === undefined ? undefined : { language };
        const times = { store: [] as number[], before: [] as number[] };
        let differ = 0;
        let slowest = { prompt: "", ms: 0 };
        for (const prompt of benchPrompts) {
          const reading = readPrompt(prompt, parsePrompt(prompt), tuning, undefined);
          const words = prefix ? await reading.stems() : await reading.terms();
          // Alternately first, so that neither always meets a warmer cache.
          const runs = [
            async () => {
              const t = performance.now();
              const hits = await store.searchLexical(words, depth, filter, { prefix });
              times.store.push(performance.now() - t);
              if (times.store.at(-1)! > slowest.ms) slowest = { prompt, ms: times.store.at(-1)! };
              return hits.map((h) => h.songId);
            },
            async () => {
              const t = performance.now();
              const ids = await before(database, words, prefix, songCount, language);
              times.before.push(performance.now() - t);
              return ids;
            },
          ];
          const order = times.store.length % 2 === 0 ? runs : [...runs].reverse();
          const [a, b] = [await order[0]!(), await order[1]!()];
          if (a.join() !== b.join()) differ++;
        }
        const [now, then] = [percentiles(times.store), percentiles(times.before)];
        const name = `full text, ${prefix ? "stems as prefixes" : "words"}${language ? `, language=${language}` : ""}`;
        const line =
          `p50 ${now.p50.toFixed(1)} ms (before ${then.p50.toFixed(1)}: ×${(then.p50 / now.p50).toFixed(1)}), ` +
          `p99 ${now.p99.toFixed(1)} ms (before ${then.p99.toFixed(1)}: ×${(then.p99 / now.p99).toFixed(1)}); ` +
          `${differ} of ${benchPrompts.length} prompts answered differently`;
        log(`${name}: ${line}; slowest: "${slowest.prompt}" ${slowest.ms.toFixed(1)} ms`);
        summary.push([`${name} at ${songCount} songs`, line]);
      }
    }
    return summary;
  } finally {
    await database.close();
    fs.rmSync(folder, { recursive: true, force: true });
  }
}
