/**
 * One listening socket for the whole life of a process. While the roles start, a stand-in app
 * answers (health, and 503 with Retry-After for the rest); once they are up the real app takes
 * over the same server. Two servers in turn on one port would leave a moment with none, in
 * which a client's connection is refused or reset.
 */
import http from "node:http";
import type { FastifyServerFactory } from "fastify";

type Handler = (request: http.IncomingMessage, response: http.ServerResponse) => void;

export interface Mount {
  /** Fastify's serverFactory: the app is built on the shared server, and not yet served. */
  serverFactory: FastifyServerFactory;
  /** From now on this app answers every request. */
  activate(): void;
}

export interface HandoverServer {
  server: http.Server;
  mount(): Mount;
  listen(port: number, host: string): Promise<void>;
  /**
   * Stops taking connections and resolves once every connection has closed. A keep-alive
   * connection whose request finishes after the close began would otherwise stay open until
   * the client lets go of it (Node closes only the connections idle when the close starts).
   */
  close(): Promise<void>;
}

/**
 * How long a client may take to send its request. Node's defaults (300 s for a whole request)
 * let a client that sends one byte every few seconds hold a connection for minutes; every body
 * Verso takes is small (64 KiB at most), so a request gets 30 s and its headers 15 s, checked
 * every 2 s, after which the server answers 408 and closes the connection.
 */
export const requestTimeouts = { requestMs: 30_000, headersMs: 15_000, checkEveryMs: 2_000 };

/**
 * How long an idle keep-alive connection stays open: Fastify's own default (72 s), which this
 * server, built outside Fastify, would otherwise lose for Node's 5 s. With 5 s, a client that
 * came back to a connection a little later than that (one whose own loop had been held for a few
 * seconds: the scale bench, writing a catalog of 300,000 passages) sent its request as the server
 * closed the connection, and saw "other side closed". Longer than the idle timeout of the load
 * balancers in front of it (60 s is common), so they close first.
 */
export const keepAliveMs = 72_000;

export function createHandoverServer(timeouts = requestTimeouts): HandoverServer {
  let current: Handler = (_request, response) => {
    response.writeHead(503, { "retry-after": "5", connection: "close" }).end();
  };
  const server = http.createServer(
    {
      keepAliveTimeout: keepAliveMs,
      requestTimeout: timeouts.requestMs,
      headersTimeout: timeouts.headersMs,
      connectionsCheckingInterval: timeouts.checkEveryMs,
    },
    (request, response) => current(request, response),
  );
  return {
    server,
    mount() {
      let handler: Handler | undefined;
      return {
        serverFactory: ((appHandler: Handler) => {
          handler = appHandler;
          return server;
        }) as FastifyServerFactory,
        activate() {
          if (!handler) throw new Error("activate before the app was built on this server");
          current = handler;
        },
      };
    },
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          resolve();
        });
      }),
    async close() {
      if (!server.listening) return;
      const sweep = setInterval(() => server.closeIdleConnections(), 100);
      try {
        await new Promise<void>((resolve, reject) =>
          server.close((error) => (error ? reject(error) : resolve())),
        );
      } finally {
        clearInterval(sweep);
      }
    },
  };
}
