/**
 * The scale bench's catalog: songs whose lyrics are runs of real lines (eight-word pieces of the
 * 2k set's lyrics, read by path, of one language per song), written as CSV objects of a folder
 * bucket. Songs keep their ids from one generation to the next while their lyrics change, so a
 * new generation is a re-ingest of the whole catalog with new content.
 */
import fs from "node:fs";
import path from "node:path";
import { readCatalogCsv } from "../src/core/catalog/csv.js";
import { judgeLyrics, toPassages } from "../src/core/catalog/lyrics.js";
import { seededRandom } from "./seeded-random.js";

export interface Fragments {
  byLanguage: Map<string, string[]>;
  /** One language per song of the source set: drawing from it keeps the set's proportions. */
  languages: string[];
}

const fragmentWords = 8;

export async function loadFragments(dataset: string): Promise<Fragments> {
  const byLanguage = new Map<string, string[]>();
  const languages: string[] = [];
  for (const file of fs.readdirSync(dataset).filter((f) => f.endsWith(".csv"))) {
    for await (const event of readCatalogCsv(fs.createReadStream(path.join(dataset, file)))) {
      if (event.kind !== "song") continue;
      const lyrics = judgeLyrics(event.song.lyrics);
      if (lyrics.status !== "ok") continue;
      const language = event.song.language ?? "und";
      const words = lyrics.text.split(/\s+/).filter(Boolean);
      const pool = byLanguage.get(language) ?? [];
      for (let i = 0; i + fragmentWords <= words.length; i += fragmentWords) {
        pool.push(words.slice(i, i + fragmentWords).join(" "));
      }
      byLanguage.set(language, pool);
      languages.push(language);
    }
  }
  for (const [language, pool] of byLanguage) if (pool.length < 50) byLanguage.delete(language);
  return { byLanguage, languages: languages.filter((l) => byLanguage.has(l)) };
}

const header = [
  "track_id",
  "track_name",
  "track_artist",
  "lyrics",
  "track_album_release_date",
  "playlist_genre",
  "energy",
  "language",
];
const genres = ["pop", "rock", "latin", "rap", "r&b", "edm"];
const cell = (value: string) => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

export interface WrittenCatalog {
  songs: number;
  passages: number;
  objects: string[];
  /** Moves the objects from `staging` into `bucket`, all at once. */
  publish(): void;
}

/**
 * Writes songs until their passages (as the catalog cuts them) reach `passages`, `perObject`
 * songs an object, into `staging`; `publish()` moves them into `bucket` all at once, so a
 * crawler sees either the old generation or the new one whole.
 */
export function writeCatalog(options: {
  fragments: Fragments;
  passages: number;
  perObject: number;
  generation: number;
  staging: string;
  bucket: string;
}): WrittenCatalog {
  const { fragments, perObject, staging, bucket } = options;
  const random = seededRandom(1000 + options.generation);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  fs.mkdirSync(staging, { recursive: true });
  fs.mkdirSync(bucket, { recursive: true });
  const objects: string[] = [];
  let songs = 0;
  let passages = 0;
  while (passages < options.passages) {
    const name = `scale-${String(objects.length).padStart(3, "0")}.csv`;
    const rows = [header.join(",")];
    for (let i = 0; i < perObject && passages < options.passages; i++, songs++) {
      const language = pick(fragments.languages);
      const pool = fragments.byLanguage.get(language)!;
      // 330–490 words: about ten passages of 50 words overlapping by 10.
      const target = 330 + Math.floor(random() * 160);
      const parts: string[] = [];
      for (let words = 0; words < target; words += fragmentWords) parts.push(pick(pool));
      const lyrics = parts.join(" ");
      const judged = judgeLyrics(lyrics);
      passages += judged.status === "ok" ? toPassages(judged.text).length : 0;
      rows.push(
        [
          `scale-${songs}`,
          pick(pool).split(" ").slice(0, 3).join(" "),
          `Artist ${songs % 9973}`,
          lyrics,
          String(1960 + Math.floor(random() * 65)),
          pick(genres),
          (Math.round(random() * 1000) / 1000).toFixed(3),
          language,
        ]
          .map(cell)
          .join(","),
      );
    }
    fs.writeFileSync(path.join(staging, name), `${rows.join("\n")}\n`);
    objects.push(name);
  }
  const publish = () => {
    for (const name of objects) fs.renameSync(path.join(staging, name), path.join(bucket, name));
  };
  return { songs, passages, objects, publish };
}
