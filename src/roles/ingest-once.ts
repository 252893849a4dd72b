/**
 * Crawls one bucket and works its new or changed objects to completion in this process: what
 * `verso ingest` does, and what benchmarks and tests use to load a catalog.
 */
import type { Verso } from "../compose.js";
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
  options: { onProgress?: (progress: IngestRunProgress) => void; pollMs?: number } = {},
): Promise<IngestRun> {
  const started = Date.now();
  const report = await verso.crawler.crawl(verso.bucketFor(source));
  // Objects of an earlier run that never finished (its worker was stopped or killed) are
  // still in the queue: this run waits for them too.
  const unfinished = (await verso.catalogStore.listObjects({ source: report.source })).filter(
    (o) => o.status === "queued" || o.status === "processing",
  );
  const waitFor = new Map([...report.queued, ...unfinished].map((o) => [o.id, o]));
  if (waitFor.size === 0) return { listed: report.listed, objects: [], ms: Date.now() - started };
  const ids = [...waitFor.keys()];
  const totalBytes = [...waitFor.values()].reduce((s, o) => s + o.size, 0);
  const worker = startWorker(verso);
  try {
    for (;;) {
      const objects = (await Promise.all(ids.map((id) => verso.catalogStore.getObject(id)))).filter(
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
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
    }
  } finally {
    await worker.stop();
  }
}
