/** A whole Verso on a temporary data folder, composed as `verso serve` composes it. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { composeVerso, type ComposeOptions, type Verso } from "../../src/compose/index.js";
import { loadConfig, roleNames, type Role, type SettingName } from "../../src/config.js";
import { sharedDir } from "../../src/paths.js";
import { buildProcessApp } from "../../src/roles/server.js";

export const sharedDatasets = path.join(sharedDir, "datasets");

export function tempDir(prefix = "verso-test-"): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Composes a Verso, brings its vector index up to date and builds the HTTP app of its roles
 * (api, by default) for `inject()`. Nothing listens and no worker or crawler runs: tests start
 * those they need.
 */
export async function openTestVerso(
  settings: Partial<Record<SettingName, string>> = {},
  options: ComposeOptions & { roles?: Role[] } = {},
) {
  const dataDir = settings.dataDir ?? tempDir();
  const config = loadConfig(
    {},
    { dataDir, demo: "false", logLevel: "silent", embedThreads: "1", ...settings },
  );
  const verso: Verso = composeVerso(config, options);
  const refreshed = await (await verso.index()).refresh();
  const roles = new Set<Role>(options.roles ?? ["api"]);
  for (const role of roles) if (!roleNames.includes(role)) throw new Error(`no role ${role}`);
  const app = await buildProcessApp(verso, roles);
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
