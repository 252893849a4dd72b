/**
 * A real Subsonic server for the music library's tests: Debian's `supysonic`, with a config,
 * a database and a cache of its own in a temporary folder, serving a music folder the test
 * made, on 127.0.0.1 and a free port. Its users and folder are set up with `supysonic-cli`;
 * the API is served by Flask's own HTTP server (the package's WSGI servers are optional extras),
 * run by the Python that `supysonic-cli` names in its first line.
 *
 * `stop()` ends it and `start()` serves again on the same port and database, so a test can
 * take the server away in the middle of a sync.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { acceptsConnections, freePort } from "./ports.js";

const run = promisify(execFile);

export interface SupysonicUser {
  name: string;
  password: string;
}

export interface SupysonicServer {
  readonly port: number;
  /** http://127.0.0.1:<port>/ */
  readonly httpUrl: string;
  /** subsonic://<user>@127.0.0.1:<port> for the first user. */
  readonly subsonicUrl: string;
  readonly users: readonly SupysonicUser[];
  /** Scans the music folder again (after the test changed it). */
  scan(): Promise<void>;
  /** Serves (again) on the same port, and resolves once it answers. */
  start(): Promise<void>;
  /** Ends the server process (the database stays), and resolves once it is gone. */
  stop(): Promise<void>;
  /** Stops it and removes its folder. */
  close(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

const serveScript = [
  "import sys",
  "from supysonic.web import create_application",
  "create_application().run(host='127.0.0.1', port=int(sys.argv[1]), threaded=True)",
].join("\n");

/** The interpreter supysonic was installed for, from the first line of `supysonic-cli` on the PATH. */
async function supysonicPython(): Promise<{ cli: string; python: string }> {
  for (const directory of (process.env.PATH ?? "").split(path.delimiter)) {
    const cli = path.join(directory, "supysonic-cli");
    const head = await fs.readFile(cli, "utf8").catch(() => undefined);
    const shebang = head?.split("\n")[0]?.match(/^#!\s*(\S+)/)?.[1];
    if (shebang) return { cli, python: shebang };
  }
  throw new Error("supysonic-cli is not on the PATH: install Debian's supysonic");
}

/** Starts supysonic over `musicFolder` with these users (the first is an admin). */
export async function startSupysonic(
  musicFolder: string,
  users: readonly SupysonicUser[] = [{ name: "alice", password: "correct horse battery" }],
): Promise<SupysonicServer> {
  const { cli, python } = await supysonicPython();
  const home = await fs.mkdtemp(path.join(os.tmpdir(), "verso-supysonic-"));
  await fs.mkdir(path.join(home, "cache"));
  await fs.writeFile(
    path.join(home, "supysonic.conf"),
    [
      "[base]",
      `database_uri = sqlite:///${path.join(home, "supysonic.db")}`,
      "[webapp]",
      `cache_dir = ${path.join(home, "cache")}`,
      "mount_webui = no",
      "log_level = ERROR",
      "[daemon]",
      `socket = ${path.join(home, "daemon.sock")}`,
    ].join("\n") + "\n",
  );
  // supysonic reads ./supysonic.conf and ~/.supysonic: both point at this folder only.
  const env = { ...process.env, HOME: home };
  const cliRun = (...args: string[]) => run(python, [cli, ...args], { cwd: home, env });
  for (const [index, user] of users.entries()) {
    await cliRun("user", "add", user.name, "-p", user.password);
    if (index === 0) await cliRun("user", "setroles", "-A", user.name);
  }
  await cliRun("folder", "add", "music", musicFolder);
  await cliRun("folder", "scan", "--foreground", "-f", "music");

  const port = await freePort();
  let child: ChildProcess | undefined;
  const server: SupysonicServer = {
    port,
    httpUrl: `http://127.0.0.1:${port}/`,
    subsonicUrl: `subsonic://${encodeURIComponent(users[0]?.name ?? "")}@127.0.0.1:${port}`,
    users,
    async scan() {
      await cliRun("folder", "scan", "--foreground", "-f", "music");
    },
    async start() {
      if (child) throw new Error("supysonic is already running");
      const started = spawn(python, ["-c", serveScript, String(port)], { cwd: home, env, stdio: "ignore" });
      child = started;
      running.add(started);
      started.once("exit", () => {
        running.delete(started);
        if (child === started) child = undefined;
      });
      const until = Date.now() + 20_000;
      while (!(await acceptsConnections(port))) {
        if (!child) throw new Error(`supysonic exited at start (is port ${port} taken?)`);
        if (Date.now() > until) throw new Error(`supysonic did not listen on port ${port} in time`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      const target = child;
      if (!target) return;
      const exited = new Promise<void>((resolve) => target.once("exit", () => resolve()));
      target.kill("SIGKILL");
      await exited;
    },
    async close() {
      await server.stop();
      await fs.rm(home, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}
