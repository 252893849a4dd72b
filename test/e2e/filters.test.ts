/**
 * Filters on a real catalog: a fifth of the Spotify 2k set (English, Spanish and other
 * languages, several genres, release years and audio features), ingested by the real pipeline
 * and model. Each filter is applied while candidates are gathered, so an answer is full
 * whenever the catalog holds k songs that pass, and every song in it passes.
 */
import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Song } from "../../src/core/catalog/song.js";
import { matchesSongFilter, songAttributes, type SongFilter } from "../../src/core/catalog/song-filter.js";
import { ingestOnce } from "../../src/roles/ingest-once.js";
import { openTestVerso, sharedDatasets, tempDir, writeCsv } from "../support/verso.js";

const dataset = path.join(sharedDatasets, "spotify-songs-lyrics-2k");
const K = 10;

/** Every fifth song of each file, in the files' own layout. */
function sampleCatalog(folder: string): string {
  const files = fs.readdirSync(dataset).filter((name) => name.endsWith(".csv"));
  for (const name of files) {
    const rows = parse(fs.readFileSync(path.join(dataset, name)), { columns: false }) as string[][];
    const [header, ...songs] = rows;
    writeCsv(
      path.join(folder, name),
      header!,
      songs.filter((_, i) => i % 5 === 0),
    );
  }
  return folder;
}

const filters: Record<string, SongFilter> = {
  "language es": { language: "es" },
  "language en": { language: "EN" },
  "genre latin": { genre: "latin" },
  "genre rock": { genre: "Rock" },
  "years 2015–2017": { year: { min: 2015, max: 2017 } },
  "before 2000": { year: { max: 1999 } },
  danceable: { danceability: { min: 0.8 } },
  calm: { energy: { max: 0.4 } },
  happy: { valence: { min: 0.75 } },
  fast: { tempo: { min: 150 } },
  acoustic: { acousticness: { min: 0.6 } },
  "instrumental-ish": { instrumentalness: { min: 0.01 } },
  spoken: { speechiness: { min: 0.25 } },
  live: { liveness: { min: 0.5 } },
  "Spanish and danceable": { language: "es", danceability: { min: 0.7 } },
  "English rock of the 2010s": { language: "en", genre: "rock", year: { min: 2010, max: 2019 } },
};

describe("filters on a real catalog", () => {
  let t: Awaited<ReturnType<typeof openTestVerso>>;
  let songs: Song[];

  beforeAll(async () => {
    const folder = sampleCatalog(tempDir("verso-filters-"));
    t = await openTestVerso({ embedThreads: "2" });
    const run = await ingestOnce(t.verso, `file://${folder}`);
    expect(run.objects.map((o) => o.status)).toEqual(["done", "done"]);
    const { db } = await t.verso.database();
    const ids = (await db.selectFrom("passages").select("song_id").distinct().execute()).map(
      (r) => r.song_id,
    );
    songs = [...(await (await t.verso.songStore()).getSongs(ids)).values()];
    fs.rmSync(folder, { recursive: true, force: true });
  }, 900_000);
  afterAll(async () => t?.close());

  for (const [name, filter] of Object.entries(filters)) {
    it(`${name}: a full answer when the catalog can fill it, and only songs that pass`, async () => {
      const passing = songs.filter((s) => matchesSongFilter(songAttributes(s), filter)).length;
      const search = await t.verso.search();
      for (const prompt of ["songs about love and heartbreak", "canciones para bailar toda la noche"]) {
        const answer = await search.ask({ prompt, k: K, filters: filter });
        expect(answer.results, `${prompt}: ${passing} songs pass`).toHaveLength(Math.min(K, passing));
        for (const { song } of answer.results)
          expect(matchesSongFilter(songAttributes(song), filter), `${song.title}`).toBe(true);
      }
    });
  }

  it("holds enough songs for most filters to be tested at full k", () => {
    const full = Object.values(filters).filter(
      (filter) => songs.filter((s) => matchesSongFilter(songAttributes(s), filter)).length >= K,
    );
    expect(songs.length).toBeGreaterThan(300);
    expect(full.length).toBeGreaterThanOrEqual(Object.keys(filters).length - 2);
  });
});
