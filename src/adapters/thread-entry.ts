/**
 * Starts a worker thread from a sibling file, whether Verso runs compiled (dist/…/x.worker.js)
 * or from source under vitest or tsx (src/…/x.worker.ts).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";

/**
 * `baseUrl` is the import.meta.url of the module asking; `name` is the worker file's name
 * without extension, next to it. From source the thread's workerData also holds `entry`.
 */
export function startThread(baseUrl: string, name: string, data: object): Worker {
  if (!fileURLToPath(baseUrl).endsWith(".ts")) {
    return new Worker(new URL(`./${name}.js`, baseUrl), { workerData: data });
  }
  // `execArgv: ["--import", "tsx"]` is not enough on Node 20: tsx registers its hooks on the
  // main thread only, so the thread's .ts entry would fail with ERR_UNKNOWN_FILE_EXTENSION.
  // A tiny ESM bootstrap registers tsx inside the thread, then imports the entry.
  const bootstrap = [
    `import { workerData } from "node:worker_threads";`,
    `import { register } from ${JSON.stringify(tsxApiUrl())};`,
    `register();`,
    `await import(workerData.entry);`,
  ].join("\n");
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), {
    workerData: { ...data, entry: new URL(`./${name}.ts`, baseUrl).href },
  });
}

let tsxApi: string | undefined;

/** tsx's ESM register API, found through its exports map (tsx is a devDependency). */
function tsxApiUrl(): string {
  if (tsxApi) return tsxApi;
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve("tsx/package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
    exports: Record<string, { import?: { default?: string } }>;
  };
  const relative = manifest.exports["./esm/api"]?.import?.default;
  if (!relative) throw new Error("cannot run a .ts worker: tsx has no ESM register API (tsx/esm/api)");
  tsxApi = new URL(relative, pathToFileURL(manifestPath)).href;
  return tsxApi;
}
