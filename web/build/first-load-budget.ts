import type { Plugin } from "vite";
import { measureFirstLoad } from "./entry-size.js";

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;

/**
 * Prints the gzipped size of the JavaScript the first page loads once the build is written, and
 * fails the build above the budget: a heavy page belongs in its own chunk.
 */
export function firstLoadBudget({ maxGzipBytes }: { maxGzipBytes: number }): Plugin {
  let outDir = "";
  return {
    name: "verso-first-load-budget",
    apply: "build",
    configResolved(config) {
      outDir = config.build.outDir;
    },
    closeBundle() {
      const size = measureFirstLoad(outDir);
      const lines = size.files.map((f) => `  ${f.file}  ${kb(f.bytes)} → ${kb(f.gzipBytes)} gzip`);
      console.log(
        `\nfirst page JavaScript: ${kb(size.gzipBytes)} gzip (${kb(size.bytes)} raw), budget ${kb(maxGzipBytes)}\n${lines.join("\n")}`,
      );
      if (size.gzipBytes > maxGzipBytes) {
        throw new Error(
          `the first page loads ${kb(size.gzipBytes)} of gzipped JavaScript, over the ${kb(maxGzipBytes)} budget: split heavy pages into lazy chunks`,
        );
      }
    },
  };
}
