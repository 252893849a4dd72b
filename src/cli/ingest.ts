/** `verso ingest <path>`: a CSV file or a folder of them into the catalog, with a progress bar and a summary. */
import fs from "node:fs";
import path from "node:path";
import { composeVerso, type Verso } from "../compose/index.js";
import type { CatalogObject } from "../core/catalog/store.js";
import { ingestOnce } from "../roles/ingest-once.js";
import { configFrom } from "./options.js";
import { progressBar } from "./progress.js";

const rate = (songs: number, ms: number) => (ms > 0 ? (songs / (ms / 1000)).toFixed(1) : "–");

function printSummary(objects: CatalogObject[], ms: number) {
  const sum = (f: (o: CatalogObject) => number) => objects.reduce((s, o) => s + f(o), 0);
  const songs = sum((o) => o.songs);
  console.log("");
  for (const o of objects) {
    const detail =
      o.status === "failed"
        ? `FAILED: ${o.error}`
        : `${o.songs} songs, ${o.passages} passages (${o.reused} reused, ${o.passages - o.reused} embedded)`;
    console.log(
      `  ${o.key}: ${detail}${o.skipped ? `, ${o.skipped} skipped` : ""}${o.errors ? `, ${o.errors} bad rows` : ""}`,
    );
  }
  console.log(
    `objects ${objects.length} (${objects.filter((o) => o.status === "failed").length} failed) · songs ${songs} · ` +
      `passages ${sum((o) => o.passages)} (reused ${sum((o) => o.reused)}, embedded ${sum((o) => o.passages - o.reused)}) · skipped ${sum((o) => o.skipped)} · errors ${sum((o) => o.errors)} · ` +
      `${rate(songs, ms)} songs/s · ${(ms / 1000).toFixed(1)} s`,
  );
}

/** The first bad rows of each object that had some, with their line numbers. */
async function printRowErrors(verso: Verso, objects: CatalogObject[]) {
  const withErrors = objects.filter((x) => x.errors > 0);
  const rowErrors = await (
    await verso.catalogStores()
  ).status.rowErrors(
    withErrors.map((o) => o.id),
    10,
  );
  for (const o of withErrors) {
    const errors = rowErrors.get(o.id) ?? [];
    console.log(
      `  bad rows in ${o.key}${o.errors > errors.length ? ` (first ${errors.length} of ${o.errors})` : ""}:`,
    );
    for (const e of errors) console.log(`    line ${e.line}: ${e.reason}`);
  }
}

export async function ingest(target: string, options: Record<string, unknown>): Promise<number> {
  const config = configFrom({ ...options, demo: "false" });
  const absolute = path.resolve(target);
  if (!fs.existsSync(absolute)) throw new Error(`no such file or folder: ${target}`);
  const verso: Verso = composeVerso(config);
  try {
    await (await verso.index()).refresh();
    const bar = progressBar(
      "{bar} {percentage}% | {songs} songs | {passages} passages | {rate} songs/s | ETA {timeLeft}",
    );
    const started = Date.now();
    let barStarted = false;
    const run = await ingestOnce(verso, `file://${absolute}`, {
      onProgress(p) {
        if (!barStarted) {
          console.log("ingesting new and changed objects");
          bar.start(p.totalBytes, { songs: 0, passages: 0, rate: "–" });
          barStarted = true;
        }
        bar.update(p.bytes, {
          songs: p.songs,
          passages: p.passages,
          rate: rate(p.songs, Date.now() - started),
        });
      },
    });
    if (barStarted) bar.stop();
    if (run.objects.length === 0)
      console.log(`nothing to do: ${run.listed} objects listed, none new or changed`);
    printSummary(run.objects, run.ms);
    await printRowErrors(verso, run.objects);
    return run.objects.some((o) => o.status === "failed") ? 1 : 0;
  } finally {
    await verso.close();
  }
}
