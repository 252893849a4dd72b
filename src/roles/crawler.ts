/**
 * The crawler role: lists the configured bucket at start and then on a schedule, and queues
 * new or changed objects. On an empty catalog it first queues the demo catalog, so a new
 * installation has songs to search at once.
 */
import type { Verso } from "../compose.js";
import type { CrawlReport } from "../core/catalog/crawler.js";
import { demoCatalogFolder } from "../paths.js";

export function scanConfiguredBucket(verso: Verso): Promise<CrawlReport> {
  return verso.crawler.crawl(verso.bucketFor(verso.config.bucketUrl));
}

/** Queues the demo catalog when the catalog has never held anything. */
export async function seedDemoCatalog(verso: Verso): Promise<CrawlReport | null> {
  const objects = await verso.catalogStore.listObjects();
  if (objects.length > 0) return null;
  return verso.crawler.crawl(verso.bucketFor(`file://${demoCatalogFolder}`));
}

export function startCrawler(verso: Verso) {
  const { config, log } = verso;
  let running: Promise<unknown> = Promise.resolve();
  const crawl = () => {
    running = running
      .then(() => scanConfiguredBucket(verso))
      .then((report) => {
        if (report.queued.length > 0)
          log(`crawl of ${report.source}: ${report.queued.length} objects queued`);
      })
      .catch((error: unknown) => log(`crawl of ${config.bucketUrl} failed: ${String(error)}`));
    return running;
  };
  void crawl();
  const timer =
    config.crawlIntervalSeconds > 0
      ? setInterval(() => void crawl(), config.crawlIntervalSeconds * 1000)
      : undefined;
  timer?.unref();
  return {
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
}
