/**
 * `npm run build:web`: builds the web app into dist/web unless it was built from the same
 * sources already. `--force` builds anyway; `--out-dir DIR` builds elsewhere.
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { buildIfChanged } from "./source-stamp.js";

const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repositoryRoot = path.dirname(webRoot);

const { values } = parseArgs({
  options: { force: { type: "boolean", default: false }, "out-dir": { type: "string" } },
});
const outDir = path.resolve(values["out-dir"] ?? path.join(repositoryRoot, "dist", "web"));

const result = await buildIfChanged({
  webRoot,
  extraFiles: [path.join(repositoryRoot, "package-lock.json")],
  outDir,
  force: values.force,
  build: async (into) => {
    await build({ configFile: path.join(webRoot, "vite.config.ts"), build: { outDir: into } });
  },
});
if (result === "unchanged")
  console.log(
    `web app unchanged since its last build in ${path.relative(repositoryRoot, outDir) || "."}: not built again`,
  );
