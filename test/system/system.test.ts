/**
 * The roles as separate processes on the real engines: one api, two workers, one crawler and
 * one embedder, on MariaDB + RabbitMQ + an S3 server + Memcached, then on PostgreSQL + Redis.
 * Five catalog objects (534 real songs) go into the bucket; one worker is killed with SIGKILL
 * midway; at the end every song is there exactly once with every passage, no job is stuck,
 * no object is left processing, and the api answers prompts. How fast one worker and two
 * ingest is a benchmark: `npm run bench -- --only scaled-out`.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  allFinished,
  datasetFiles,
  expectedCatalog,
  songsPerSecond,
  startStack,
  waitFor,
  type Stack,
} from "./stack.js";

const files = datasetFiles("Khalid", "CharliePuth", "BillieEilish", "CardiB", "SelenaGomez");

describe.each([
  { dialect: "mariadb", cache: "memcached" },
  { dialect: "postgres", cache: "redis" },
] as const)("Verso scaled out on $dialect, RabbitMQ, S3 and $cache", ({ dialect, cache }) => {
  let stack: Stack | undefined;
  afterEach(async () => {
    await stack?.stop();
    stack = undefined;
  });

  it("ingests every song exactly once though a worker is killed midway, and answers prompts", async () => {
    const expected = await expectedCatalog(files);
    expect(expected.songs.size).toBeGreaterThanOrEqual(500);
    stack = await startStack({ dialect, cache });
    await stack.upload(files);
    const embedder = await stack.start("embedder", "embedder");
    await stack.ready(embedder);
    const api = await stack.start("api", "api");
    const crawler = await stack.start("crawler", "crawler");
    const workers = [await stack.start("worker-1", "worker"), await stack.start("worker-2", "worker")];
    for (const p of [api, crawler, ...workers]) await stack.ready(p);

    await waitFor("a third of the songs", async () => (await stack!.census()).songs >= 150, 600_000, 500);
    await workers[0]!.kill("SIGKILL");
    const census = await allFinished(stack, files.length);

    const counts = {
      expected: expected.songs.size,
      present: census.songs,
      doubled: census.songs - census.distinctSongs,
      passagesExpected: expected.passages,
      passagesPresent: census.passages,
      passagesDoubled: census.doubledPassages,
    };
    console.log(
      `${dialect} + ${cache}: ${JSON.stringify(counts)}; ${songsPerSecond(census.objects).toFixed(2)} songs/s`,
    );
    const byKey = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
    expect(census.objects.map((o) => [o.key, o.status, o.error]).sort(byKey)).toEqual(
      files.map((f) => [`catalog/${f.split("/").pop()}`.replace(/^catalog\//, ""), "done", null]).sort(byKey),
    );
    expect(counts).toEqual({
      expected: expected.songs.size,
      present: expected.songs.size,
      doubled: 0,
      passagesExpected: expected.passages,
      passagesPresent: expected.passages,
      passagesDoubled: 0,
    });

    const status = (await (await fetch(`${api.url}/api/catalog/status`)).json()) as {
      objects: Record<string, number>;
      queue: { ready: number; dead: number } | null;
    };
    expect(status.objects).toMatchObject({ queued: 0, processing: 0, done: files.length });
    expect(status.queue).toMatchObject({ ready: 0, dead: 0 });

    // The api catches up with the workers' commits from the change log, every ten seconds.
    const answer = await waitFor(
      "the api to answer with songs",
      async () => {
        const reply = await fetch(`${api.url}/api/ask`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ prompt: "songs about falling in love" }),
        });
        const body = (await reply.json()) as { results: { song: { id: string } }[] };
        return body.results.length === 10 ? body : undefined;
      },
      60_000,
      1000,
    );
    for (const result of answer.results) expect(expected.songs.has(result.song.id)).toBe(true);
  }, 1_200_000);
});
