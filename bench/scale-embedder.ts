/**
 * A stand-in embedder for the scale bench, in a process of its own: it speaks Verso's embedder
 * protocol (GET /status, POST /v1/embeddings; src/adapters/embedder/remote.ts) and answers each
 * text with its clustered vector (scale-vectors.ts), in base64 float32 so that neither side
 * spends its time on JSON numbers. A real model would bound the run at a few hundred passages
 * a second; this one lets the stores and the index be what is measured.
 *
 *   node dist/bench/scale-embedder.js <clusters>   → prints the port it listens on
 */
import http from "node:http";
import { clustersFor, scaleModel, textVectors } from "./scale-vectors.js";

const maxTexts = 256;

function serve(clusters: number) {
  const vectorOf = textVectors(clusters);
  const server = http.createServer((request, response) => {
    const answer = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    if (request.method === "GET" && request.url === "/status") {
      answer(200, {
        service: "verso-embedder",
        model: scaleModel,
        ready: true,
        reason: null,
        limits: { maxTexts },
      });
      return;
    }
    if (request.method !== "POST" || request.url !== "/v1/embeddings") {
      answer(404, { error: { message: "not found" } });
      return;
    }
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const { input } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { input: string | string[] };
      const texts = typeof input === "string" ? [input] : input;
      answer(200, {
        object: "list",
        model: scaleModel.name,
        data: texts.map((text, index) => {
          const vector = vectorOf(text);
          return {
            object: "embedding",
            index,
            embedding: Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString("base64"),
          };
        }),
      });
    });
  });
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    console.log(typeof address === "object" && address ? address.port : 0);
  });
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
}

serve(Number(process.argv[2] ?? clustersFor(100_000)));
