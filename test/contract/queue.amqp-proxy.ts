/**
 * A TCP relay between one queue handle and the real broker, so a test can take the network
 * away from that handle alone: `cut` destroys its sockets and refuses new ones, as a killed
 * process or a broker that went down looks from either side; `restore` lets it connect again.
 * The shared broker itself is never touched.
 */
import net from "node:net";

export interface BrokerRelay {
  /** The broker URL with this relay as its host. */
  readonly url: string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startRelay(brokerUrl: string): Promise<BrokerRelay> {
  const target = new URL(brokerUrl);
  const targetPort = Number(target.port || 5672);
  const sockets = new Set<net.Socket>();
  let server = listen();
  const port = await listening(server, 0);
  const url = new URL(brokerUrl);
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
