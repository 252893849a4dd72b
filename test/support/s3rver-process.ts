/**
 * s3rver as a process of its own, started and stopped by s3-server.ts, which talks to it over
 * the IPC channel of `fork`.
 *
 * It runs with Node's legacy OpenSSL provider: s3rver encrypts its ListObjectsV2 continuation
 * tokens with DES, which OpenSSL 3 keeps only there, and without it every listing longer than
 * one page fails with 500 InternalError.
 *
 * s3rver ignores If-Match on reads; with "honour-if-match" this process answers a failed
 * If-Match with 412 PreconditionFailed, as S3 does, before s3rver sees the request.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createRequire } from "node:module";

interface S3rverInstance {
  store: { getMetadata(bucket: string, key: string): Promise<{ etag: string }> };
  httpServer: Server;
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
  callback(): (request: IncomingMessage, response: ServerResponse) => void;
}

// s3rver is CommonJS without type declarations; the interface above is the part used here.
const S3rver = createRequire(import.meta.url)("s3rver") as new (
  options: Record<string, unknown>,
) => S3rverInstance;

export interface ReceivedRequest {
  method: string;
  /** Path and query as sent, e.g. "/bucket/key.csv" or "/bucket/?list-type=2&…". */
  url: string;
  headers: IncomingMessage["headers"];
  /** The status answered, once the answer is sent. */
  status?: number;
}

export type Command = { id: number; command: "requests" | "drop-connections" | "stop" };
export type Reply =
  { ready: true; port: number } | { id: number; requests: ReceivedRequest[] } | { id: number; done: true };

const [directory, mode] = process.argv.slice(2);
const send = (reply: Reply) => process.send?.(reply);

const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory });
const { port } = await server.run();
const requests: ReceivedRequest[] = [];
const serve = server.callback();
server.httpServer.removeAllListeners("request");
server.httpServer.on("request", (request: IncomingMessage, response: ServerResponse) => {
  const received: ReceivedRequest = {
    method: request.method ?? "",
    url: request.url ?? "",
    headers: request.headers,
  };
  requests.push(received);
  response.once("finish", () => (received.status = response.statusCode));
  if (mode !== "honour-if-match") return serve(request, response);
  failedIfMatch(request).then(
    (failed) => (failed ? preconditionFailed(response) : serve(request, response)),
    () => serve(request, response),
  );
});

process.on("message", async ({ id, command }: Command) => {
  if (command === "requests") return send({ id, requests });
  server.httpServer.closeAllConnections();
  if (command === "stop") {
    await server.close();
    send({ id, done: true });
    process.disconnect();
    return;
  }
  send({ id, done: true });
});
// The tests are gone (ended or killed): nothing is left to serve.
process.on("disconnect", () => process.exit(0));
send({ ready: true, port });

/** Whether a path-style GET or HEAD names an existing object whose ETag If-Match does not list. */
async function failedIfMatch(request: IncomingMessage): Promise<boolean> {
  const ifMatch = request.headers["if-match"];
  if (ifMatch === undefined || (request.method !== "GET" && request.method !== "HEAD")) return false;
  const [bucket, ...key] = new URL(request.url ?? "/", "http://s3").pathname.slice(1).split("/");
  if (bucket === undefined || key.length === 0) return false;
  let etag: string;
  try {
    ({ etag } = await server.store.getMetadata(
      decodeURIComponent(bucket),
      key.map(decodeURIComponent).join("/"),
    ));
  } catch {
    return false; // no such object: s3rver answers 404 itself
  }
  const listed = ifMatch.split(",").map((tag) => tag.trim());
  return !listed.includes("*") && !listed.includes(etag);
}

function preconditionFailed(response: ServerResponse): void {
  response.writeHead(412, { "content-type": "application/xml" });
  response.end(
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>PreconditionFailed</Code>' +
      "<Message>At least one of the pre-conditions you specified did not hold</Message>" +
      "<Condition>If-Match</Condition></Error>",
  );
}
