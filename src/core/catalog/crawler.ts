/**
 * The crawler's use case: list a bucket, record every object, queue the new or changed ones,
 * and reconcile the catalog with the bucket and the queue, so that nothing stays stuck:
 *  - an object that left the bucket leaves the catalog (and its songs, unless another object
 *    holds them);
 *  - a failed object is queued again after its cool-down (at once when forced);
 *  - an object that is queued or processing but that no worker holds, while the queue has no
 *    job waiting, lost its job (a crash between offering and enqueueing, a job dead-lettered):
 *    it is queued again, or marked failed when its workers kept stopping on it.
 * Listing again changes nothing while the objects stay the same.
 */
import type { Bucket, JobQueue } from "../ports.js";
import type { LiveIndex } from "../search/live-index.js";
import type { CatalogObject, CatalogStore, IngestJob } from "./store.js";

export interface CrawlReport {
  source: string;
  listed: number;
  queued: CatalogObject[];
  /** Objects whose job was lost, queued again. */
  requeued: CatalogObject[];
  /** Objects gone from the bucket, removed from the catalog. */
  removed: number;
  /** Objects marked failed because their workers kept stopping on them. */
  failed: CatalogObject[];
}

export interface CrawlerOptions {
  store: CatalogStore;
  queue: JobQueue<IngestJob>;
  /** Where removals go: the vector index of this process, or straight to the database. */
  index: Pick<LiveIndex, "apply">;
  model: string;
  /** A failed, unchanged object is tried again this long after it failed. */
  failedCooldownMs: number;
  /** How long an unheld object waits, with nothing on the queue, before its job counts as lost. */
  requeueAfterMs: number;
  /** Deliveries after which an object that no worker finishes is marked failed. */
  maxDeliveries: number;
  /** Change-log entries kept for vector indexes that catch up. */
  keepChangeVersions?: number;
  clock?: () => Date;
}

export const jobOf = (object: CatalogObject): IngestJob => ({
  objectId: object.id,
  source: object.source,
  key: object.key,
  etag: object.etag,
  generation: object.generation,
});

export function createCrawler(options: CrawlerOptions) {
  const { store, queue, model, index } = options;
  const clock = options.clock ?? (() => new Date());

  async function enqueue(object: CatalogObject): Promise<void> {
    await queue.enqueue(jobOf(object));
    await store.markEnqueued(object.id, clock());
  }

  async function reconcile(source: string | null, report: CrawlReport): Promise<void> {
    const now = clock();
    const unattended = await store.unattendedObjects(source, now);
    if (unattended.length === 0) return;
    const stats = await queue.stats();
    for (const object of unattended) {
      if (object.deliveries >= options.maxDeliveries) {
        await store.failObject(
          object.id,
          `its worker stopped ${object.deliveries} times while processing it, without finishing`,
          now,
        );
        report.failed.push(object);
        continue;
      }
      const waitingSince = Math.max(
        Date.parse(object.enqueuedAt ?? object.queuedAt),
        object.leaseExpiresAt ? Date.parse(object.leaseExpiresAt) : 0,
      );
      // While jobs wait on the queue, this object's may be among them.
      if (stats.ready > 0 || now.getTime() - waitingSince < options.requeueAfterMs) continue;
      await enqueue(object);
      report.requeued.push(object);
    }
  }

  async function crawl(bucket: Bucket, crawlOptions: { force?: boolean } = {}): Promise<CrawlReport> {
    const report: CrawlReport = {
      source: bucket.url,
      listed: 0,
      queued: [],
      requeued: [],
      removed: 0,
      failed: [],
    };
    const listedKeys = new Set<string>();
    for await (const listed of bucket.list()) {
      report.listed += 1;
      listedKeys.add(listed.key);
      const { object, enqueue: needed } = await store.offerObject(bucket.url, listed, model, {
        failedCooldownMs: options.failedCooldownMs,
        now: clock(),
        ...(crawlOptions.force ? { force: true } : {}),
      });
      if (!needed) continue;
      await enqueue(object);
      report.queued.push(object);
    }
    // Only a bucket that listed everything it holds tells what is gone.
    if (!bucket.partial) {
      for (const object of await store.listObjects({ source: bucket.url })) {
        if (listedKeys.has(object.key)) continue;
        await index.apply(() => store.removeObject(object.id));
        report.removed += 1;
      }
    }
    await reconcile(bucket.url, report);
    await store.pruneChanges(options.keepChangeVersions ?? 10_000);
    return report;
  }

  return {
    crawl,
    /** Reconciles the objects of one source (of every source: null) with the queue, without listing. */
    async reconcile(source: string | null): Promise<CrawlReport> {
      const report = emptyReport(source ?? "*");
      await reconcile(source, report);
      return report;
    },
  };
}

const emptyReport = (source: string): CrawlReport => ({
  source,
  listed: 0,
  queued: [],
  requeued: [],
  removed: 0,
  failed: [],
});

export type Crawler = ReturnType<typeof createCrawler>;
