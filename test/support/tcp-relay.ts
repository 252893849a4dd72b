/**
 * A TCP relay between one client and a real server (a broker, a database), so a test can take
 * the network away from that client alone: `cut` destroys its sockets and refuses new ones, as
 * a killed process or a server that went down looks from either side; `restore` lets it
 * connect again. The shared server itself is never touched.
 */
import net from "node:net";

export interface TcpRelay {
  /** The server's URL with this relay as its host. */
  readonly url: string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** Relays to the host and port of `serverUrl`; `cut: true` starts with the relay refusing. */
export async function startRelay(serverUrl: string, options: { cut?: boolean } = {}): Promise<TcpRelay> {
  const target = new URL(serverUrl);
  if (!target.port) throw new Error("the server URL must name its port");
  const targetPort = Number(target.port);
  const sockets = new Set<net.Socket>();
  let server = listen();
  const port = await listening(server, 0);
  if (options.cut) await new Promise<void>((resolve) => server.close(() => resolve()));
  const url = new URL(serverUrl);
  url.hostname = "127.0.0.1";
  url.port = String(port);

  function listen(): net.Server {
    return net.createServer((client) => {
      const upstream = net.connect(targetPort, target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        // Either end going away takes the other with it, as a dead peer would.
        socket.on("error", () => {});
        socket.on("close", () => {
          sockets.delete(socket);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
  }

  const stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });

  return {
    url: url.toString(),
    cut: stop,
    async restore() {
      if (server.listening) return;
      server = listen();
      await listening(server, port);
    },
    close: stop,
  };
}

function listening(server: net.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}
