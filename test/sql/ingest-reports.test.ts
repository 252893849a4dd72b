/**
 * Ingest tells every value it changes or drops, row by row, on every dialect: a 600-row file
 * with one cell holding a NUL character, numbers that are not numbers or out of range, an
 * artist list that is not one, a repeated id and a stray quote ends done, with one bad row and
 * a report for each change, shown on the catalog's status (to strangers without the values).
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { createSqlCatalogStores } from "../../src/adapters/sql/catalog/index.js";
import { createSqlSongStore } from "../../src/adapters/sql/song-store.js";
import { CatalogService } from "../../src/core/catalog/catalog-service.js";
import { Crawler } from "../../src/core/catalog/crawler.js";
import { databaseOnly } from "../../src/core/catalog/index-writer.js";
import { IngestRunner } from "../../src/core/catalog/ingest/runner.js";
import { IngestWorker } from "../../src/core/catalog/ingest/worker.js";
import type { IngestJob } from "../../src/core/catalog/store.js";
import { memoryBucket, stubEmbedder } from "../catalog/fakes.js";
import { openTestDatabase, testDialect, type TestDatabase } from "../support/databases.js";

const header = "id,name,artists,tempo,duration_ms,energy,lyrics";
const special: Record<number, string> = {
  100: "s100,Song 100,Ann,-100,200000,0.5,words of song 100",
  200: "s200,Song 200,Ann,120,-1,0.5,words of song 200",
  250: "s250,Song 250,Ann,NaN,200000,0.5,words of song 250",
  260: "s260,Song 260,Ann,120,200000,1e309,words of song 260",
  270: "s270,Song 270,Ann,Infinity,200000,0.5,words of song 270",
  280: `s280,Song 280,"['=cmd|' /C calc'!A0']",120,200000,0.5,words of song 280`,
  300: "s300,Bad\u0000Title,Ann,120,200000,0.5,words of song 300",
  400: "s10,Song 10 again,Ann,120,200000,0.5,words of song 400",
  450: 's450,Song "450" live,Ann,120,200000,0.5,words of song 450',
};
const csv =
  [
    header,
    ...Array.from(
      { length: 600 },
      (_, i) => special[i + 1] ?? `s${i + 1},Song ${i + 1},Ann,120,200000,0.5,words of song ${i + 1}`,
    ),
  ].join("\n") + "\n";

let database: TestDatabase;
let service: CatalogService;
let songs: ReturnType<typeof createSqlSongStore>;

beforeAll(async () => {
  database = await openTestDatabase();
  const stores = createSqlCatalogStores(database);
  songs = createSqlSongStore(database);
  const files = memoryBucket();
  files.write("songs.csv", csv);
  const jobs: IngestJob[] = [];
  const crawler = new Crawler({
    objects: stores.objects,
    changeLog: stores.changeLog,
    queue: {
      enqueue: async (job) => void jobs.push(job),
      stats: async () => ({ ready: 0, inFlight: 0, dead: 0 }),
    },
    indexWriter: databaseOnly,
    model: "stub-model",
    failedCooldownMs: 60_000,
    requeueAfterMs: 60_000,
    maxDeliveries: 3,
  });
  const embedder = stubEmbedder().embedder;
  const worker = new IngestWorker({
    store: stores.runs,
    runner: new IngestRunner({
      store: stores.runs,
      embedder,
      indexWriter: databaseOnly,
      bucketFor: () => files.bucket,
    }),
    indexWriter: databaseOnly,
    model: "stub-model",
    enqueue: async (job) => void jobs.push(job),
    maxAttempts: 3,
    retryTransientForMs: 60_000,
    leaseMs: 60_000,
    sliceMs: 600_000,
  });
  await crawler.crawl(files.bucket);
  for (let i = 0; i < jobs.length; i += 1)
    await worker.handle({ id: String(i), payload: jobs[i]!, attempt: 1 });
  service = new CatalogService({
    status: stores.status,
    queueStats: async () => ({ ready: 0, inFlight: 0, dead: 0 }),
    scan: async () => ({ listed: 0, queued: 0, requeued: 0, removed: 0 }),
  });
}, 120_000);

afterAll(async () => {
  await database?.close();
});

it(`on ${testDialect}, one bad cell is one bad row: the file ends done with every other row`, async () => {
  const [object] = (await service.status({ limit: 10, admin: true })).items;
  expect(object).toMatchObject({ status: "done", errors: 1, error: null });
  // 600 rows: one bad, one repeating an earlier row's id.
  expect((await songs.getSongs(Array.from({ length: 600 }, (_, i) => `s${i + 1}`))).size).toBe(598);
  expect(await songs.getSong("s301")).not.toBeNull();
  expect((await songs.getSong("s450"))?.title).toBe('Song "450" live');
});

it(`on ${testDialect}, every value changed or left out is reported on its row's line`, async () => {
  const [object] = (await service.status({ limit: 10, admin: true })).items;
  const reports = object!.rowErrors.map((r) => [r.line, r.kind, r.reason.split("\n")[0]]);
  expect(reports).toEqual([
    [101, "changed", "tempo is outside 0 to 400: left out"],
    [201, "changed", "duration_ms is outside 0 to 86400000: left out"],
    [251, "changed", "tempo is not a finite number: left out"],
    [261, "changed", "energy is not a finite number: left out"],
    [271, "changed", "tempo is not a finite number: left out"],
    [281, "changed", "artists is not a list as written: kept whole, as one name"],
    [301, "skipped", "title holds a NUL character (U+0000)"],
    [401, "changed", "the same song as an earlier row of this file: this row replaces it"],
  ]);
  expect(object!.changed).toBe(7);
  expect((await songs.getSong("s10"))?.title).toBe("Song 10 again");
  expect((await songs.getSong("s100"))?.features.tempo).toBeNull();
});

it(`on ${testDialect}, a stranger sees what happened to each row, not the values`, async () => {
  const [object] = (await service.status({ limit: 10, admin: false })).items;
  expect(object!.rowErrors.every((r) => !r.reason.includes("\n"))).toBe(true);
  expect(JSON.stringify(object!.rowErrors)).not.toMatch(/-100|calc|1e309/);
});
