/**
 * Crawls one bucket and works its new or changed objects to completion in this process: what
 * `verso ingest` does, and what benchmarks and tests use to load a catalog. It waits for the
 * objects of earlier runs that never finished too, and reconciles them with the queue while it
 * waits, so a lost job or an object its workers kept dying on cannot make it wait forever.
 */
import type { Verso } from "../compose/index.js";
import type { CatalogObject } from "../core/catalog/store.js";
import { startWorker } from "./worker.js";

export interface IngestRunProgress {
  /** Bytes of the queued objects read so far, and in all. */
  bytes: number;
  totalBytes: number;
  songs: number;
  passages: number;
}

export interface IngestRun {
  listed: number;
  objects: CatalogObject[];
  ms: number;
}

export async function ingestOnce(
  verso: Verso,
  source: string,
  options: { onProgress?: (progress: IngestRunProgress) => void; pollMs?: number; reconcileMs?: number } = {},
): Promise<IngestRun> {
  const started = Date.now();
  const [crawler, stores] = [await verso.crawler(), await verso.catalogStores()];
  const report = await crawler.crawl(verso.bucketFor(source));
  const unfinished = (await stores.objects.listObjects({ source: report.source })).filter(
    (o) => o.status === "queued" || o.status === "processing",
  );
  // What this crawl queued, queued again, gave up on or refused, and what earlier runs left unfinished.
  const waitFor = new Map(
    [...report.queued, ...report.requeued, ...report.failed, ...report.refused, ...unfinished].map((o) => [
      o.id,
      o,
    ]),
  );
  if (waitFor.size === 0) return { listed: report.listed, objects: [], ms: Date.now() - started };
  const ids = [...waitFor.keys()];
  const totalBytes = [...waitFor.values()].reduce((s, o) => s + o.size, 0);
  const worker = await startWorker(verso);
  let reconciled = Date.now();
  try {
    for (;;) {
      const objects = (await Promise.all(ids.map((id) => stores.objects.getObject(id)))).filter(
        (o): o is CatalogObject => o !== null,
      );
      const finished = objects.every((o) => o.status === "done" || o.status === "failed");
      const sum = (f: (o: CatalogObject) => number) => objects.reduce((s, o) => s + f(o), 0);
      options.onProgress?.({
        bytes: sum((o) => (o.status === "done" ? o.size : o.bytesDone)),
        totalBytes,
        songs: sum((o) => o.songs),
        passages: sum((o) => o.passages),
      });
      if (finished) return { listed: report.listed, objects, ms: Date.now() - started };
      if (Date.now() - reconciled >= (options.reconcileMs ?? 10_000)) {
        await crawler.reconcile(report.source);
        reconciled = Date.now();
      }
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
    }
  } finally {
    await worker.stop();
  }
}
