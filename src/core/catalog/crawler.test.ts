import { describe, expect, it } from "vitest";
import { catalogObject, memoryBucket, T0 } from "../../../test/catalog/fakes.js";
import type { QueueStats } from "../ports.js";
import { Crawler, jobOf, type CrawlerDeps } from "./crawler.js";
import type { IndexWriter } from "./index-writer.js";
import type { CatalogObject, CatalogObjectStore, IngestJob, OfferOptions } from "./store.js";

const MINUTE = 60_000;

/**
 * Objects in memory: an offered object is queued for a new run when it is new, changed or of
 * another model, or failed and forced; removing one answers a change for the index.
 */
function memoryObjectStore() {
  const objects = new Map<number, CatalogObject>();
  const offers: OfferOptions[] = [];
  const enqueuedAt = new Map<number, Date>();
  const failed: { id: number; error: string }[] = [];
  const store: CatalogObjectStore = {
    async offerObject(source, listed, model, options) {
      offers.push(options);
      const existing = [...objects.values()].find((o) => o.source === source && o.key === listed.key);
      const unchanged = existing?.etag === listed.etag && existing.model === model;
      if (existing && unchanged && !(existing.status === "failed" && options.force)) {
        return { object: existing, enqueue: false };
      }
      const object = catalogObject({
        id: existing?.id ?? objects.size + 1,
        source,
        key: listed.key,
        etag: listed.etag,
        size: listed.size,
        model,
        generation: (existing?.generation ?? 0) + 1,
      });
      objects.set(object.id, object);
      return { object, enqueue: true };
    },
    async markEnqueued(id, at) {
      enqueuedAt.set(id, at);
    },
    getObject: async (id) => objects.get(id) ?? null,
    listObjects: async (options = {}) =>
      [...objects.values()].filter((o) => !options.source || o.source === options.source),
    async unattendedObjects(source, now) {
      return [...objects.values()].filter(
        (o) =>
          (source === null || o.source === source) &&
          (o.status === "queued" || o.status === "processing") &&
          (o.leaseExpiresAt === null || Date.parse(o.leaseExpiresAt) <= now.getTime()),
      );
    },
    async failObject(id, error) {
      failed.push({ id, error });
    },
    async removeObject(id) {
      objects.delete(id);
      return { catalogVersion: 5, added: [], removed: [id * 100] };
    },
  };
  return { store, objects, offers, enqueuedAt, failed };
}

function setUp(deps: Partial<CrawlerDeps> = {}) {
  const files = memoryBucket();
  const objects = memoryObjectStore();
  const jobs: IngestJob[] = [];
  const stats: QueueStats = { ready: 0, inFlight: 0, dead: 0 };
  const applied: unknown[] = [];
  const pruned: number[] = [];
  const indexWriter: IndexWriter = {
    async apply(commit) {
      const committed = await commit();
      applied.push(committed);
      return committed;
    },
  };
  let now = T0.getTime();
  const crawler = new Crawler({
    objects: objects.store,
    changeLog: { pruneChanges: async (keep) => void pruned.push(keep) },
    queue: { enqueue: async (job) => void jobs.push(job), stats: async () => ({ ...stats }) },
    indexWriter,
    model: "stub-model",
    failedCooldownMs: 10 * MINUTE,
    requeueAfterMs: 2 * MINUTE,
    maxDeliveries: 3,
    clock: () => new Date(now),
    ...deps,
  });
  return { crawler, files, objects, jobs, stats, applied, pruned, advance: (ms: number) => (now += ms) };
}

/** An object recorded before this crawler started, as a crash or a lost job left it. */
const leftOver = (t: ReturnType<typeof setUp>, overrides: Partial<CatalogObject>) => {
  const { key, etag, size } = t.files.write("left.csv", "id,name,artists,lyrics\n");
  const object = catalogObject({ id: 50, source: t.files.bucket.url, key, etag, size, ...overrides });
  t.objects.objects.set(object.id, object);
  return object;
};

describe("the crawler", () => {
  it("queues each new object of the bucket once, with a job of its run", async () => {
    const t = setUp();
    t.files.write("a.csv", "a");
    t.files.write("b.csv", "bb");
    const report = await t.crawler.crawl(t.files.bucket);
    expect(report).toMatchObject({
      source: "file:///bucket",
      listed: 2,
      removed: 0,
      requeued: [],
      failed: [],
    });
    expect(report.queued.map((o) => o.key)).toEqual(["a.csv", "b.csv"]);
    expect(t.jobs).toEqual(report.queued.map(jobOf));
    expect([...t.objects.enqueuedAt.values()]).toEqual([T0, T0]);
    expect(t.objects.offers[0]).toEqual({ failedCooldownMs: 10 * MINUTE, now: T0 });

    const again = await t.crawler.crawl(t.files.bucket);
    expect(again).toMatchObject({ listed: 2, queued: [] });
    expect(t.jobs).toHaveLength(2);
  });

  it("records an entry the bucket will not read as failed with the bucket's reason, and never queues it", async () => {
    const t = setUp();
    t.files.write("a.csv", "a");
    t.files.refuse("link-notes.csv", "a symbolic link to a file outside the bucket: not read");
    const report = await t.crawler.crawl(t.files.bucket);
    expect(report.queued.map((o) => o.key)).toEqual(["a.csv"]);
    expect(report.refused.map((o) => o.key)).toEqual(["link-notes.csv"]);
    expect(t.jobs.map((j) => j.key)).toEqual(["a.csv"]);
    expect(t.objects.failed).toEqual([
      { id: report.refused[0]!.id, error: "a symbolic link to a file outside the bucket: not read" },
    ]);
    // Listed, so not removed from the catalog either.
    expect(report.removed).toBe(0);
  });

  it("queues an object again when it changed, for its new run", async () => {
    const t = setUp();
    t.files.write("a.csv", "a");
    await t.crawler.crawl(t.files.bucket);
    t.files.write("a.csv", "a, changed");
    const report = await t.crawler.crawl(t.files.bucket);
    expect(report.queued.map((o) => [o.key, o.generation])).toEqual([["a.csv", 2]]);
    expect(t.jobs.map((j) => j.generation)).toEqual([1, 2]);
  });

  it("asks for failed objects again at once when forced", async () => {
    const t = setUp();
    t.files.write("a.csv", "a");
    const [queued] = (await t.crawler.crawl(t.files.bucket)).queued;
    t.objects.objects.set(queued!.id, { ...queued!, status: "failed" });
    expect((await t.crawler.crawl(t.files.bucket)).queued).toEqual([]);
    const forced = await t.crawler.crawl(t.files.bucket, { force: true });
    expect(forced.queued.map((o) => o.key)).toEqual(["a.csv"]);
    expect(t.objects.offers.at(-1)).toMatchObject({ force: true });
  });

  it("removes the objects gone from the bucket, through the index writer", async () => {
    const t = setUp();
    t.files.write("a.csv", "a");
    t.files.write("b.csv", "b");
    await t.crawler.crawl(t.files.bucket);
    const elsewhere = catalogObject({ id: 99, source: "file:///elsewhere", key: "c.csv" });
    t.objects.objects.set(elsewhere.id, elsewhere);
    t.files.remove("a.csv");
    const report = await t.crawler.crawl(t.files.bucket);
    expect(report.removed).toBe(1);
    expect(t.applied).toEqual([{ catalogVersion: 5, added: [], removed: [100] }]);
    expect([...t.objects.objects.values()].map((o) => o.key).sort()).toEqual(["b.csv", "c.csv"]);
  });

  it("removes nothing after a listing that was not complete", async () => {
    const t = setUp();
    t.files.write("a.csv", "a");
    await t.crawler.crawl(t.files.bucket);
    t.files.remove("a.csv");
    t.files.bucket.partial = true;
    expect((await t.crawler.crawl(t.files.bucket)).removed).toBe(0);
    expect(t.objects.objects.size).toBe(1);
  });

  it("queues again an unheld object whose job was lost, once nothing waits on the queue long enough", async () => {
    const t = setUp();
    const lost = leftOver(t, { enqueuedAt: T0.toISOString(), queuedAt: T0.toISOString() });
    t.advance(MINUTE);
    expect((await t.crawler.crawl(t.files.bucket)).requeued).toEqual([]);
    t.advance(2 * MINUTE);
    t.stats.ready = 4;
    // While jobs wait on the queue, this object's may be among them.
    expect((await t.crawler.crawl(t.files.bucket)).requeued).toEqual([]);
    t.stats.ready = 0;
    const report = await t.crawler.crawl(t.files.bucket);
    expect(report.requeued.map((o) => o.id)).toEqual([lost.id]);
    expect(t.jobs).toEqual([jobOf(lost)]);
    expect(t.objects.enqueuedAt.get(lost.id)).toEqual(new Date(T0.getTime() + 3 * MINUTE));
  });

  it("counts an object's wait from when its last worker's lease ran out", async () => {
    const t = setUp();
    const expired = new Date(T0.getTime() + 5 * MINUTE);
    leftOver(t, { status: "processing", deliveries: 1, leaseExpiresAt: expired.toISOString() });
    t.advance(6 * MINUTE);
    expect((await t.crawler.reconcile(null)).requeued).toEqual([]);
    t.advance(MINUTE);
    expect((await t.crawler.reconcile(null)).requeued).toHaveLength(1);
  });

  it("fails an object its workers kept stopping on, saying so", async () => {
    const t = setUp();
    const doomed = leftOver(t, { status: "processing", deliveries: 3 });
    const report = await t.crawler.reconcile(t.files.bucket.url);
    expect(report).toMatchObject({ source: "file:///bucket", requeued: [] });
    expect(report.failed.map((o) => o.id)).toEqual([doomed.id]);
    expect(t.objects.failed).toEqual([
      { id: doomed.id, error: "its worker stopped 3 times while processing it, without finishing" },
    ]);
    expect(t.jobs).toEqual([]);
  });

  it("reconciles the objects of every source when asked for none in particular", async () => {
    const t = setUp();
    const other = catalogObject({ id: 7, source: "file:///elsewhere", key: "x.csv" });
    t.objects.objects.set(other.id, other);
    t.advance(3 * MINUTE);
    expect((await t.crawler.reconcile(t.files.bucket.url)).requeued).toEqual([]);
    const report = await t.crawler.reconcile(null);
    expect(report.source).toBe("*");
    expect(report.requeued.map((o) => o.id)).toEqual([other.id]);
  });

  it("prunes the change log after each crawl, keeping the versions it was given", async () => {
    const t = setUp({ keepChangeVersions: 500 });
    await t.crawler.crawl(t.files.bucket);
    expect(t.pruned).toEqual([500]);
    const byDefault = setUp();
    await byDefault.crawler.crawl(byDefault.files.bucket);
    expect(byDefault.pruned).toEqual([10_000]);
    // Reconciling alone lists nothing and prunes nothing.
    await byDefault.crawler.reconcile(null);
    expect(byDefault.pruned).toEqual([10_000]);
  });
});
