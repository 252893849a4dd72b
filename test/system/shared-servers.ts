/**
 * The machine's shared servers, brought back when a fault test (or anything else) left one down.
 * The fault tests stop and start RabbitMQ, MariaDB and PostgreSQL on purpose; if a restart
 * fails half-way (a slow start under load, a stop that timed out) the server must not stay down
 * for every system test after it, or one fault becomes a cascade of unrelated failures.
 * The commands are the ones `.ci/run` starts them with.
 */
import { execSync } from "node:child_process";

const sh = (command: string, timeoutMs = 120_000) =>
  execSync(command, { stdio: "pipe", timeout: timeoutMs }).toString();

function succeeds(command: string, timeoutMs = 30_000): boolean {
  try {
    sh(command, timeoutMs);
    return true;
  } catch {
    return false;
  }
}

interface SharedServer {
  name: string;
  isUp: string;
  start: () => void;
}

const servers: SharedServer[] = [
  {
    name: "PostgreSQL",
    isUp: "pg_isready -h 127.0.0.1 -q",
    start: () => {
      const version = sh("ls /etc/postgresql").trim().split("\n")[0]!;
      sh(`pg_ctlcluster --skip-systemctl-redirect ${version} main start`);
    },
  },
  {
    name: "MariaDB",
    isUp: "mysqladmin -h 127.0.0.1 -u root ping",
    start: () => sh("start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd"),
  },
  {
    name: "RabbitMQ",
    // The listener itself: the node may run with its application stopped (`stop_app`).
    isUp: "rabbitmq-diagnostics -q check_port_listener 5672",
    start: () => {
      // The node is up and only the application stopped, or the node is down altogether.
      if (!succeeds("rabbitmqctl -q start_app", 180_000)) sh("rabbitmq-server -detached");
    },
  },
];

/** Starts each shared server that is down and waits until it answers; throws if one does not. */
export async function ensureSharedServersUp(withinMs = 240_000): Promise<void> {
  for (const server of servers) {
    if (succeeds(server.isUp)) continue;
    console.warn(`${server.name} was down: starting it again`);
    try {
      server.start();
    } catch (error) {
      console.warn(`starting ${server.name}: ${(error as Error).message}`);
    }
    const until = Date.now() + withinMs;
    while (!succeeds(server.isUp)) {
      if (Date.now() > until) throw new Error(`${server.name} is down and did not start again`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}
