/**
 * A cache server of a test's own, on a free port, for tests that kill, freeze or restart it:
 * the shared servers of test/support/servers.ts are never touched that way. `memcached` and
 * `redis-server` are taken from the PATH.
 */
import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import { acceptsConnections, freePort } from "./ports.js";

export { freePort };

export type PrivateServerKind = "memcached" | "redis";

export interface PrivateServer {
  readonly port: number;
  /** memcached://127.0.0.1:<port> or redis://127.0.0.1:<port> */
  readonly url: string;
  /** Starts the server (again) on the same port, and resolves once it takes connections. */
  start(): Promise<void>;
  /** Sends the signal (SIGKILL by default) and resolves once the process is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGSTOP: the server keeps its connections open and answers nothing. */
  freeze(): void;
  /** SIGCONT after `freeze`. */
  thaw(): void;
}

const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

function command(kind: PrivateServerKind, port: number, extraArgs: readonly string[]): [string, string[]] {
  if (kind === "memcached") {
    // -u only matters when the tests run as root, which memcached otherwise refuses.
    return ["memcached", ["-p", String(port), "-l", "127.0.0.1", "-U", "0", "-u", "memcache", ...extraArgs]];
  }
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  return ["redis-server", [...args, "--dir", os.tmpdir(), ...extraArgs]];
}

/** A private server on a free port (or `port`), not started yet: call `start()`. */
export async function privateServer(
  kind: PrivateServerKind,
  options: { args?: readonly string[]; port?: number } = {},
): Promise<PrivateServer> {
  const port = options.port ?? (await freePort());
  let child: ChildProcess | undefined;

  const server: PrivateServer = {
    port,
    url: `${kind}://127.0.0.1:${port}`,
    async start() {
      if (child) throw new Error(`the private ${kind} is already running`);
      const [file, args] = command(kind, port, options.args ?? []);
      const started = spawn(file, args, { stdio: "ignore" });
      child = started;
      running.add(started);
      let failure: Error | undefined;
      started.once("error", (error) => (failure = error));
      started.once("exit", () => {
        running.delete(started);
        if (child === started) child = undefined;
      });
      const until = Date.now() + 10_000;
      while (!(await acceptsConnections(port))) {
        if (failure) throw new Error(`${file} did not start: ${failure.message}`);
        if (!child) throw new Error(`${file} exited at start (is port ${port} taken?)`);
        if (Date.now() > until) throw new Error(`${file} did not listen on port ${port} in time`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async kill(signal = "SIGKILL") {
      const target = child;
      if (!target) return;
      const exited = new Promise<void>((resolve) => target.once("exit", () => resolve()));
      target.kill("SIGCONT"); // a frozen process does not act on SIGTERM until it runs again
      target.kill(signal);
      await exited;
    },
    freeze() {
      child?.kill("SIGSTOP");
    },
    thaw() {
      child?.kill("SIGCONT");
    },
  };
  return server;
}
