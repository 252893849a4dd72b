/**
 * The remote embedder against Verso's real embedder role: the role's routes over HTTP with USE
 * lite in worker threads behind them, exactly what `verso serve --roles embedder` serves.
 */
import { createReadStream } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PoolEmbedder } from "../../src/adapters/embedder/pool.js";
import { createRemoteEmbedder, type RemoteEmbedder } from "../../src/adapters/embedder/remote.js";
import { createUseLiteEmbedder, useLiteModel } from "../../src/adapters/embedder/use-lite.js";
import { readCatalogCsv } from "../../src/core/catalog/csv.js";
import { judgeLyrics, toPassages } from "../../src/core/catalog/lyrics.js";
import { cosine } from "../../src/core/vectors.js";
import { buildHttpApp, type HttpApp } from "../../src/http/app.js";
import { embedderRoutes } from "../../src/http/embedder/routes.js";
import { createMetrics } from "../../src/observability/metrics.js";
import { describeEmbedderContract } from "./embedder.contract.js";

let served: PoolEmbedder;
let app: HttpApp;
let url: string;

// One thread on a shared machine; without the interactive worker the pool still serves
// prompts ahead of queued bulk work.
beforeAll(async () => {
  served = createUseLiteEmbedder({ threads: 1, interactiveWorker: false });
  app = await buildHttpApp({
    metrics: createMetrics({ defaultMetrics: false }),
    routes: [embedderRoutes({ embedder: served, load: () => served.stats() })],
  });
  url = await app.listen({ host: "127.0.0.1", port: 0 });
  await served.ready();
});
afterAll(async () => {
  await app?.close();
  await served?.close();
});

describeEmbedderContract("remote, Verso's embedder role over HTTP", () =>
  createRemoteEmbedder({ url, concurrency: 2 }),
);

/** Passages of the demo catalog's first songs, split as ingest splits them, and some prompts. */
async function lyricsLikeTexts(songs: number): Promise<string[]> {
  const csv = new URL("../../data/demo/verso-demo-catalog.csv", import.meta.url);
  const passages: string[] = [];
  let seen = 0;
  for await (const event of readCatalogCsv(createReadStream(csv))) {
    if (event.kind !== "song") continue;
    const lyrics = judgeLyrics(event.song.lyrics);
    if (lyrics.status === "ok") passages.push(...toPassages(lyrics.text));
    if (++seen === songs) break;
  }
  return [
    ...passages,
    "songs to dedicate to my mother",
    "leaving home for the big city",
    "canciones de amor y desamor",
    "a breakup on a rainy night",
  ];
}

describe("remote and in-process embeddings", () => {
  let remote: RemoteEmbedder;
  let local: PoolEmbedder;
  beforeAll(async () => {
    remote = await createRemoteEmbedder({ url });
    local = createUseLiteEmbedder({ threads: 1, interactiveWorker: false });
    await local.ready();
  });
  afterAll(async () => {
    await remote?.close();
    await local?.close();
  });

  it("are of the same model, named as the role names it", () => {
    expect(remote.model).toEqual(useLiteModel);
    expect(remote.model).toEqual(local.model);
  });

  it("agree on lyrics passages and prompts, so their vectors can share one index", async () => {
    const texts = await lyricsLikeTexts(12);
    expect(texts.length).toBeGreaterThan(30);
    const [fromRemote, fromLocal] = await Promise.all([remote.embed(texts), local.embed(texts)]);
    const prompts = await Promise.all(
      texts.slice(-4).map(async (text) => (await remote.embed([text], { priority: "interactive" }))[0]!),
    );
    texts.forEach((text, i) => {
      expect(cosine(fromRemote[i]!, fromLocal[i]!), text).toBeGreaterThanOrEqual(0.9999);
    });
    prompts.forEach((vector, k) => {
      expect(cosine(vector, fromLocal[texts.length - 4 + k]!)).toBeGreaterThanOrEqual(0.9999);
    });
  });
});
