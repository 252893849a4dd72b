/**
 * A real Verso for browser tests: `node bin/verso.js serve` from the built program, on a free
 * port of this machine, with its own temporary data folder. Nothing is mocked: the browser talks
 * to the same process `npm start` runs.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { promisify } from "node:util";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { freePort } from "../../support/ports.js";

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

export interface RunningVerso {
  url: string;
  dataDir: string;
  /** What the server printed so far, for a failure's message. */
  output(): string;
  /** Runs another `verso` command on the same data folder (e.g. `admin grant NAME`); its output. */
  command(args: string[]): Promise<string>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

export interface StartOptions {
  /** More `verso serve` flags, e.g. ["--demo", "false"]. */
  flags?: string[];
  env?: Record<string, string>;
}

export async function startVerso(options: StartOptions = {}): Promise<RunningVerso> {
  const main = path.join(repositoryRoot, "dist", "src", "cli.js");
  const app = path.join(repositoryRoot, "dist", "web", "index.html");
  if (!fs.existsSync(main) || !fs.existsSync(app)) {
    throw new Error("browser tests run the built program and app: run `npm run build` first");
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "verso-web-e2e-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = "";
  const child = spawn(
    process.execPath,
    [
      path.join(repositoryRoot, "bin", "verso.js"),
      "serve",
      "--port",
      String(port),
      "--host",
      "127.0.0.1",
      "--data-dir",
      dataDir,
      "--embed-threads",
      "1",
      "--log-level",
      "warn",
      ...(options.flags ?? []),
    ],
    { cwd: repositoryRoot, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited(child);
      clearTimeout(timer);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`verso serve exited with ${child.exitCode}:\n${output}`);
    }
    // Ready, not just alive: until then a stand-in answers 503 and then gives way to the real
    // server on the same port, a moment in which connections are refused.
    const healthy = await fetch(`${url}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`verso serve was not ready (/readyz) within two minutes:\n${output}`);
    }
    await sleep(250);
  }
  const command = async (args: string[]) => {
    const verso = path.join(repositoryRoot, "bin", "verso.js");
    const { stdout } = await promisify(execFile)(process.execPath, [verso, ...args, "--data-dir", dataDir], {
      cwd: repositoryRoot,
      env: { ...process.env, ...options.env },
    });
    return stdout;
  };
  return { url, dataDir, output: () => output, command, stop };
}

interface CatalogStatusBody {
  songsWithPassages: number;
  objects: { queued: number; processing: number; done: number; failed: number };
}

/**
 * Waits until nothing is queued or being read and some songs are searchable. A server still
 * starting answers 503 (its dependencies are not ready): that is waited out too.
 */
export async function waitForCatalog(url: string, timeoutMs = 240_000): Promise<CatalogStatusBody> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${url}/api/catalog/status`);
    const body = (await response.json()) as unknown;
    if (response.ok) {
      const status = body as CatalogStatusBody;
      const idle = status.objects.queued === 0 && status.objects.processing === 0;
      if (idle && status.songsWithPassages > 0) return status;
    } else if (response.status !== 503) {
      throw new Error(`GET /api/catalog/status answered ${response.status}: ${JSON.stringify(body)}`);
    }
    if (Date.now() > deadline) throw new Error(`the catalog is not ready: ${JSON.stringify(body)}`);
    await sleep(1000);
  }
}
