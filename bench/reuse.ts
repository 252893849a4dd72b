/**
 * `npm run bench -- --only reuse` (in the default list): the catalog just ingested, read again
 * from a second path (the same files, linked into a new folder). No passage should be
 * embedded: every one takes the vector stored for its text. Prints the passages reused and
 * embedded, and how long the second ingest took.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Verso } from "../src/compose/index.js";
import { ingestOnce } from "../src/roles/ingest-once.js";

/** The same files under another folder: hard links where the file system allows, copies otherwise. */
function secondPath(dataset: string): string {
  const source = path.resolve(dataset);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "verso-bench-second-path-"));
  const files = fs.statSync(source).isDirectory()
    ? fs.readdirSync(source).filter((f) => f.endsWith(".csv"))
    : [path.basename(source)];
  const from = fs.statSync(source).isDirectory() ? source : path.dirname(source);
  for (const file of files) {
    try {
      fs.linkSync(path.join(from, file), path.join(folder, file));
    } catch {
      fs.copyFileSync(path.join(from, file), path.join(folder, file));
    }
  }
  return folder;
}

export async function benchReuse(
  verso: Verso,
  dataset: string,
  log: (line: string) => void,
): Promise<[string, string][]> {
  log("\n── re-ingest of the same files from a second path ──");
  const folder = secondPath(dataset);
  try {
    const run = await ingestOnce(verso, `file://${folder}`);
    const sum = (f: (o: (typeof run.objects)[number]) => number) => run.objects.reduce((s, o) => s + f(o), 0);
    const [passages, reused] = [sum((o) => o.passages), sum((o) => o.reused)];
    const line = `${passages} passages: ${reused} reused, ${passages - reused} embedded in ${(run.ms / 1000).toFixed(1)} s`;
    log(`second path: ${line} (target: 0 embedded)`);
    return [["re-ingest from a second path", line]];
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}
