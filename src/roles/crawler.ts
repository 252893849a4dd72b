/**
 * The crawler role: lists the configured bucket at start and then on a schedule, queues new or
 * changed objects, and reconciles the catalog with the queue (objects of every source) so that
 * none stays stuck. On an empty catalog it first queues the demo catalog, so a new
 * installation has songs to search at once.
 */
import { Cron } from "croner";
import type { Verso } from "../compose/index.js";
import type { CrawlReport } from "../core/catalog/crawler.js";
import { demoCatalogFolder } from "../paths.js";

export const demoCatalogSource = `file://${demoCatalogFolder}`;

/** Queues the demo catalog when the catalog has never held anything. */
export async function seedDemoCatalog(verso: Verso): Promise<CrawlReport | null> {
  const objects = await (await verso.catalogStores()).objects.listObjects({ limit: 1 });
  if (objects.length > 0) return null;
  return (await verso.crawler()).crawl(verso.bucketFor(demoCatalogSource));
}

export async function startCrawler(verso: Verso) {
  const { config, log } = verso;
  const crawler = await verso.crawler();
  let running: Promise<unknown> = Promise.resolve();
  const crawl = () => {
    running = running
      .then(async () => {
        const report = await crawler.crawl(verso.configuredBucket());
        const others = await crawler.reconcile(null);
        const changes = [
          report.queued.length > 0 ? `${report.queued.length} queued` : "",
          report.requeued.length + others.requeued.length > 0
            ? `${report.requeued.length + others.requeued.length} queued again (their jobs were lost)`
            : "",
          report.removed > 0 ? `${report.removed} removed (gone from the bucket)` : "",
          report.failed.length + others.failed.length > 0
            ? `${report.failed.length + others.failed.length} failed (their workers kept stopping)`
            : "",
        ].filter(Boolean);
        if (changes.length > 0) log(`crawl of ${report.source}: ${changes.join(", ")}`);
      })
      .catch((error: unknown) => log(`crawl of ${config.bucketUrl} failed: ${String(error)}`));
    return running;
  };
  void crawl();
  // A crawl still running when the next is due is not doubled: they queue one after the other.
  const schedule =
    config.crawlSchedule === "off"
      ? undefined
      : new Cron(config.crawlSchedule, { unref: true }, () => void crawl());
  return {
    async stop() {
      schedule?.stop();
      await running;
    },
  };
}
