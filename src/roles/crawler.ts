/**
 * The crawler role: lists the configured bucket (and music library, when there is one) at start
 * and then on a schedule, queues new or
 * changed objects, and reconciles the catalog with the queue (objects of every source) so that
 * none stays stuck. On an empty catalog it first queues the demo catalog, so a new
 * installation has songs to search at once.
 */
import { Cron } from "croner";
import type { Verso } from "../compose/index.js";
import type { CrawlReport } from "../core/catalog/crawler.js";
import type { Bucket } from "../core/ports.js";
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
  /** One source's crawl, logged; a source that fails (a music server down) leaves the others be. */
  const crawlSource = async (source: Bucket) => {
    try {
      const report = await crawler.crawl(source);
      const changes = [
        report.queued.length > 0 ? `${report.queued.length} queued` : "",
        report.requeued.length > 0 ? `${report.requeued.length} queued again (their jobs were lost)` : "",
        report.removed > 0 ? `${report.removed} removed (gone from the source)` : "",
        report.failed.length > 0 ? `${report.failed.length} failed (their workers kept stopping)` : "",
      ].filter(Boolean);
      if (changes.length > 0) log(`crawl of ${report.source}: ${changes.join(", ")}`);
    } catch (error) {
      log(`crawl of ${source.url} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const crawl = () => {
    running = running
      .then(async () => {
        for (const source of verso.configuredSources()) await crawlSource(source);
        const others = await crawler.reconcile(null);
        const changes = [
          others.requeued.length > 0 ? `${others.requeued.length} queued again (their jobs were lost)` : "",
          others.failed.length > 0 ? `${others.failed.length} failed (their workers kept stopping)` : "",
        ].filter(Boolean);
        if (changes.length > 0) log(`catalog reconciled: ${changes.join(", ")}`);
      })
      .catch((error: unknown) => log(`crawl failed: ${String(error)}`));
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
