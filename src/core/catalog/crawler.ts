/**
 * The crawler's use case: list a bucket, record every object, and queue the new or changed
 * ones. Listing again changes nothing while the objects stay the same.
 */
import type { Bucket, JobQueue } from "../ports.js";
import type { CatalogObject, CatalogStore, IngestJob } from "./store.js";

export interface CrawlReport {
  source: string;
  listed: number;
  queued: CatalogObject[];
}

export function createCrawler(options: { store: CatalogStore; queue: JobQueue<IngestJob>; model: string }) {
  const { store, queue, model } = options;

  async function crawl(bucket: Bucket): Promise<CrawlReport> {
    const report: CrawlReport = { source: bucket.url, listed: 0, queued: [] };
    for await (const listed of bucket.list()) {
      report.listed += 1;
      const { object, enqueue } = await store.offerObject(bucket.url, listed, model);
      if (!enqueue) continue;
      await queue.enqueue({ objectId: object.id, source: bucket.url, key: object.key, etag: object.etag });
      report.queued.push(object);
    }
    return report;
  }

  return { crawl };
}

export type Crawler = ReturnType<typeof createCrawler>;
