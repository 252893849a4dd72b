import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOnnxEmbedder } from "../../src/adapters/embedder/onnx.js";
import { readModelFolder } from "../../src/adapters/embedder/onnx-folder.js";
import type { PoolEmbedder } from "../../src/adapters/embedder/pool.js";
import type { OnnxModelSpec } from "../../src/core/embedding-models.js";
import { testModelDimension, writeTestModel } from "../../bench/tiny-onnx-model.js";
import { tempDir } from "../support/verso.js";
import { describeEmbedderContract } from "./embedder.contract.js";

const folder = tempDir("verso-onnx-contract-");
writeTestModel(folder);
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

const open = async (spec: Partial<OnnxModelSpec> = {}) => {
  const embedder = createOnnxEmbedder({
    folder,
    spec: { ...(await readModelFolder(folder)), ...spec },
    threads: 1,
  });
  await embedder.ready();
  return embedder;
};

// The tests' own model: a lookup table with mean pooling, through the real tokenizer and runtime.
describeEmbedderContract("an ONNX model in worker threads", () => open());

describe("ONNX embedder", () => {
  const embedders: PoolEmbedder[] = [];
  const opened = async (spec: Partial<OnnxModelSpec> = {}) => {
    const embedder = await open(spec);
    embedders.push(embedder);
    return embedder;
  };
  let plain: PoolEmbedder;
  beforeAll(async () => {
    plain = await opened();
  });
  afterAll(() => Promise.all(embedders.map((e) => e.close())));

  it("reads the model's dimension and pooling from the export, and runs on the pool's lanes", () => {
    expect(plain.model.dimension).toBe(testModelDimension);
    expect(plain.stats().workers.map((w) => w.lane)).toEqual(["interactive", "bulk"]);
  });

  it("puts the query prefix before a prompt and the passage prefix before a passage", async () => {
    const prefixed = await opened({ queryPrefix: "ocean ", passagePrefix: "road " });
    const [prompt] = await prefixed.embed(["fire"], { priority: "interactive" });
    const [passage] = await prefixed.embed(["fire"], { priority: "bulk" });
    const [oceanFire, roadFire] = await plain.embed(["ocean fire", "road fire"]);
    expect(Array.from(prompt!)).toEqual(Array.from(oceanFire!));
    expect(Array.from(passage!)).toEqual(Array.from(roadFire!));
  });

  it("cuts a text longer than the model reads, keeping its first tokens", async () => {
    const short = await opened({ maxTokens: 4 });
    // [CLS] sea ocean … [SEP]: the fire words past the cut are not read.
    const [cut] = await short.embed(["sea ocean fire fire fire fire"]);
    const [kept] = await plain.embed(["sea ocean"]);
    expect(Array.from(cut!)).toEqual(Array.from(kept!));
  });

  it("pools by the first token when the model says so", async () => {
    const cls = await opened({ pooling: "cls" });
    const [a, b] = await cls.embed(["sea", "fire and smoke"]);
    // The first token is [CLS], the same for every text.
    expect(Array.from(a!)).toEqual(Array.from(b!));
  });

  it("does not start on a folder without a graph, and says why", async () => {
    const empty = tempDir("verso-onnx-empty-");
    try {
      fs.copyFileSync(path.join(folder, "tokenizer.json"), path.join(empty, "tokenizer.json"));
      fs.copyFileSync(path.join(folder, "config.json"), path.join(empty, "config.json"));
      await expect(readModelFolder(empty)).rejects.toThrow(/holds no ONNX graph/);
      const broken = createOnnxEmbedder({
        folder: empty,
        spec: { ...(await readModelFolder(folder)), onnxFile: "missing.onnx" },
        threads: 1,
      });
      embedders.push(broken);
      await expect(broken.ready()).rejects.toThrow(/embedder .*missing\.onnx/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
