/**
 * Mixed traffic at saturation against one server process, with its default request limits on:
 *
 *   npm run bench -- --only load [--load-seconds 120]
 *
 * The server is `verso serve` in a child process (loopback, a fresh data folder, the demo
 * catalog, SQLite and the embedder in process); the bench waits for the catalog, signs up a
 * pool of users who follow each other and publish a few prompts, then keeps every connection
 * busy with asks (new and repeated prompts), feed pages, likes and unlikes, publishes and
 * logins. The refusals the limits give (429) are what they are for and are counted apart;
 * any other answer that is not 2xx, and every connection error or timeout, is an error.
 * The server's resident memory is read halfway and at the end: a leak shows as growth between
 * the two.
 *
 * autocannon cannot choose the address it connects from, so the whole load comes from
 * 127.0.0.1 and the per-address limits are the ones that bind (180 asks and likes, 30
 * publishes a minute; 60 logins in ten minutes). The pool is set up before, each user from an
 * address of their own in 127.0.0.0/8: one address may register only 20 accounts an hour, and
 * no setup request then spends the load's budgets.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import autocannon, { type Request, type Result } from "autocannon";
import { packageRoot } from "../src/paths.js";
import { percentiles } from "./embedder.js";
import { benchPrompts } from "./prompts.js";

type Log = (line: string) => void;

const POOL = 24;
const PROMPTS_EACH = 3;
const PASSWORD = "lanterns over the river at dusk";
const REPEATED = benchPrompts.slice(0, 8);
/** Few enough that the client leaves the second core to the server. */
const CONNECTIONS = { askNew: 3, askRepeated: 3, feed: 4, like: 2, publish: 2, login: 2 };

interface Member {
  name: string;
  token: string;
  /** The loopback address this member's setup requests come from. */
  address: string;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One request from a chosen source address, which fetch cannot pick. */
function call(
  port: number,
  method: string,
  url: string,
  options: { body?: unknown; token?: string; from?: string } = {},
): Promise<{ status: number; body: string }> {
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port,
        method,
        path: url,
        localAddress: options.from,
        headers: {
          ...(payload === undefined ? {} : { "content-type": "application/json" }),
          ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
        },
      },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    request.on("error", reject);
    request.end(payload);
  });
}

async function expect(
  what: string,
  reply: Promise<{ status: number; body: string }>,
): Promise<Record<string, unknown>> {
  const { status, body } = await reply;
  if (status < 200 || status >= 300) throw new Error(`${what}: ${status} ${body.slice(0, 300)}`);
  return body === "" ? {} : (JSON.parse(body) as Record<string, unknown>);
}

function readRssKib(pid: number): number {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]);
}

interface Server {
  child: ChildProcess;
  port: number;
  /** Log lines at level error or worse. */
  errors: string[];
  exited: () => string | null;
}

function startServer(port: number, dataDir: string): Server {
  // The machine's own VERSO_* settings (a cache server, a limit factor) would make this another
  // deployment than the one measured.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith("VERSO_")));
  const child = spawn(
    process.execPath,
    [
      "bin/verso.js",
      "serve",
      ...["--port", String(port), "--host", "127.0.0.1", "--data-dir", dataDir],
      ...["--embed-threads", "1", "--demo", "true"],
    ],
    { cwd: packageRoot, env: { ...env, VERSO_LOG_LEVEL: "warn" }, stdio: ["ignore", "pipe", "pipe"] },
  );
  const errors: string[] = [];
  const keep = (line: string) => {
    let level = 50;
    try {
      level = (JSON.parse(line) as { level?: number }).level ?? 50;
    } catch {
      // Not a log record: a crash's stack trace, say.
    }
    if (level >= 50) errors.push(line);
  };
  createInterface({ input: child.stdout! }).on("line", keep);
  createInterface({ input: child.stderr! }).on("line", keep);
  let exit: string | null = null;
  child.on("exit", (code, signal) => (exit = signal ?? `code ${code}`));
  return { child, port, errors, exited: () => exit };
}

async function waitForCatalog(server: Server, log: Log) {
  const began = performance.now();
  for (;;) {
    const exit = server.exited();
    if (exit !== null)
      throw new Error(`the server exited (${exit}) while starting:\n${server.errors.join("\n")}`);
    if (performance.now() - began > 10 * 60_000) throw new Error("the demo catalog took over 10 minutes");
    const status = await call(server.port, "GET", "/api/catalog/status").catch(() => null);
    if (status?.status === 200) {
      const body = JSON.parse(status.body) as {
        songsWithPassages: number;
        passages: number;
        objects: { queued: number; processing: number };
      };
      if (body.objects.queued === 0 && body.objects.processing === 0 && body.songsWithPassages > 0) {
        log(
          `demo catalog: ${body.songsWithPassages} songs, ${body.passages} passages, ready after ` +
            `${((performance.now() - began) / 1000).toFixed(1)} s`,
        );
        return;
      }
    }
    await sleep(500);
  }
}

/** Everyone follows everyone and publishes a few prompts; returns the members and prompt ids. */
async function setUpPool(port: number, log: Log): Promise<{ members: Member[]; promptIds: number[] }> {
  const began = performance.now();
  const members: Member[] = [];
  for (let i = 0; i < POOL; i += 1) {
    const name = `listener${String(i).padStart(2, "0")}`;
    const address = `127.0.0.${10 + i}`;
    const signedIn = await expect(
      `register ${name}`,
      call(port, "POST", "/api/auth/register", {
        body: { username: name, password: PASSWORD },
        from: address,
      }),
    );
    members.push({ name, token: String(signedIn.token), address });
  }
  const promptIds: number[] = [];
  let follows = 0;
  for (const [i, member] of members.entries()) {
    const as = { token: member.token, from: member.address };
    for (const other of members) {
      if (other === member) continue;
      await expect(`follow ${other.name}`, call(port, "PUT", `/api/users/${other.name}/follow`, as));
      follows += 1;
    }
    for (let j = 0; j < PROMPTS_EACH; j += 1) {
      const text = benchPrompts[(i * PROMPTS_EACH + j) % benchPrompts.length]!;
      const prompt = await expect("publish", call(port, "POST", "/api/prompts", { ...as, body: { text } }));
      promptIds.push(Number(prompt.id));
    }
  }
  // The repeated prompts are answered from the cache from the first request of the load on.
  for (const [i, prompt] of REPEATED.entries()) {
    await expect("ask", call(port, "POST", "/api/ask", { body: { prompt }, from: members[i]!.address }));
  }
  log(
    `pool: ${members.length} users, ${promptIds.length} prompts, ${follows} follows, set up in ` +
      `${((performance.now() - began) / 1000).toFixed(1)} s`,
  );
  return { members, promptIds };
}

/** The route mixes, one autocannon instance each. */
function routeMixes(
  members: Member[],
  promptIds: number[],
): { name: string; connections: number; requests: Request[] }[] {
  let turn = 0;
  const next = () => members[turn++ % members.length]!;
  const bearer = (member: Member) => ({ authorization: `Bearer ${member.token}` });
  const json = (member: Member) => ({ ...bearer(member), "content-type": "application/json" });
  let asked = 0;
  let repeated = 0;
  let published = 0;
  const feedPage = (first: boolean): Request => ({
    method: "GET",
    setupRequest: (request, context) => {
      if (first) context.member = next();
      const cursor =
        typeof context.cursor === "string" ? `&cursor=${encodeURIComponent(context.cursor)}` : "";
      return {
        ...request,
        path: `/api/feed?limit=20${first ? "" : cursor}`,
        headers: bearer(context.member as Member),
      };
    },
    onResponse: (status, body, context) => {
      context.cursor = status === 200 ? (JSON.parse(body) as { nextCursor: string | null }).nextCursor : null;
    },
  });
  const like = (method: "PUT" | "DELETE"): Request => ({
    method,
    setupRequest: (request, context) => {
      if (method === "PUT") {
        context.member = next();
        context.prompt = promptIds[Math.floor(Math.random() * promptIds.length)];
      }
      return {
        ...request,
        path: `/api/prompts/${String(context.prompt)}/like`,
        headers: bearer(context.member as Member),
      };
    },
  });
  return [
    {
      name: "ask, new prompts",
      connections: CONNECTIONS.askNew,
      requests: [
        {
          method: "POST",
          setupRequest: (request) => {
            asked += 1;
            const prompt = `${benchPrompts[asked % benchPrompts.length]!} (take ${asked})`;
            return {
              ...request,
              path: "/api/ask",
              headers: json(next()),
              body: JSON.stringify({ prompt }),
            };
          },
        },
      ],
    },
    {
      name: "ask, repeated prompts",
      connections: CONNECTIONS.askRepeated,
      requests: [
        {
          method: "POST",
          setupRequest: (request) => ({
            ...request,
            path: "/api/ask",
            headers: json(next()),
            body: JSON.stringify({ prompt: REPEATED[repeated++ % REPEATED.length] }),
          }),
        },
      ],
    },
    {
      name: "feed, three pages",
      connections: CONNECTIONS.feed,
      requests: [feedPage(true), feedPage(false), feedPage(false)],
    },
    { name: "like, unlike", connections: CONNECTIONS.like, requests: [like("PUT"), like("DELETE")] },
    {
      name: "publish",
      connections: CONNECTIONS.publish,
      requests: [
        {
          method: "POST",
          setupRequest: (request) => {
            published += 1;
            const text = `${benchPrompts[published % benchPrompts.length]!}, once more (${published})`;
            return {
              ...request,
              path: "/api/prompts",
              headers: json(next()),
              body: JSON.stringify({ text }),
            };
          },
        },
      ],
    },
    {
      name: "login",
      connections: CONNECTIONS.login,
      requests: [
        {
          method: "POST",
          setupRequest: (request) => ({
            ...request,
            path: "/api/auth/login",
            headers: { "content-type": "application/json" },
            body: JSON.stringify({ username: next().name, password: PASSWORD }),
          }),
        },
      ],
    },
  ];
}

interface RouteFigures {
  name: string;
  result: Result;
  okLatencies: number[];
}

const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;

export async function benchLoad(log: Log, seconds: number): Promise<[string, string][]> {
  const totalConnections = Object.values(CONNECTIONS).reduce((sum, n) => sum + n, 0);
  log(
    `\n── load: mixed traffic on one server process (${seconds} s, ${totalConnections} connections, default limits) ──`,
  );
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "verso-bench-load-"));
  const server = startServer(await freePort(), dataDir);
  const pid = server.child.pid!;
  try {
    await waitForCatalog(server, log);
    const { members, promptIds } = await setUpPool(server.port, log);
    const before = readRssKib(pid);

    const rss: { at: number; kib: number }[] = [];
    const unexpected = new Map<string, string>();
    const half = setTimeout(
      () => {
        if (server.exited() === null) rss.push({ at: seconds / 2, kib: readRssKib(pid) });
      },
      (seconds / 2) * 1000,
    );
    const figures = await Promise.all(
      routeMixes(members, promptIds).map(
        ({ name, connections, requests }) =>
          new Promise<RouteFigures>((resolve, reject) => {
            const okLatencies: number[] = [];
            // The first answer of each unexpected status, to say what went wrong.
            const noting = requests.map((request): Request => ({
              ...request,
              onResponse: (status, body, context) => {
                request.onResponse?.(status, body, context);
                const key = `${name} ${status}`;
                if (status !== 429 && (status < 200 || status >= 300) && !unexpected.has(key)) {
                  unexpected.set(key, body.slice(0, 300));
                }
              },
            }));
            const instance = autocannon(
              {
                url: `http://127.0.0.1:${server.port}`,
                title: name,
                connections,
                duration: seconds,
                requests: noting,
              },
              (error, result) => {
                if (error) reject(error);
                else resolve({ name, result, okLatencies });
              },
            );
            instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => {
              if (status >= 200 && status < 300) okLatencies.push(ms);
            });
          }),
      ),
    );
    clearTimeout(half);
    rss.push({ at: seconds, kib: readRssKib(pid) });
    const exit = server.exited();
    if (exit !== null)
      throw new Error(`the server exited (${exit}) under load:\n${server.errors.join("\n")}`);

    const header = ["requests", "2xx", "429", "errors", "p50 ms", "p99 ms", "2xx p50", "2xx p99"];
    log(`${"route".padEnd(24)}${header.map((h) => h.padStart(10)).join("")}`);
    const summary: [string, string][] = [];
    let totalErrors = 0;
    let totalRequests = 0;
    const otherStatuses = new Map<string, number>();
    for (const { name, result, okLatencies } of figures) {
      const limited = result.statusCodeStats["429"]?.count ?? 0;
      const answered = Object.values(result.statusCodeStats).reduce((sum, s) => sum + s.count, 0);
      for (const [status, { count }] of Object.entries(result.statusCodeStats)) {
        if (status !== "429" && !status.startsWith("2")) {
          otherStatuses.set(`${name} ${status}`, count);
        }
      }
      // Connection errors and timeouts never got an answer, so they are not among the statuses.
      const errors = result.non2xx - limited + result.errors;
      const ok = percentiles(okLatencies);
      totalErrors += errors;
      totalRequests += answered;
      const cells = [
        answered,
        result["2xx"],
        limited,
        errors,
        result.latency.p50.toFixed(1),
        result.latency.p99.toFixed(1),
        ok.p50.toFixed(1),
        ok.p99.toFixed(1),
      ];
      log(`${name.padEnd(24)}${cells.map((c) => String(c).padStart(10)).join("")}`);
      summary.push([
        `load ${name}: requests (2xx / 429 / errors)`,
        `${answered} (${result["2xx"]} / ${limited} / ${errors})`,
      ]);
      summary.push([
        `load ${name}: p50 / p99, 2xx p50 / p99`,
        `${result.latency.p50.toFixed(1)} / ${result.latency.p99.toFixed(1)} ms, ${ok.p50.toFixed(1)} / ${ok.p99.toFixed(1)} ms`,
      ]);
    }
    for (const [what, count] of otherStatuses) {
      log(`  not 2xx nor 429: ${what} × ${count}, the first: ${unexpected.get(what) ?? "(no body)"}`);
    }
    if (server.errors.length > 0) {
      log(`server error log lines: ${server.errors.length}; the first:`);
      for (const line of server.errors.slice(0, 3)) log(`  ${line.slice(0, 600)}`);
    }
    const [first, second] = rss as [{ at: number; kib: number }, { at: number; kib: number }];
    const ratio = second.kib / first.kib;
    log(
      `${totalRequests} requests in ${seconds} s = ${(totalRequests / seconds).toFixed(0)}/s; ` +
        `errors other than 429: ${totalErrors} (target 0)`,
    );
    log(
      `server RSS: ${mib(before)} before the load, ${mib(first.kib)} after ${first.at} s, ` +
        `${mib(second.kib)} after ${second.at} s; ratio ${ratio.toFixed(3)} (target ≤ 1.10)`,
    );
    summary.push(["load: errors other than 429", `${totalErrors} of ${totalRequests} requests`]);
    summary.push([
      `load: server RSS after ${first.at} s / ${second.at} s`,
      `${mib(first.kib)} / ${mib(second.kib)} (×${ratio.toFixed(3)})`,
    ]);
    return summary;
  } finally {
    server.child.kill("SIGTERM");
    const stopped = await Promise.race([
      new Promise<boolean>((resolve) => server.child.once("exit", () => resolve(true))),
      sleep(30_000).then(() => false),
    ]);
    if (!stopped && server.exited() === null) server.child.kill("SIGKILL");
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
