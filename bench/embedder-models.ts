/**
 * `npm run bench -- --only embedder`: passages per second of every in-process model at hand, on
 * the same passages, side by side: the built-in USE-lite, the bench's own tiny ONNX model (a
 * lookup table: the floor of the ONNX path's cost, tokenizer and runtime included), each known
 * model pulled into the data folder, and any folder named with --onnx-model.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createOnnxEmbedder } from "../src/adapters/embedder/onnx.js";
import { readModelFolder } from "../src/adapters/embedder/onnx-folder.js";
import { modelFolder, modelsDirOf } from "../src/adapters/embedder/onnx-pull.js";
import type { PoolEmbedder } from "../src/adapters/embedder/pool.js";
import { createUseLiteEmbedder } from "../src/adapters/embedder/use-lite.js";
import { knownModel, knownModels } from "../src/core/embedding-models.js";
import { measureRawEmbedding } from "./embedder.js";
import { writeTestModel } from "./tiny-onnx-model.js";

export interface EmbedderModelsOptions {
  texts: string[];
  threads: number;
  /** Where pulled models are looked for. */
  dataDir: string;
  /** More model folders, by path. */
  folders: string[];
  log: (line: string) => void;
}

export async function benchEmbedderModels(options: EmbedderModelsOptions): Promise<[string, string][]> {
  const { texts, threads, log } = options;
  const tiny = fs.mkdtempSync(path.join(os.tmpdir(), "verso-tiny-model-"));
  writeTestModel(tiny);
  const onnx = async (folder: string) => {
    const spec = await readModelFolder(folder);
    return () => createOnnxEmbedder({ folder, spec, threads });
  };
  const pulled = knownModels
    .map((model) => modelFolder(modelsDirOf(options.dataDir), model.name))
    .filter((folder) => fs.existsSync(folder));
  const candidates: [string, () => PoolEmbedder][] = [
    ["use-lite (built in)", () => createUseLiteEmbedder({ threads })],
    ["tiny test model (ONNX)", await onnx(tiny)],
  ];
  for (const folder of [...pulled, ...options.folders]) {
    const label = knownModel(path.basename(folder)) ? path.basename(folder) : folder;
    candidates.push([label, await onnx(folder)]);
  }
  log(`\n── in-process embedding models: ${texts.length} passages, ${threads} bulk workers each ──`);
  const rows: [string, string][] = [];
  try {
    for (const [label, start] of candidates) {
      log(`${label}:`);
      const result = await measureRawEmbedding({ texts, threads, log: (line) => log(`  ${line}`), start });
      rows.push([`embedder ${label}: passages/s`, result.textsPerSecond.toFixed(1)]);
    }
  } finally {
    fs.rmSync(tiny, { recursive: true, force: true });
  }
  if (pulled.length === 0) {
    log(`(no known model pulled into ${modelsDirOf(options.dataDir)}: verso model pull NAME adds one here)`);
  }
  return rows;
}
