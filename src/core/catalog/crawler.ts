/**
 * The crawler's use case: list a bucket, record every object, queue the new or changed ones,
 * and reconcile the catalog with the bucket and the queue, so that nothing stays stuck:
 *  - an object that left the bucket leaves the catalog (and its songs, unless another object
 *    holds them);
 *  - a failed object is queued again after its cool-down (at once when forced);
 *  - an object that is queued or processing but that no worker holds, while the queue has no
 *    job waiting, lost its job (a crash between offering and enqueueing, a job dead-lettered):
 *    it is queued again, or marked failed when its workers kept stopping on it.
 * An entry the bucket lists as refused (a link to a file outside a folder, a name that cannot
 * be a key) is recorded as failed with the bucket's reason, never queued.
 * Listing again changes nothing while the objects stay the same.
 */
import type { Bucket, JobQueue, KnownObject } from "../ports.js";
import type { IndexWriter } from "./index-writer.js";
import type { CatalogChangeLog, CatalogObject, CatalogObjectStore, IngestJob } from "./store.js";

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
  /** Entries the bucket listed but will not read (a link outside a folder, say): failed with why, not queued. */
  refused: CatalogObject[];
}

export interface CrawlerDeps {
  objects: CatalogObjectStore;
  /** Pruned after each crawl. */
  changeLog: Pick<CatalogChangeLog, "pruneChanges">;
  queue: Pick<JobQueue<IngestJob>, "enqueue" | "stats">;
  /** Where removals go: the vector index of this process, or straight to the database. */
  indexWriter: IndexWriter;
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

const emptyReport = (source: string): CrawlReport => ({
  source,
  listed: 0,
  queued: [],
  requeued: [],
  removed: 0,
  failed: [],
  refused: [],
});

export class Crawler {
  private readonly clock: () => Date;

  constructor(private readonly deps: CrawlerDeps) {
    this.clock = deps.clock ?? (() => new Date());
  }

  /** Lists the bucket, queues what is new, changed or due again, removes what left it, then reconciles. */
  async crawl(bucket: Bucket, options: { force?: boolean } = {}): Promise<CrawlReport> {
    const { objects, indexWriter } = this.deps;
    const report = emptyReport(bucket.url);
    const listedKeys = new Set<string>();
    const known = new Map<string, KnownObject>();
    for (const object of await objects.listObjects({ source: bucket.url })) {
      if (object.modifiedAt)
        known.set(object.key, { etag: object.etag, size: object.size, modifiedAt: object.modifiedAt });
    }
    for await (const listed of bucket.list({ known })) {
      report.listed += 1;
      listedKeys.add(listed.key);
      const { object, enqueue } = await objects.offerObject(bucket.url, listed, this.deps.model, {
        failedCooldownMs: this.deps.failedCooldownMs,
        now: this.clock(),
        ...(options.force ? { force: true } : {}),
      });
      if (!enqueue) continue;
      // Recorded with its reason, so the catalog says why it is not read, and never queued.
      if (listed.refused !== undefined) {
        await objects.failObject(object.id, listed.refused, this.clock());
        report.refused.push(object);
        continue;
      }
      await this.enqueue(object);
      report.queued.push(object);
    }
    // Only a bucket that listed everything it holds tells what is gone.
    if (!bucket.partial) {
      for (const object of await objects.listObjects({ source: bucket.url })) {
        if (listedKeys.has(object.key)) continue;
        await indexWriter.apply(() => objects.removeObject(object.id));
        report.removed += 1;
      }
    }
    await this.reconcileInto(bucket.url, report);
    await this.deps.changeLog.pruneChanges(this.deps.keepChangeVersions ?? 10_000);
    return report;
  }

  /** Reconciles the objects of one source (of every source: null) with the queue, without listing. */
  async reconcile(source: string | null): Promise<CrawlReport> {
    const report = emptyReport(source ?? "*");
    await this.reconcileInto(source, report);
    return report;
  }

  private async enqueue(object: CatalogObject): Promise<void> {
    await this.deps.queue.enqueue(jobOf(object));
    await this.deps.objects.markEnqueued(object.id, this.clock());
  }

  private async reconcileInto(source: string | null, report: CrawlReport): Promise<void> {
    const { objects, maxDeliveries, requeueAfterMs } = this.deps;
    const now = this.clock();
    const unattended = await objects.unattendedObjects(source, now);
    if (unattended.length === 0) return;
    const stats = await this.deps.queue.stats();
    for (const object of unattended) {
      if (object.deliveries >= maxDeliveries) {
        await objects.failObject(
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
      if (stats.ready > 0 || now.getTime() - waitingSince < requeueAfterMs) continue;
      await this.enqueue(object);
      report.requeued.push(object);
    }
  }
}
