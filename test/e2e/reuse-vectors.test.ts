/**
 * End to end: the same catalog files read again from another folder embed nothing: every
 * passage takes the vector stored for its text, the summary counts them reused, and the
 * answers stay the same.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Embedder } from "../../src/core/ports.js";
import { ingestOnce } from "../../src/roles/ingest-once.js";
import { openTestVerso, tempDir, writeCsv } from "../support/verso.js";

const header = ["id", "name", "album_name", "artists", "energy", "valence", "lyrics"];
const harbour =
  "the boats come in with the evening tide\nthe gulls are loud above the pier\n\n" +
  "and the harbour lights keep calling\ncalling every sailor home tonight";
const songs = [
  ["r1", "Harbour", harbour],
  // The live version: the same words, so the same passages.
  ["r2", "Harbour (Live)", harbour],
  [
    "r3",
    "Desert Road",
    "the road runs on through the burning sand\nno water and no shade in sight\n\nthe sun goes down on an empty land\nand the cold comes in with the night",
  ],
  [
    "r4",
    "Snow",
    "snow falls softly on the sleeping town\nthe chimneys breathe into the grey\n\nwe walk together up and down\nuntil the light has gone away",
  ],
].map(([id, title, lyrics]) => [id!, title!, "Album", "['Singer']", "0.5", "0.5", lyrics!]);

describe("reading the same catalog from a second path", () => {
  let t: Awaited<ReturnType<typeof openTestVerso>>;
  const folders = [tempDir("verso-reuse-a-"), tempDir("verso-reuse-b-")];
  /** The texts of each embedding request but for prompts (ingest's), in order. */
  const bulk: string[][] = [];

  beforeAll(async () => {
    t = await openTestVerso();
    for (const folder of folders) {
      writeCsv(path.join(folder, "one.csv"), header, songs.slice(0, 2));
      writeCsv(path.join(folder, "two.csv"), header, songs.slice(2));
    }
    const embedder = await t.verso.embedder();
    const embed = embedder.embed.bind(embedder);
    embedder.embed = (texts, options?: Parameters<Embedder["embed"]>[1]) => {
      if (options?.priority !== "interactive") bulk.push([...texts]);
      return embed(texts, options);
    };
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
  });

  const ask = async (prompt: string) => {
    const response = await t.app.inject({ method: "POST", url: "/api/ask", payload: { prompt, k: 4 } });
    expect(response.statusCode).toBe(200);
    return response.json().results.map((r: { song: { id: string }; score: number }) => [r.song.id, r.score]);
  };
  const computedMetric = async () => {
    const metrics = (await t.app.inject({ method: "GET", url: "/metrics" })).body;
    const line = metrics
      .split("\n")
      .find((l) => l.startsWith('verso_ingest_passage_vectors_total{origin="computed"}'));
    return Number(line?.split(" ").at(-1) ?? 0);
  };

  it("embeds a repeated passage once, then nothing at all from the second folder", async () => {
    const first = await ingestOnce(t.verso, `file://${folders[0]}`);
    expect(first.objects.map((o) => o.status)).toEqual(["done", "done"]);
    const passages = first.objects.reduce((s, o) => s + o.passages, 0);
    const embedded = bulk.flat();
    // The passages the two versions of "Harbour" share are embedded once.
    expect(new Set(embedded).size).toBe(embedded.length);
    const harbourPassages = embedded.filter((text) => text.includes("harbour")).length;
    expect(harbourPassages).toBeGreaterThanOrEqual(1);
    expect(embedded).toHaveLength(passages - harbourPassages);
    expect(first.objects.reduce((s, o) => s + o.reused, 0)).toBe(harbourPassages);
    expect(await computedMetric()).toBe(embedded.length);
    const before = await ask("ships coming home to the harbour");

    const requests = bulk.length;
    const second = await ingestOnce(t.verso, `file://${folders[1]}`);
    expect(second.objects.map((o) => [o.key, o.status])).toEqual([
      ["one.csv", "done"],
      ["two.csv", "done"],
    ]);
    // Nothing sent to the embedder: every passage took its stored vector.
    expect(bulk.slice(requests)).toEqual([]);
    expect(second.objects.map((o) => [o.passages, o.reused])).toEqual(
      first.objects.map((o) => [o.passages, o.passages]),
    );
    expect(await computedMetric()).toBe(embedded.length);
    expect(await ask("ships coming home to the harbour")).toEqual(before);
    expect(before[0]?.[0]).toMatch(/^r[12]$/);
  }, 300_000);
});
