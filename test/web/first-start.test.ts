/**
 * What a person meets when they start Verso: `node bin/verso.js serve` as `npm start` runs it.
 * The page opened the moment the port answers is the web app saying that Verso is starting,
 * never JSON; a terminal gets the address to open and readable logs, anything else JSON lines;
 * a misspelt VERSO_* variable is named with the setting it was meant to be. On this machine the
 * roles start within seconds, so the first test holds the start back the way a slow database
 * does: its PostgreSQL is reached through a relay that refuses connections until the page has
 * been looked at.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { createTestDatabaseUrl } from "../support/databases.js";
import { freePort } from "../support/ports.js";
import { startRelay, type TcpRelay } from "../support/tcp-relay.js";
import { seriousViolations } from "./support/axe.js";
import { launchChromium, openPage } from "./support/browser.js";
import { text } from "./support/texts.js";
import { repositoryRoot } from "./support/verso-process.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Started {
  child: ChildProcess;
  url: string;
  output(): string;
}

const started: { child: ChildProcess; dataDir: string }[] = [];
let browser: Browser | undefined;
let relay: TcpRelay | undefined;
let dropDatabase: (() => Promise<void>) | undefined;

beforeAll(async () => {
  const built = ["dist/src/cli.js", "dist/web/index.html"].every((file) =>
    fs.existsSync(path.join(repositoryRoot, file)),
  );
  if (!built) throw new Error("browser tests run the built program and app: run `npm run build` first");
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  for (const { child, dataDir } of started.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      // The whole group: under `script`, verso is the terminal's child, not ours.
      process.kill(-child.pid!, "SIGTERM");
      const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  await relay?.close();
  await dropDatabase?.();
  relay = undefined;
  dropDatabase = undefined;
});

/** `verso serve` on a free port and a data folder of its own; `terminal` runs it in a pseudo-terminal. */
async function serve(
  options: { terminal?: boolean; env?: Record<string, string>; flags?: string[] } = {},
): Promise<Started> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "verso-first-start-"));
  const port = await freePort();
  const args = [
    path.join(repositoryRoot, "bin", "verso.js"),
    "serve",
    ...["--port", String(port), "--host", "127.0.0.1", "--data-dir", dataDir, "--embed-threads", "1"],
    ...(options.flags ?? []),
  ];
  const env = { ...process.env, VERSO_LOG_LEVEL: "info", ...options.env };
  const command = [process.execPath, ...args].map((arg) => `'${arg}'`).join(" ");
  const child = options.terminal
    ? spawn("script", ["-qfec", command, "/dev/null"], { cwd: repositoryRoot, env, detached: true })
    : spawn(process.execPath, args, { cwd: repositoryRoot, env, detached: true });
  started.push({ child, dataDir });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { child, url: `http://127.0.0.1:${port}`, output: () => output };
}

/** Resolves at the first moment the server accepts a connection. */
async function firstAnswer(verso: Started): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (
    !(await fetch(`${verso.url}/healthz`).then(
      () => true,
      () => false,
    ))
  ) {
    if (verso.child.exitCode !== null) throw new Error(`verso exited:\n${verso.output()}`);
    if (Date.now() > deadline) throw new Error(`verso never answered:\n${verso.output()}`);
    await sleep(20);
  }
}

async function outputMatching(verso: Started, pattern: RegExp): Promise<string> {
  const deadline = Date.now() + 60_000;
  while (!pattern.test(verso.output())) {
    if (Date.now() > deadline) throw new Error(`no ${pattern} in:\n${verso.output()}`);
    await sleep(50);
  }
  return verso.output();
}

it("shows the page, saying Verso is starting, as soon as the port answers, and the app once it is up", async () => {
  const database = await createTestDatabaseUrl("postgres");
  dropDatabase = database.drop;
  relay = await startRelay(database.url, { cut: true });
  const verso = await serve({
    env: { VERSO_DATABSE_URL: "sqlite:elsewhere.db" },
    flags: ["--database-url", relay.url],
  });
  await firstAnswer(verso);
  const { page, problems, context } = await openPage(browser!, verso.url);
  try {
    const response = await page.goto("/");
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-type"]).toMatch(/^text\/html/);
    const starting = page.getByRole("status", { name: text("en", "starting.title") });
    await starting.waitFor();
    expect(await page.locator("body").innerText()).not.toContain("DEPENDENCY_UNAVAILABLE");
    expect(await page.getByRole("searchbox", { name: text("en", "ask.label") }).count()).toBe(1);
    expect((await fetch(`${verso.url}/readyz`)).status).toBe(503);
    expect(await seriousViolations(page)).toEqual([]);

    await relay.restore();
    await starting.waitFor({ state: "detached", timeout: 180_000 });
    expect((await fetch(`${verso.url}/api/catalog/status`)).status).toBe(200);
    expect(problems).toEqual([]);
  } finally {
    await context.close();
  }

  // Not a terminal: JSON lines only, and the misspelt setting named with the one meant.
  const lines = verso.output().trim().split("\n");
  const records = lines.map((line) => JSON.parse(line) as { level: number; msg: string });
  expect(records).toContainEqual(
    expect.objectContaining({
      level: 40,
      msg: "VERSO_DATABSE_URL is not a Verso setting and is ignored: did you mean VERSO_DATABASE_URL?",
    }),
  );
  expect(verso.output()).not.toMatch(/open http/);
});

it("tells a person at a terminal the address to open, in readable logs", async () => {
  const verso = await serve({ terminal: true });
  const output = await outputMatching(verso, /Verso is starting: open \S+ in a browser/);
  expect(output).toContain(`Verso is starting: open ${verso.url} in a browser`);
  expect(output).toMatch(/^\d\d:\d\d:\d\d INFO +listening on 127\.0\.0\.1:\d+ while the roles start\r?$/m);
  for (const line of output.split(/\r?\n/).filter((l) => l.trim() !== "")) expect(line).not.toMatch(/^\s*\{/);
});
