/** Writes a learned fit model into src/core/search/fit-models.ts, beside those of other embedding models. */
import fs from "node:fs";
import path from "node:path";
import { format, resolveConfig } from "prettier";
import type { FitModel } from "../src/core/search/fit-model.js";
import { measuredFitModels } from "../src/core/search/fit-models.js";
import { packageRoot } from "../src/paths.js";

const file = path.join(packageRoot, "src", "core", "search", "fit-models.ts");

export async function writeFitModel(model: string, fit: FitModel): Promise<string> {
  const models = { ...measuredFitModels, [model]: fit };
  const text = fs.readFileSync(file, "utf8");
  const head = text.slice(0, text.indexOf("export const measuredFitModels"));
  const body = `export const measuredFitModels: Record<string, FitModel> = ${JSON.stringify(models, null, 2)};\n`;
  const options = (await resolveConfig(file)) ?? {};
  fs.writeFileSync(file, await format(head + body, { ...options, filepath: file }));
  return file;
}
