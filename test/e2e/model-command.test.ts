/**
 * `verso model list` and `verso model pull NAME`, run as an operator runs them (the built
 * program), against a stand-in hub on 127.0.0.1 that serves the tests' own model under the
 * repository of a known one.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { knownModel } from "../../src/core/embedding-models.js";
import { startModelHub, type ModelHub } from "../support/model-hub.js";
import { writeTestModel } from "../../bench/tiny-onnx-model.js";
import { tempDir } from "../support/verso.js";

const run = promisify(execFile);
const model = knownModel("all-minilm-l6-v2")!;

describe("verso model", () => {
  const source = tempDir("verso-hub-files-");
  const dataDir = tempDir("verso-model-data-");
  let hub: ModelHub;
  beforeAll(async () => {
    writeTestModel(source, model.onnxFile);
    hub = await startModelHub(model.hub.repo, model.hub.revision, source);
  });
  afterAll(async () => {
    await hub.close();
    for (const dir of [source, dataDir]) fs.rmSync(dir, { recursive: true, force: true });
  });
  const verso = (...args: string[]) =>
    run(process.execPath, ["bin/verso.js", "model", ...args, "--data-dir", dataDir, "--model-hub", hub.url], {
      env: { ...process.env, VERSO_EMBEDDER: "onnx:all-minilm-l6-v2" },
    });
  const listed = async () =>
    (await verso("list")).stdout.split("\n").find((line) => line.includes("all-minilm-l6-v2"));

  it("pulls a known model into the data folder, and lists it as here", async () => {
    expect(await listed()).toMatch(/^\* all-minilm-l6-v2 +384 +en +23 MB +Apache-2\.0 +-$/);
    const { stdout } = await verso("pull", "all-minilm-l6-v2");
    expect(stdout).toContain("all-minilm-l6-v2 is in");
    expect(await listed()).toMatch(/ here$/);
    const folder = path.join(dataDir, "models", "all-minilm-l6-v2");
    expect(fs.readFileSync(path.join(folder, model.onnxFile))).toEqual(
      fs.readFileSync(path.join(source, model.onnxFile)),
    );
  }, 60_000);

  it("refuses offline, and an unknown name, with a message and a failing exit", async () => {
    await expect(verso("pull", "gte-small", "--offline", "true")).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("VERSO_OFFLINE=true forbids fetching it"),
    });
    await expect(verso("pull", "no-such-model")).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("no known model no-such-model: one of multilingual-e5-small"),
    });
  }, 60_000);
});
