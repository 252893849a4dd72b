/**
 * A stand-in for an Elasticsearch or OpenSearch server in tests: it records every request the
 * adapter's official client sends (method, path, query, parsed body) and answers each with a
 * response the test scripts, taken from the engines' documentation (vector-index.engine-responses.ts).
 */
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export interface CapturedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** JSON body; an array of the lines for NDJSON (bulk); null without a body. */
  body: unknown;
}

export interface ScriptedResponse {
  status?: number;
  body: unknown;
}

export type Responder = (request: CapturedRequest) => ScriptedResponse;

export interface EngineServer {
  url: string;
  requests: CapturedRequest[];
  /** Replaces how the next requests are answered. */
  answer(responder: Responder): void;
  close(): Promise<void>;
}

export async function startEngineServer(
  product: "Elasticsearch" | "OpenSearch",
  responder: Responder,
): Promise<EngineServer> {
  const requests: CapturedRequest[] = [];
  let respond = responder;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const url = new URL(request.url ?? "/", "http://engine");
      const ndjson = (request.headers["content-type"] ?? "").includes("ndjson");
      const captured: CapturedRequest = {
        method: request.method ?? "GET",
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: request.headers,
        body:
          text === ""
            ? null
            : ndjson
              ? text
                  .split("\n")
                  .filter(Boolean)
                  .map((line) => JSON.parse(line) as unknown)
              : (JSON.parse(text) as unknown),
      };
      requests.push(captured);
      let scripted: ScriptedResponse;
      try {
        scripted = respond(captured);
      } catch (error) {
        scripted = { status: 599, body: { error: String(error) } };
      }
      const headers: Record<string, string> = { "content-type": "application/json; charset=UTF-8" };
      // Elasticsearch names itself on every response, and its client refuses servers that do not.
      if (product === "Elasticsearch") headers["x-elastic-product"] = "Elasticsearch";
      response.writeHead(scripted.status ?? 200, headers);
      response.end(JSON.stringify(scripted.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answer(next) {
      respond = next;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
