/**
 * The ingest never wedges and the catalog follows the bucket: an object whose job was lost
 * (a crash between offering and enqueueing) comes back; one whose workers kept dying is marked
 * failed with the reason; an embedder away for a minute delays an object but does not fail it;
 * a song removed from a CSV, and a CSV removed from the bucket, leave search.
 */
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ingestOnce } from "../../src/roles/ingest-once.js";
import { openTestVerso, tempDir, writeCsv } from "../support/verso.js";
import { startRelay, type TcpRelay } from "../support/tcp-relay.js";

const header = ["id", "name", "album_name", "artists", "energy", "valence", "lyrics"];
const lyric = (theme: string) =>
  `I sing about ${theme} in the morning\nand ${theme} again at night\n\n${theme} is all I know\nso I hold it tight`;
const row = (id: string, title: string, theme: string) => [
  id,
  title,
  "Album",
  "['Singer']",
  "0.5",
  "0.5",
  lyric(theme),
];

describe("the ingest lifecycle", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp(settings: Record<string, string> = {}) {
    const bucket = tempDir("verso-lifecycle-bucket-");
    cleanups.push(() => fs.rmSync(bucket, { recursive: true, force: true }));
    const t = await openTestVerso({ queueLeaseSeconds: "1", ...settings });
    cleanups.push(() => t.close());
    return { t, bucket, source: `file://${bucket}` };
  }

  it("brings back an object whose job was lost between offering and enqueueing", async () => {
    const { t, bucket, source } = await setUp();
    writeCsv(path.join(bucket, "a.csv"), header, [row("s1", "Sea", "the sea")]);
    // A crawler that recorded the object and died before putting its job on the queue.
    const { objects } = await t.verso.catalogStores();
    for await (const listed of t.verso.bucketFor(source).list()) {
      await objects.offerObject(source, listed, (await t.verso.embedder()).model.name, {
        failedCooldownMs: 0,
        now: new Date(),
      });
    }
    const run = await ingestOnce(t.verso, source, { reconcileMs: 500 });
    expect(run.objects.map((o) => [o.key, o.status, o.songs])).toEqual([["a.csv", "done", 1]]);
  }, 120_000);

  it("marks failed, with the reason, an object whose workers kept dying on it", async () => {
    const { t, bucket, source } = await setUp({ ingestMaxDeliveries: "3" });
    writeCsv(path.join(bucket, "a.csv"), header, [row("s1", "Sea", "the sea")]);
    const [{ objects, runs }, queue, embedder] = [
      await t.verso.catalogStores(),
      await t.verso.queue(),
      await t.verso.embedder(),
    ];
    const listing = [];
    for await (const listed of t.verso.bucketFor(source).list()) listing.push(listed);
    const [listed] = listing;
    const { object } = await objects.offerObject(source, listed!, embedder.model.name, {
      failedCooldownMs: 0,
      now: new Date(),
    });
    // Three workers took it and died (their leases ran out), and the queue buried the job.
    for (let i = 0; i < 3; i += 1) {
      const at = new Date(Date.now() - (3 - i) * 5_000);
      const outcome = await runs.startObject(
        { objectId: object.id, source, key: object.key, etag: object.etag, generation: object.generation },
        embedder.model.name,
        { token: `dead-${i}`, until: new Date(at.getTime() + 1000), now: at },
      );
      expect(outcome.status).toBe("started");
    }
    expect((await queue.stats()).ready).toBe(0);
    const run = await ingestOnce(t.verso, source, { reconcileMs: 200 });
    expect(run.objects).toHaveLength(1);
    expect(run.objects[0]).toMatchObject({ status: "failed" });
    expect(run.objects[0]!.error).toMatch(/its worker stopped 3 times while processing it/);
  }, 120_000);

  it("finishes an object whose embedder was away for a minute, without anyone touching the file", async () => {
    // The embedding model behind an HTTP embedder role, reached through a relay that the test cuts.
    const server = await openTestVerso({}, { roles: ["embedder"] });
    cleanups.push(() => server.close());
    await server.app.listen({ port: 0, host: "127.0.0.1" });
    const port = (server.app.server.address() as { port: number }).port;
    const relay: TcpRelay = await startRelay(`http://127.0.0.1:${port}`);
    cleanups.push(() => relay.close());

    const { t, bucket, source } = await setUp({ embedder: relay.url, embedderTimeoutSeconds: "2" });
    writeCsv(path.join(bucket, "a.csv"), header, [
      row("s1", "Sea", "the sea"),
      row("s2", "Rain", "the rain"),
    ]);
    await relay.cut();
    const started = Date.now();
    const restored = new Promise<void>((resolve) =>
      setTimeout(() => void relay.restore().then(resolve), 60_000),
    );
    const run = await ingestOnce(t.verso, source);
    await restored;
    expect(Date.now() - started).toBeGreaterThanOrEqual(60_000);
    expect(run.objects.map((o) => [o.status, o.songs, o.error])).toEqual([["done", 2, null]]);
  }, 300_000);

  it("removes from search a song taken out of its CSV, and the songs of a CSV taken out of the bucket", async () => {
    const { t, bucket, source } = await setUp();
    writeCsv(path.join(bucket, "a.csv"), header, [
      row("sea", "Sea", "the ocean"),
      row("rain", "Rain", "the rain"),
    ]);
    writeCsv(path.join(bucket, "b.csv"), header, [row("snow", "Snow", "the snow")]);
    await ingestOnce(t.verso, source);
    const ask = async (prompt: string) =>
      (await t.app.inject({ method: "POST", url: "/api/ask", payload: { prompt, k: 10 } }))
        .json<{ results: { song: { id: string } }[] }>()
        .results.map((r) => r.song.id);
    expect((await ask("the ocean")).sort()).toEqual(["rain", "sea", "snow"]);

    writeCsv(path.join(bucket, "a.csv"), header, [row("rain", "Rain", "the rain")]);
    await ingestOnce(t.verso, source);
    expect(await ask("the ocean")).not.toContain("sea");
    expect((await t.app.inject({ method: "GET", url: "/api/songs/sea" })).statusCode).toBe(404);

    fs.rmSync(path.join(bucket, "b.csv"));
    const report = await (await t.verso.crawler()).crawl(t.verso.bucketFor(source));
    expect(report.removed).toBe(1);
    expect((await ask("the snow")).sort()).toEqual(["rain"]);
    const status = (await t.app.inject({ method: "GET", url: "/api/catalog/status" })).json<{
      songs: number;
      items: { key: string; removed: number }[];
    }>();
    expect(status.songs).toBe(1);
    expect(status.items.map((i) => [i.key, i.removed])).toEqual([["a.csv", 1]]);
  }, 180_000);
});
