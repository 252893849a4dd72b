/** A whole Verso on a temporary data folder, composed as `verso serve` composes it. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { composeVerso, type Verso } from "../../src/compose.js";
import { loadConfig, type SettingName } from "../../src/config.js";
import { sharedDir } from "../../src/paths.js";
import { buildApi } from "../../src/roles/api.js";

export const sharedDatasets = path.join(sharedDir, "datasets");

export function tempDir(prefix = "verso-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function openTestVerso(settings: Partial<Record<SettingName, string>> = {}) {
  const dataDir = settings.dataDir ?? tempDir();
  const config = loadConfig({}, { dataDir, demo: "false", logLevel: "silent", ...settings });
  const verso: Verso = await composeVerso(config);
  const refreshed = await verso.index.refresh();
  const app = await buildApi(verso);
  return {
    verso,
    /** What opening did to the vector index (rebuilt from the database or not). */
    refreshed,
    app,
    dataDir,
    async close() {
      await app.close();
      await verso.close();
      if (!settings.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Writes a catalog CSV in the original layout, quoting every field. */
export function writeCsv(file: string, header: string[], rows: (string | number)[][]): void {
  const quote = (value: string | number) => `"${String(value).replaceAll('"', '""')}"`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, [header, ...rows].map((row) => row.map(quote).join(",")).join("\n") + "\n");
}
