/**
 * `verso model list | pull NAME`: the known ONNX sentence models, which are in the data folder,
 * and fetching one from the hub with a progress bar (resumed, checked, placed whole).
 */
import fs from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import { placedModelFile } from "../adapters/embedder/onnx-folder.js";
import { modelFolder, modelsDirOf, pullModel } from "../adapters/embedder/onnx-pull.js";
import type { Config, SettingName } from "../config.js";
import { knownModel, knownModels } from "../core/embedding-models.js";
import { configFrom, withSettingFlags } from "./options.js";
import { progressBar, type ProgressBar } from "./progress.js";

const modelSettings: SettingName[] = ["dataDir", "modelHub", "offline", "embedder"];

export function addModelCommand(program: Command): void {
  const model = program
    .command("model")
    .description("list the known ONNX sentence models, or pull one into the data folder");
  withSettingFlags(
    model.command("list").description("print the known models and which are here"),
    modelSettings,
  ).action((options: Record<string, unknown>) => {
    for (const line of listModels(configFrom(options))) console.log(line);
  });
  withSettingFlags(
    model
      .command("pull")
      .description("fetch a known model from the hub into the data folder (resumes a broken pull)")
      .argument("<name>", "a name from `verso model list`"),
    modelSettings,
  ).action(async (name: string, options: Record<string, unknown>) => {
    process.exitCode = await pull(name, configFrom(options));
  });
}

function listModels(config: Config): string[] {
  const modelsDir = modelsDirOf(config.dataDir);
  const chosen = config.embedder.startsWith("onnx:")
    ? config.embedder.slice("onnx:".length)
    : config.embedder;
  const rows = knownModels.map((model) => [
    model.name === chosen ? `* ${model.name}` : `  ${model.name}`,
    String(model.dimension),
    Array.isArray(model.languages) ? model.languages.join(" ") : model.languages,
    `${model.downloadMb} MB`,
    model.licence,
    fs.existsSync(path.join(modelFolder(modelsDir, model.name), placedModelFile)) ? "here" : "-",
  ]);
  const header = ["  name", "dim", "languages", "download", "licence", "pulled"];
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [
    line(header),
    ...rows.map(line),
    `(models folder: ${modelsDir}; * = VERSO_EMBEDDER; the built-in use-lite needs no pull)`,
  ];
}

async function pull(name: string, config: Config): Promise<number> {
  const model = knownModel(name);
  if (!model) {
    console.error(`no known model ${name}: one of ${knownModels.map((m) => m.name).join(", ")}`);
    return 2;
  }
  // Files come one after another: a bar for each whose size the hub states.
  let shown: { file: string; bar: ProgressBar | undefined } | undefined;
  const stop = () => shown?.bar?.stop();
  try {
    const folder = await pullModel(model, {
      hubUrl: config.modelHub,
      modelsDir: modelsDirOf(config.dataDir),
      offline: config.offline,
      onProgress: ({ file, done, total }) => {
        if (shown?.file !== file) {
          stop();
          const bar = total
            ? progressBar(`${file} {bar} {percentage}% | {value}/{total} bytes | {timeLeft}`)
            : undefined;
          bar?.start(total!, {});
          shown = { file, bar };
        }
        shown.bar?.update(done, {});
      },
    });
    stop();
    console.log(
      `${model.name} is in ${folder}: set VERSO_EMBEDDER=onnx:${model.name}, then run verso reindex`,
    );
    return 0;
  } finally {
    stop();
  }
}
