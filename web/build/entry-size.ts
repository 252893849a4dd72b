/**
 * The JavaScript the first page loads, from Vite's manifest: the entry chunk and, recursively,
 * every chunk it imports statically. Chunks imported dynamically (the other pages) load later
 * and are not counted.
 */
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

export interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
  css?: string[];
}

export type Manifest = Record<string, ManifestChunk>;

/** Files of the entry chunks and their static imports, each once, entry first. */
export function firstLoadFiles(manifest: Manifest): string[] {
  const files: string[] = [];
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    const chunk = manifest[key];
    if (!chunk) throw new Error(`the manifest names a chunk it does not hold: ${key}`);
    files.push(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  if (files.length === 0) throw new Error("the manifest has no entry chunk");
  return files.filter((file) => file.endsWith(".js"));
}

export interface FirstLoadSize {
  files: { file: string; bytes: number; gzipBytes: number }[];
  bytes: number;
  gzipBytes: number;
}

export function measureFirstLoad(outDir: string): FirstLoadSize {
  const manifest = JSON.parse(
    fs.readFileSync(path.join(outDir, ".vite", "manifest.json"), "utf8"),
  ) as Manifest;
  const files = firstLoadFiles(manifest).map((file) => {
    const content = fs.readFileSync(path.join(outDir, file));
    return { file, bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
  });
  return {
    files,
    bytes: files.reduce((sum, f) => sum + f.bytes, 0),
    gzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0),
  };
}
