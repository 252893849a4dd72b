/** Where the installed program's own files are, wherever it runs from (src under tsx, or dist). */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

function findPackageRoot(from: string): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

export const packageRoot = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

/** The demo catalog shipped in the repository. */
export const demoCatalogFolder = path.join(packageRoot, "data", "demo");

/**
 * The development environment's shared folder (real data sets and judged prompts), used by
 * tests, benchmarks and `npm run eval`, never by the product: VERSO_SHARED_DIR, or the
 * folder `shared` beside this repository.
 */
export const sharedDir = path.resolve(process.env.VERSO_SHARED_DIR ?? path.join(packageRoot, "..", "shared"));

/** The installed program's version, from its package.json. */
export const versoVersion: string = (
  JSON.parse(fs.readFileSync(path.join(packageRoot, "package.json"), "utf8")) as { version: string }
).version;
