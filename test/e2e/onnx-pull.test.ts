/**
 * `verso model pull` fetches a model from a hub (here a stand-in on 127.0.0.1 with the test
 * model's files) into the data folder: a broken transfer is resumed with a Range request, a
 * corrupt file is refused and leaves no model in place, and VERSO_OFFLINE reaches nothing.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { readModelFolder } from "../../src/adapters/embedder/onnx-folder.js";
import { createOnnxEmbedder } from "../../src/adapters/embedder/onnx.js";
import { pullModel, type PullProgress } from "../../src/adapters/embedder/onnx-pull.js";
import type { KnownModel } from "../../src/core/embedding-models.js";
import { startModelHub, type ModelHub } from "../support/model-hub.js";
import { testModelDimension, writeTestModel } from "../../bench/tiny-onnx-model.js";
import { openTestVerso, tempDir } from "../support/verso.js";

const testModel: KnownModel = {
  name: "verso-test-model",
  dimension: testModelDimension,
  pooling: "mean",
  queryPrefix: "",
  passagePrefix: "",
  maxTokens: 64,
  onnxFile: "onnx/model.onnx",
  licence: "Apache-2.0",
  languages: ["en", "es"],
  downloadMb: 1,
  about: "the tests' own",
  hub: {
    repo: "verso/test-model",
    revision: "main",
    files: [
      "tokenizer.json",
      "tokenizer_config.json",
      "config.json",
      "1_Pooling/config.json",
      "onnx/model.onnx",
    ].map((file) => ({ path: file })),
  },
};

describe("pulling a model from the hub", () => {
  const source = tempDir("verso-hub-files-");
  let hub: ModelHub;
  let modelsDir: string;
  beforeAll(async () => {
    writeTestModel(source);
    hub = await startModelHub(testModel.hub.repo, testModel.hub.revision, source);
  });
  afterEach(() => {
    hub.requests.length = 0;
    fs.rmSync(modelsDir, { recursive: true, force: true });
  });
  afterAll(async () => {
    await hub.close();
    fs.rmSync(source, { recursive: true, force: true });
  });
  const pull = (more: Partial<Parameters<typeof pullModel>[1]> = {}) => {
    modelsDir ??= tempDir("verso-models-");
    return pullModel(testModel, { hubUrl: hub.url, modelsDir, offline: false, ...more });
  };

  it("places the files, checked, in a folder of the model's name, and a second pull fetches nothing", async () => {
    modelsDir = tempDir("verso-models-");
    const progress: PullProgress[] = [];
    const folder = await pull({ onProgress: (p) => progress.push(p) });
    expect(folder).toBe(path.join(modelsDir, "verso-test-model"));
    for (const file of testModel.hub.files) {
      expect(fs.readFileSync(path.join(folder, file.path))).toEqual(
        fs.readFileSync(path.join(source, file.path)),
      );
    }
    expect(fs.readdirSync(modelsDir)).toEqual(["verso-test-model"]);
    const graphSize = fs.statSync(path.join(source, "onnx/model.onnx")).size;
    expect(progress.filter((p) => p.file === "model.onnx").at(-1)).toEqual({
      file: "model.onnx",
      done: graphSize,
      total: graphSize,
    });

    hub.requests.length = 0;
    expect(await pull()).toBe(folder);
    expect(hub.requests).toEqual([]);

    const embedder = createOnnxEmbedder({ folder, spec: await readModelFolder(folder), threads: 1 });
    try {
      const [sea, ocean, fire] = await embedder.embed(["the sea", "the ocean waves", "fire"]);
      const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, v, i) => sum + v * b[i]!, 0);
      expect(dot(sea!, ocean!)).toBeGreaterThan(dot(sea!, fire!));
    } finally {
      await embedder.close();
    }
  });

  it("takes a broken transfer up again where it stopped", async () => {
    modelsDir = tempDir("verso-models-");
    hub.breakNext("onnx/model.onnx", 2);
    const folder = await pull();
    expect(fs.readFileSync(path.join(folder, "onnx/model.onnx"))).toEqual(
      fs.readFileSync(path.join(source, "onnx/model.onnx")),
    );
    const ranges = hub.requests.filter((r) => r.startsWith("GET /lfs/onnx/model.onnx"));
    expect(ranges).toHaveLength(3);
    expect(ranges[0]).toBe("GET /lfs/onnx/model.onnx");
    expect(ranges.slice(1).every((r) => /bytes=[1-9]\d*-$/.test(r))).toBe(true);
  });

  it("starts a file over when the server answers a resumed transfer with the whole file", async () => {
    modelsDir = tempDir("verso-models-");
    hub.breakNext("onnx/model.onnx");
    hub.ignoreRanges(true);
    try {
      const folder = await pull();
      expect(fs.readFileSync(path.join(folder, "onnx/model.onnx"))).toEqual(
        fs.readFileSync(path.join(source, "onnx/model.onnx")),
      );
      expect(hub.requests.filter((r) => r.startsWith("GET /lfs/"))).toEqual([
        "GET /lfs/onnx/model.onnx",
        expect.stringMatching(/^GET \/lfs\/onnx\/model\.onnx bytes=[1-9]\d*-$/),
      ]);
    } finally {
      hub.ignoreRanges(false);
    }
  });

  it("leaves no model in place when the transfer keeps breaking, and the next pull resumes the part", async () => {
    modelsDir = tempDir("verso-models-");
    hub.breakNext("onnx/model.onnx", 3);
    await expect(pull({ resumes: 2 })).rejects.toThrow(/the transfer broke 3 times/);
    expect(fs.existsSync(path.join(modelsDir, "verso-test-model"))).toBe(false);

    hub.requests.length = 0;
    const folder = await pull();
    expect(fs.readFileSync(path.join(folder, "onnx/model.onnx"))).toEqual(
      fs.readFileSync(path.join(source, "onnx/model.onnx")),
    );
    expect(hub.requests.filter((r) => r.startsWith("GET /lfs/"))).toEqual([
      expect.stringMatching(/^GET \/lfs\/onnx\/model\.onnx bytes=[1-9]\d*-$/),
    ]);
  });

  it("refuses a corrupt file and places no model", async () => {
    modelsDir = tempDir("verso-models-");
    hub.corrupt("onnx/model.onnx");
    try {
      await expect(pull()).rejects.toThrow(
        /onnx\/model\.onnx .* is corrupt \(SHA-256 [0-9a-f]{64}, not [0-9a-f]{64}\); refused/,
      );
    } finally {
      hub.corrupt("onnx/model.onnx", false);
    }
    expect(fs.existsSync(path.join(modelsDir, "verso-test-model"))).toBe(false);
    expect(fs.existsSync(path.join(modelsDir, ".pull-verso-test-model", "onnx/model.onnx"))).toBe(false);
  });

  it("reaches nothing when offline, and says what to do", async () => {
    modelsDir = tempDir("verso-models-");
    await expect(pull({ offline: true })).rejects.toThrow(/VERSO_OFFLINE=true forbids fetching it/);
    expect(hub.requests).toEqual([]);
  });
});

describe("a known model named in the setting and not in the data folder", () => {
  it("is an error at start when offline, before any network", async () => {
    await expect(
      openTestVerso({
        embedder: "onnx:multilingual-e5-small",
        offline: "true",
        modelHub: "http://127.0.0.1:9",
      }),
    ).rejects.toThrow(/multilingual-e5-small is not in .*VERSO_OFFLINE=true/);
  });

  it("is named among the known ones when the name is unknown", async () => {
    await expect(openTestVerso({ embedder: "onnx:no-such-model" })).rejects.toThrow(
      /no known model of that name \(multilingual-e5-small, .*\), nor a folder path/,
    );
  });
});
