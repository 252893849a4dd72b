/**
 * Whether the built web app is older than its sources: a hash of every file the build reads,
 * kept in the build's own folder (under .vite/, which the server never serves), so a second
 * `npm start` does not spend half a minute building the same app again.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** Files under web/ the build never reads: the tests and their helpers. */
const notBuilt = (relative: string) =>
  /\.test\.tsx?$/.test(relative) ||
  relative.startsWith("src/test/") ||
  relative.split("/").includes("node_modules");

export interface BuildInputs {
  /** The web app's folder: its sources, public files, configuration and build plugins. */
  webRoot: string;
  /** More files whose change changes the build (the lockfile: the libraries bundled). */
  extraFiles: string[];
}

/** One hash of the inputs' paths and contents, the same whatever order the disk lists them in. */
export function sourceHash(inputs: BuildInputs): string {
  const hash = createHash("sha256");
  const files = fs
    .readdirSync(inputs.webRoot, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) =>
      path.relative(inputs.webRoot, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"),
    )
    .filter((relative) => !notBuilt(relative))
    .sort();
  for (const relative of files) {
    hash
      .update(`${relative}\0`)
      .update(fs.readFileSync(path.join(inputs.webRoot, relative)))
      .update("\0");
  }
  for (const file of inputs.extraFiles) {
    hash.update(`${path.basename(file)}\0`);
    if (fs.existsSync(file)) hash.update(fs.readFileSync(file));
  }
  return hash.digest("hex");
}

const stampFile = (outDir: string) => path.join(outDir, ".vite", "sources.sha256");

export interface BuildIfChangedOptions extends BuildInputs {
  outDir: string;
  /** Builds anyway. */
  force?: boolean;
  build(outDir: string): Promise<void>;
}

/** Builds when the sources changed since the build in `outDir` (or there is none); says which it did. */
export async function buildIfChanged(options: BuildIfChangedOptions): Promise<"built" | "unchanged"> {
  const hash = sourceHash(options);
  const stamp = stampFile(options.outDir);
  const built =
    fs.existsSync(path.join(options.outDir, "index.html")) &&
    fs.existsSync(stamp) &&
    fs.readFileSync(stamp, "utf8").trim() === hash;
  if (built && !options.force) return "unchanged";
  await options.build(options.outDir);
  fs.mkdirSync(path.dirname(stamp), { recursive: true });
  fs.writeFileSync(stamp, `${hash}\n`);
  return "built";
}
