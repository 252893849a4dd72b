/** What the deployment tests share: running tools, free ports, and reading PromQL and ignore files. */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
export { freePort } from "../support/ports.js";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const deployDir = path.join(repoRoot, "deploy");

export const readRepoFile = (relative: string) => fs.readFileSync(path.join(repoRoot, relative), "utf8");

export const packageJson = JSON.parse(readRepoFile("package.json")) as {
  version: string;
  engines: { node: string };
  bin: { verso: string };
};

/**
 * The path of a command on PATH. A missing tool fails the test that needs it, with what to
 * install: a check that silently skips would pass for a green run.
 */
export function requireTool(name: string, install: string): string {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  throw new Error(`${name} is not on PATH: ${install}`);
}

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Ran {
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? repoRoot,
    env: options.env ?? process.env,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Like run, without blocking the event loop (for commands that must reach a server of this test). */
export function runAsync(
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv } = {},
): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, env: options.env ?? process.env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A loopback HTTP server answering every path with the given status; for running healthchecks. */
export async function stubServer(
  status: number,
): Promise<{ port: number; paths: string[]; close(): Promise<void> }> {
  const paths: string[] = [];
  const server = http.createServer((request, response) => {
    paths.push(request.url ?? "");
    response.writeHead(status, { "content-type": "application/json" }).end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address !== "object") throw new Error("no address");
  return {
    port: address.port,
    paths,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** An image reference pinned to a version: `name:1.2.3…`, optionally `@sha256:…`, never latest. */
export function pinnedImage(reference: string): boolean {
  const match =
    /^(?<name>[a-z0-9][a-z0-9._/-]*(?::\d+)?(?:\/[a-z0-9._-]+)*)?:(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]*)(?:@sha256:[a-f0-9]{64})?$/.exec(
      reference,
    );
  const tag = match?.groups?.tag;
  return Boolean(match?.groups?.name && tag && !/latest|stable|edge|^lts$/i.test(tag) && /\d/.test(tag));
}

// ---------------------------------------------------------------------------------------------
// .dockerignore: the builder's rules. Patterns apply in order and the last that matches a path,
// or any folder above it, decides; `!` takes a path back in.

function globToRegExp(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charAt(i);
    if (c === "*" && pattern[i + 1] === "*") {
      i++;
      if (pattern[i + 1] === "/") {
        i++;
        source += "(?:.*/)?";
      } else source += ".*";
    } else if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else source += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

export function dockerIgnore(text: string): (relativePath: string) => boolean {
  const rules = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const negate = line.startsWith("!");
      const pattern = path.posix.normalize((negate ? line.slice(1) : line).trim()).replace(/^\/+|\/+$/g, "");
      return { negate, regexp: globToRegExp(pattern) };
    });
  return (relativePath) => {
    const parts = relativePath.split("/");
    const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join("/"));
    let ignored = false;
    for (const rule of rules) if (prefixes.some((p) => rule.regexp.test(p))) ignored = !rule.negate;
    return ignored;
  };
}

// ---------------------------------------------------------------------------------------------
// PromQL, read just enough to check what Prometheus's parser cannot: which metrics an
// expression names, whether a counter is read through a range, and the value side of a rule.

const keywords = new Set([
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "and",
  "or",
  "unless",
  "bool",
  "offset",
  "le",
  // Aggregation operators, which may stand before their `by (…)` rather than their argument.
  "sum",
  "min",
  "max",
  "avg",
  "group",
  "stddev",
  "stdvar",
  "count",
  "count_values",
  "bottomk",
  "topk",
  "quantile",
]);

/** The expression with label matchers' quoted values and string literals blanked out. */
function withoutStrings(expr: string): string {
  return expr.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, (s) => `"${" ".repeat(s.length - 2)}"`);
}

/** Metric names an expression selects (identifiers followed by a selector, a range or an operator). */
export function metricNames(expr: string): string[] {
  const text = withoutStrings(expr).replace(/\{[^}]*\}/g, (s) => " ".repeat(s.length));
  const names = new Set<string>();
  for (const match of text.matchAll(/(?<![\w:$])([a-zA-Z_:][\w:]*)(?![\w:])/g)) {
    const name = match[1] ?? "";
    const after = text.slice((match.index ?? 0) + name.length).trimStart();
    if (after.startsWith("(")) continue; // a function
    if (keywords.has(name)) continue;
    // Label names inside by (…) / without (…) clauses.
    const before = text.slice(0, match.index).replace(/\s+$/, "");
    if (/(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*$/.test(before)) continue;
    if (/^(?:inf|nan)$/i.test(name)) continue;
    names.add(name);
  }
  return [...names];
}

const counterLike = /(_total|_count|_sum|_bucket)$/;

/**
 * Counters (and histogram series) an expression reads as they are, without a range: a
 * cumulative sum plotted or compared as if it were a level.
 */
export function countersReadAsIs(expr: string): string[] {
  const text = withoutStrings(expr);
  const bad: string[] = [];
  for (const name of metricNames(expr).filter((n) => counterLike.test(n))) {
    const occurrences = text.matchAll(new RegExp(`(?<![\\w:])${name}(?![\\w:])`, "g"));
    for (const occurrence of occurrences) {
      let rest = text.slice((occurrence.index ?? 0) + name.length).trimStart();
      if (rest.startsWith("{")) rest = rest.slice(rest.indexOf("}") + 1).trimStart();
      if (!rest.startsWith("[")) bad.push(name);
    }
  }
  return bad;
}

/**
 * Splits an expression at its top-level operators (outside any parentheses, brackets, braces
 * and strings). Returns the operands and the operators between them.
 */
export function splitTopLevel(expr: string, operators: RegExp): { operands: string[]; operators: string[] } {
  const text = withoutStrings(expr);
  const operands: string[] = [];
  const found: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
    else if (depth === 0) {
      const match = operators.exec(text.slice(i));
      if (match && match.index === 0) {
        const previous = text.slice(0, i);
        // A word operator must stand alone, not end an identifier.
        if (/^\w/.test(match[0]) && /[\w:]$/.test(previous)) continue;
        operands.push(expr.slice(start, i).trim());
        found.push(match[0].trim());
        i += match[0].length - 1;
        start = i + 1;
      }
    }
  }
  operands.push(expr.slice(start).trim());
  return { operands, operators: found };
}

/**
 * The value sides of an alert: its expression cut at top-level `and`/`or`/`unless`, and each
 * part without a trailing comparison to a number. `x > 0.05 and y > 10` gives [x, y]: the
 * figures the thresholds judge, which must exist for the alert to mean anything.
 */
export function alertValueSides(expr: string): string[] {
  const parts = splitTopLevel(expr, /^\s+(?:and|unless)\s+/).operands;
  return parts.map((part) => {
    const { operands, operators } = splitTopLevel(part, /^(?:==|!=|>=|<=|>|<)(?:\s*bool)?/);
    const last = operands[operands.length - 1] ?? "";
    if (operators.length > 0 && /^-?[\d.]+(?:e-?\d+)?$/.test(last))
      return operands.slice(0, -1).join(` ${operators[0]} `);
    return part;
  });
}

/** Grafana's interval variables, as a query of the test window would have them. */
export function grafanaToPromql(expr: string, rateInterval: string): string {
  return expr.replaceAll("$__rate_interval", rateInterval).replaceAll("$__interval", rateInterval);
}

export interface DashboardTarget {
  dashboard: string;
  panel: string;
  expr: string;
  legendFormat: string;
}

export interface DashboardFile {
  file: string;
  json: {
    uid: string;
    title: string;
    tags: string[];
    templating: { list: { name: string; type: string; query?: string }[] };
    panels: {
      id: number;
      type: string;
      title: string;
      datasource: { type: string; uid: string };
      gridPos: { h: number; w: number; x: number; y: number };
      fieldConfig: { defaults: { unit?: string } };
      targets: {
        expr: string;
        legendFormat: string;
        refId: string;
        datasource: { type: string; uid: string };
      }[];
    }[];
  };
}

export const dashboardsDir = path.join(deployDir, "grafana", "dashboards");

export function readDashboards(): DashboardFile[] {
  return fs
    .readdirSync(dashboardsDir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => ({ file, json: JSON.parse(fs.readFileSync(path.join(dashboardsDir, file), "utf8")) }));
}

export function dashboardTargets(): DashboardTarget[] {
  return readDashboards().flatMap(({ json }) =>
    json.panels.flatMap((panel) =>
      panel.targets.map((target) => ({
        dashboard: json.title,
        panel: panel.title,
        expr: target.expr,
        legendFormat: target.legendFormat,
      })),
    ),
  );
}

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
