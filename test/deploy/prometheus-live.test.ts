/**
 * Every PromQL expression Verso ships, run against real data: a real Verso (`verso serve`, all
 * four roles in one process, the demo catalog ingesting) under a short load, scraped by a real
 * Prometheus (Debian's /usr/bin/prometheus) with a configuration generated from
 * deploy/prometheus/prometheus.yml and the shipped alert rules loaded.
 *
 * What "returns data" means here, and how it is established:
 * - A dashboard query must return at least one series; a latency quantile at least one finite
 *   value (the load landed in its window); and every label its legend names must be on every
 *   series it returns.
 * - An alert is judged by its value side: its expression without the final comparison to a
 *   threshold, cut at top-level `and`/`or`/`unless` (`deriv(…) > 0 and max(…) > 10` gives
 *   `deriv(…)` and `max(…)`). Each side must return a series: the figure the threshold judges
 *   exists. Whether the thresholds are right is promtool's unit tests (alerts.test.yml), since
 *   a healthy Verso rightly raises none but one.
 * - That one is real: the load puts a catalog object without a lyrics column in the bucket,
 *   its ingest fails, and VersoIngestFailures must be firing in Prometheus.
 * - Every metric an expression names must exist in Prometheus, so an `or vector(0)` fallback
 *   (the 5xx share, where a healthy window has no 5xx series) cannot hide a misspelt name.
 * - Every rule group is evaluated by Prometheus itself and every rule must report health "ok".
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import {
  type AlertRule,
  alertValueSides,
  dashboardTargets,
  deployDir,
  freePort,
  grafanaToPromql,
  metricNames,
  repoRoot,
  requireTool,
  run,
} from "./support.js";

/** What $__rate_interval stands for: four scrapes of the test's one-second interval, and some. */
const rateInterval = "10s";
const alertRules = (
  parse(fs.readFileSync(path.join(deployDir, "prometheus", "alerts.yml"), "utf8")) as {
    groups: { rules: AlertRule[] }[];
  }
).groups.flatMap((g) => g.rules);

let workDir = "";
let versoPort = 0;
let prometheusPort = 0;
let verso: ChildProcess | undefined;
let prometheus: ChildProcess | undefined;
const logs = { verso: "", prometheus: "" };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A process of this test that has exited, said in words. */
function exited(): string | undefined {
  for (const [name, child] of [
    ["verso", verso],
    ["prometheus", prometheus],
  ] as const) {
    if (child && (child.exitCode !== null || child.signalCode !== null))
      return `${name} exited (${child.exitCode ?? child.signalCode})`;
  }
  return undefined;
}

async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const gone = exited();
    if (gone) last = new Error(gone);
    if (gone) break;
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await sleep(500);
  }
  throw new Error(
    `gave up waiting for ${what}${last ? ` (last error: ${String(last)})` : ""}\n--- verso ---\n${logs.verso.slice(-4000)}\n--- prometheus ---\n${logs.prometheus.slice(-2000)}`,
  );
}

const versoUrl = (p: string) => `http://127.0.0.1:${versoPort}${p}`;

async function call(method: string, p: string, body?: unknown, token?: string) {
  const response = await fetch(versoUrl(p), {
    method,
    headers: {
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** The build `npm run build` makes, rebuilt when a source file is newer. */
function ensureBuilt() {
  const built = path.join(repoRoot, "dist", "src", "cli.js");
  const newest = (dir: string): number =>
    fs.readdirSync(dir, { withFileTypes: true }).reduce((latest, entry) => {
      const full = path.join(dir, entry.name);
      return Math.max(latest, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
    }, 0);
  if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= newest(path.join(repoRoot, "src"))) return;
  const ran = run("npm", ["run", "build"]);
  if (ran.code !== 0)
    throw new Error(`npm run build failed:\n${ran.stdout.slice(-4000)}\n${ran.stderr.slice(-4000)}`);
}

/** Prometheus scrapes with it, as a deployment that keeps /metrics to itself does. */
const metricsToken = "scrape-token-for-the-live-test";

/** The shipped scrape configuration with every job pointed at this test's processes. */
function prometheusConfig(): string {
  const shipped = parse(fs.readFileSync(path.join(deployDir, "prometheus", "prometheus.yml"), "utf8")) as {
    scrape_configs: Record<string, unknown>[];
  };
  const scrapeConfigs = shipped.scrape_configs.map((job) => {
    const { dns_sd_configs: _dns, static_configs: _static, ...rest } = job;
    const own = job.job_name === "prometheus";
    return {
      ...rest,
      static_configs: [{ targets: [`127.0.0.1:${own ? prometheusPort : versoPort}`] }],
      ...(own ? {} : { authorization: { type: "Bearer", credentials: metricsToken } }),
    };
  });
  return stringify({
    global: { scrape_interval: "1s", scrape_timeout: "1s", evaluation_interval: "1s" },
    rule_files: [path.join(deployDir, "prometheus", "alerts.yml")],
    scrape_configs: scrapeConfigs,
  });
}

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

async function query(expr: string): Promise<{ status: string; error?: string; result: Sample[] }> {
  const response = await fetch(
    `http://127.0.0.1:${prometheusPort}/api/v1/query?${new URLSearchParams({ query: expr })}`,
  );
  const json = (await response.json()) as {
    status: string;
    error?: string;
    data?: { resultType: string; result: Sample[] };
  };
  if (json.data && json.data.resultType !== "vector")
    throw new Error(`${expr}: a ${json.data.resultType}, not a vector`);
  return {
    status: json.status,
    ...(json.error ? { error: json.error } : {}),
    result: json.data?.result ?? [],
  };
}

const prompts = [
  "songs about the ocean",
  "top 5 songs about leaving home",
  "canciones de amor",
  "a song for a rainy day",
  "songs to dedicate to my mother",
  "never give up",
];

/**
 * Traffic of every kind the dashboards show: asks (computed, then cached), sign-ins that fail
 * until the limiter refuses them, a 404, status and health reads, the embedder service, and a
 * crawl started by an admin.
 */
async function load(round: number, token: string) {
  for (const prompt of prompts)
    expect((await call("POST", "/api/ask", { prompt: `${prompt} ${round}` })).status).toBe(200);
  for (let i = 0; i < 3; i++)
    expect((await call("POST", "/api/ask", { prompt: prompts[0] })).status).toBe(200);
  const refusals = [];
  for (let i = 0; i < 12; i++) {
    refusals.push(
      (await call("POST", "/api/auth/login", { username: `nobody${round}`, password: "not-the-password" }))
        .status,
    );
  }
  // The per-address limit may already refuse the second round's first attempt.
  if (round === 1) expect(refusals).toContain(401);
  expect(refusals).toContain(429);
  expect((await call("GET", "/api/no-such-route")).status).toBe(404);
  expect((await call("GET", "/api/songs/does-not-exist")).status).toBe(404);
  for (const p of ["/api/catalog/status", "/readyz", "/healthz"])
    expect((await call("GET", p)).status).toBe(200);
  expect((await call("POST", "/encode", { text: "a quiet harbour at dawn" })).status).toBe(200);
  expect((await call("POST", "/v1/embeddings", { input: ["first light", "last call"] })).status).toBe(200);
  expect((await call("POST", "/api/catalog/scan", {}, token)).status).toBeLessThan(300);
}

beforeAll(async () => {
  requireTool("prometheus", "apt-get install prometheus (Debian's package)");
  ensureBuilt();
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "verso-prometheus-live-"));
  versoPort = await freePort();
  prometheusPort = await freePort();

  // An object that must fail: a catalog without a lyrics column.
  const bucket = path.join(workDir, "data", "bucket");
  fs.mkdirSync(bucket, { recursive: true });
  fs.writeFileSync(path.join(bucket, "no-lyrics.csv"), "id,name,artists\nx1,Nothing To Sing,Nobody\n");

  const env = {
    ...Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("VERSO_"))),
    VERSO_METRICS_TOKEN: metricsToken,
  };
  verso = spawn(
    process.execPath,
    [
      "bin/verso.js",
      "serve",
      "--roles",
      "api,worker,crawler,embedder",
      "--data-dir",
      path.join(workDir, "data"),
      "--host",
      "127.0.0.1",
      "--port",
      String(versoPort),
      "--embed-threads",
      "1",
      "--demo",
      "true",
      "--log-level",
      "warn",
    ],
    { cwd: repoRoot, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  verso.stdout!.on("data", (chunk: Buffer) => (logs.verso += chunk.toString()));
  verso.stderr!.on("data", (chunk: Buffer) => (logs.verso += chunk.toString()));
  await waitFor("Verso to be ready", 180_000, async () => (await fetch(versoUrl("/readyz"))).ok || undefined);

  fs.writeFileSync(path.join(workDir, "prometheus.yml"), prometheusConfig());
  prometheus = spawn(
    "prometheus",
    [
      `--config.file=${path.join(workDir, "prometheus.yml")}`,
      `--storage.tsdb.path=${path.join(workDir, "tsdb")}`,
      `--web.listen-address=127.0.0.1:${prometheusPort}`,
      "--log.level=warn",
    ],
    { cwd: workDir, stdio: ["ignore", "pipe", "pipe"] },
  );
  prometheus.stdout!.on("data", (chunk: Buffer) => (logs.prometheus += chunk.toString()));
  prometheus.stderr!.on("data", (chunk: Buffer) => (logs.prometheus += chunk.toString()));
  await waitFor(
    "Prometheus to be ready",
    60_000,
    async () => (await fetch(`http://127.0.0.1:${prometheusPort}/-/ready`)).ok || undefined,
  );

  const registered = await call("POST", "/api/auth/register", {
    username: "ops",
    password: "a quiet harbour at dawn 1987",
  });
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  const token = registered.body.token as string;
  const granted = run(
    process.execPath,
    ["bin/verso.js", "admin", "grant", "ops", "--data-dir", path.join(workDir, "data")],
    { env },
  );
  expect(granted.stdout, granted.stderr).toContain("ops is an administrator");
  // Without the token the metrics stay closed; Prometheus, configured with it, scrapes them.
  const anonymous = await fetch(versoUrl("/metrics"));
  expect([anonymous.status, anonymous.headers.get("www-authenticate")]).toEqual([
    401,
    'Bearer realm="metrics"',
  ]);

  await load(1, token);
  // The demo catalog and the failing object, both through the worker.
  await waitFor("the catalog to be ingested", 300_000, async () => {
    const status = (await call("GET", "/api/catalog/status")).body as {
      objects: { queued: number; processing: number; done: number; failed: number };
    };
    const { queued, processing, done, failed } = status.objects;
    return queued === 0 && processing === 0 && done >= 1 && failed >= 1 ? status : undefined;
  });
  await load(2, token);
  const loadEnded = Date.now();

  // Every target scraped after the load, and every rule evaluated after that scrape.
  await waitFor("scrapes after the load", 30_000, async () => {
    const targets = (await (await fetch(`http://127.0.0.1:${prometheusPort}/api/v1/targets`)).json()) as {
      data: { activeTargets: { health: string; lastScrape: string }[] };
    };
    const active = targets.data.activeTargets;
    return active.length > 0 &&
      active.every((t) => t.health === "up" && Date.parse(t.lastScrape) > loadEnded + 1000)
      ? true
      : undefined;
  });
  await waitFor("rules evaluated after the load", 30_000, async () => {
    const groups = await ruleGroups();
    return groups.every((g) => Date.parse(g.lastEvaluation) > loadEnded + 2000) ? true : undefined;
  });
}, 600_000);

async function ruleGroups() {
  const response = (await (await fetch(`http://127.0.0.1:${prometheusPort}/api/v1/rules`)).json()) as {
    data: {
      groups: {
        name: string;
        lastEvaluation: string;
        rules: { name: string; health: string; lastError?: string; state?: string }[];
      }[];
    };
  };
  return response.data.groups;
}

async function stop(child: ChildProcess | undefined) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const killed = setTimeout(() => child.kill("SIGKILL"), 15_000);
  await exited;
  clearTimeout(killed);
}

afterAll(async () => {
  await stop(prometheus);
  await stop(verso);
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
}, 60_000);

describe("a real Prometheus scraping a real Verso", () => {
  it("scrapes every role's job, and Verso says which roles it runs", async () => {
    const up = await query('up{job=~"verso-.+"}');
    expect(up.result.map((s) => [s.metric.job, s.value[1]]).sort()).toEqual([
      ["verso-api", "1"],
      ["verso-crawler", "1"],
      ["verso-embedder", "1"],
      ["verso-worker", "1"],
    ]);
    const info = await query('max by (role) (verso_info{job="verso-api"})');
    expect(info.result.map((s) => s.metric.role).sort()).toEqual(["api", "crawler", "embedder", "worker"]);
  });

  it("evaluates every shipped rule without error", async () => {
    const loaded = (await ruleGroups()).flatMap((g) => g.rules);
    expect(loaded.map((r) => r.name).sort()).toEqual(alertRules.map((r) => r.alert).sort());
    for (const rule of loaded)
      expect({ rule: rule.name, health: rule.health, error: rule.lastError ?? "" }).toEqual({
        rule: rule.name,
        health: "ok",
        error: "",
      });
  });

  it("fires VersoIngestFailures for the object that failed", async () => {
    const rule = (await ruleGroups()).flatMap((g) => g.rules).find((r) => r.name === "VersoIngestFailures");
    expect(rule?.state).toBe("firing");
  });

  const targets = dashboardTargets();
  it.each(targets.map((t) => [`${t.dashboard} / ${t.panel}: ${t.expr}`, t] as const))(
    "dashboard query %s returns data",
    async (_, target) => {
      const expr = grafanaToPromql(target.expr, rateInterval);
      const answer = await query(expr);
      expect(answer.error ?? "", expr).toBe("");
      expect(answer.result.length, `${expr} returned no series`).toBeGreaterThan(0);
      if (expr.startsWith("histogram_quantile(")) {
        expect(
          answer.result.some((s) => Number.isFinite(Number(s.value[1]))),
          `${expr}: a finite quantile`,
        ).toBe(true);
      }
      for (const label of [...target.legendFormat.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!)) {
        for (const sample of answer.result)
          expect(sample.metric[label], `${expr}: legend label ${label}`).toBeDefined();
      }
    },
  );

  it.each(alertRules.flatMap((r) => alertValueSides(r.expr).map((side) => [r.alert, side] as const)))(
    "alert %s: its value side %s returns data",
    async (_, side) => {
      const answer = await query(side);
      expect(answer.error ?? "", side).toBe("");
      expect(answer.result.length, `${side} returned no series`).toBeGreaterThan(0);
    },
  );

  const names = [
    ...new Set(
      [...targets.map((t) => t.expr), ...alertRules.map((r) => r.expr)].flatMap((e) => metricNames(e)),
    ),
  ].sort();
  it.each(names)("metric %s exists in Prometheus", async (name) => {
    const answer = await query(`count({__name__="${name}"})`);
    expect(answer.result.length, `${name} was never scraped`).toBe(1);
  });
});
