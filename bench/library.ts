/**
 * `npm run bench -- --only library`: a music folder as a catalog source.
 *
 *  - scan: files/s of reading a folder's tracks (walk, content hash, tags, lyrics) without
 *    embedding, for tracks with lyrics in their tags, with an .lrc beside them, and without
 *    lyrics;
 *  - re-scan: a crawl of an unchanged library of 10,000 tracks already in the catalog (target
 *    under 5 s on 2 cores), in the process that scanned it (file hashes in memory) and in a new
 *    one (the size and mtime the catalog recorded trusted instead of hashing).
 *
 * The tracks are copies of one-second files made by ffmpeg (mid3v2 for MP3 lyrics), in MP3,
 * FLAC, Ogg and M4A in turn; the figures measure Verso's reading, not the audio.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { createMusicFolder } from "../src/adapters/library/music-folder.js";
import { RACY_MS } from "../src/adapters/bucket/folder.js";
import { composeVerso } from "../src/compose/index.js";
import { loadConfig } from "../src/config.js";
import type { Verso } from "../src/compose/index.js";
import type { Bucket } from "../src/core/ports.js";
import { startWorker } from "../src/roles/worker.js";

const run = promisify(execFile);
const formats = ["mp3", "flac", "ogg", "m4a"] as const;
const codecs: Record<(typeof formats)[number], string[]> = {
  mp3: ["-c:a", "libmp3lame", "-b:a", "32k"],
  flac: ["-c:a", "flac"],
  ogg: ["-c:a", "libvorbis", "-q:a", "0"],
  m4a: ["-c:a", "aac", "-b:a", "32k"],
};
const lyrics = Array.from({ length: 24 }, (_, i) => `line ${i} of a song about the sea and the night`).join(
  "\n",
);

/** One template track per format, with lyrics in its tags or without. */
async function templates(folder: string, withLyrics: boolean): Promise<string[]> {
  const files: string[] = [];
  for (const format of formats) {
    const file = path.join(folder, `template-${withLyrics ? "lyrics" : "plain"}.${format}`);
    const lyricTag =
      withLyrics && format !== "mp3"
        ? ["-metadata", `${format === "m4a" ? "lyrics" : "LYRICS"}=${lyrics}`]
        : [];
    await run("ffmpeg", [
      ...[
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-f",
        "lavfi",
        "-i",
        "anullsrc=r=22050:cl=mono",
        "-t",
        "1",
      ],
      ...codecs[format],
      ...["-metadata", "title=Template", "-metadata", "artist=Bench", "-metadata", "album=Bench"],
      ...lyricTag,
      file,
    ]);
    if (withLyrics && format === "mp3") await run("mid3v2", ["--USLT", `:${lyrics}:eng`, file]);
    files.push(file);
  }
  return files;
}

/** `count` tracks in folders of 100, copies of the templates in turn; an .lrc beside each when asked. */
function library(folder: string, from: readonly string[], count: number, lrc: boolean): void {
  for (let i = 0; i < count; i++) {
    const template = from[i % from.length]!;
    const dir = path.join(folder, `album-${Math.floor(i / 100)}`);
    if (i % 100 === 0) fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `track-${i}${path.extname(template)}`);
    fs.copyFileSync(template, file);
    if (lrc) fs.writeFileSync(file.replace(/\.[^.]+$/, ".lrc"), lyrics.replace(/^/gm, "[00:01.00]"));
  }
}

/** Lists the folder and reads every track's song, as a worker would, without embedding. */
async function scan(folder: string): Promise<{ files: number; ms: number; withLyrics: number }> {
  const started = performance.now();
  const source = createMusicFolder(folder);
  let files = 0;
  let withLyrics = 0;
  for await (const object of source.list()) {
    for await (const event of source.readSongs(object.key, {
      etag: object.etag,
      fromRow: 0,
      size: object.size,
    })) {
      if (event.kind === "song" && event.song.lyrics) withLyrics += 1;
    }
    files += 1;
  }
  return { files, ms: performance.now() - started, withLyrics };
}

/** Crawls the library and works every object to its end with one worker, watching the totals only. */
async function scanThroughCatalog(verso: Verso, library: Bucket): Promise<{ objects: number; ms: number }> {
  const started = performance.now();
  const report = await (await verso.crawler()).crawl(library);
  const { status } = await verso.catalogStores();
  const worker = await startWorker(verso);
  try {
    for (;;) {
      const { objects } = await status.totals();
      if (objects.done + objects.failed >= report.listed) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    await worker.stop();
  }
  return { objects: report.listed, ms: performance.now() - started };
}

const waitPastRacyWindow = () => new Promise((resolve) => setTimeout(resolve, RACY_MS + 100));

export async function benchLibrary(
  log: (line: string) => void,
  rescanCount = 10_000,
): Promise<[string, string][]> {
  const summary: [string, string][] = [];
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "verso-bench-library-"));
  try {
    const templateDir = path.join(root, "templates");
    fs.mkdirSync(templateDir);
    const tagged = await templates(templateDir, true);
    const plain = await templates(templateDir, false);

    log("\n── music folder: scan without embedding (walk, hash, tags, lyrics) ──");
    const variants = [
      { name: "lyrics in the tags", from: tagged, lrc: false },
      { name: "lyrics in an .lrc beside", from: plain, lrc: true },
      { name: "no lyrics", from: plain, lrc: false },
    ];
    // Three rounds, the variants in turn within each, so the shared machine's moods touch all
    // of them alike; each variant's median round is quoted.
    const rates = new Map<string, number[]>(variants.map((variant) => [variant.name, []]));
    for (let round = 0; round < 3; round++) {
      for (const variant of variants) {
        const folder = path.join(root, variant.name.replace(/\W+/g, "-"));
        library(folder, variant.from, 1000, variant.lrc);
        const result = await scan(folder);
        const rate = result.files / (result.ms / 1000);
        rates.get(variant.name)!.push(rate);
        log(
          `round ${round + 1}, ${variant.name}: ${result.files} tracks (${result.withLyrics} with lyrics) in ${(result.ms / 1000).toFixed(2)} s = ${rate.toFixed(0)} files/s`,
        );
        fs.rmSync(folder, { recursive: true, force: true });
      }
    }
    for (const [name, values] of rates) {
      const median = [...values].sort((x, y) => x - y)[1]!;
      summary.push([`library scan, ${name} (median of 3)`, `${median.toFixed(0)} files/s`]);
    }

    log(`\n── music folder: re-scan of an unchanged library of ${rescanCount} tracks ──`);
    // Tracks without lyrics: the whole library is in the catalog without waiting on the model.
    const music = path.join(root, "music");
    library(music, plain, rescanCount, false);
    const config = loadConfig(process.env, {
      dataDir: path.join(root, "data"),
      demo: false,
      logLevel: "warn",
      libraryUrl: `file://${music}`,
    });
    const first = composeVerso(config);
    try {
      await (await first.index()).refresh();
      const library = first.configuredLibrary()!;
      const ingested = await scanThroughCatalog(first, library);
      const rate = ingested.objects / (ingested.ms / 1000);
      log(
        `first scan through the queue and the database: ${ingested.objects} tracks in ${(ingested.ms / 1000).toFixed(1)} s = ${rate.toFixed(0)} files/s`,
      );
      summary.push([`library first scan through the catalog, no lyrics`, `${rate.toFixed(0)} files/s`]);
      // The hashes of files younger than the racy window are not kept: scan once past it.
      await waitPastRacyWindow();
      const crawler = await first.crawler();
      await crawler.crawl(library);
      const t0 = performance.now();
      const again = await crawler.crawl(library);
      const warm = performance.now() - t0;
      log(
        `re-scan, same process: ${again.listed} tracks, ${again.queued.length} queued, in ${(warm / 1000).toFixed(2)} s (target < 5 s)`,
      );
      summary.push([
        `library re-scan, ${rescanCount} unchanged tracks, same process`,
        `${(warm / 1000).toFixed(2)} s`,
      ]);
    } finally {
      await first.close();
    }
    const restarted = composeVerso(config);
    try {
      const t0 = performance.now();
      const again = await (await restarted.crawler()).crawl(restarted.configuredLibrary()!);
      const cold = performance.now() - t0;
      log(
        `re-scan, new process (no hash in memory: size and mtime as the catalog recorded them): ${again.listed} tracks, ${again.queued.length} queued, in ${(cold / 1000).toFixed(2)} s`,
      );
      summary.push([
        `library re-scan, ${rescanCount} unchanged tracks, new process`,
        `${(cold / 1000).toFixed(2)} s`,
      ]);
    } finally {
      await restarted.close();
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  return summary;
}
