/**
 * The remote embedder's handling of what servers answer, failures, retries and model changes.
 *
 * TEI, Ollama and vLLM cannot run on this machine, so small local HTTP servers here answer
 * exactly the response and error shapes those servers document for POST /v1/embeddings
 * (field for field, unnormalized vectors and all). Verso's own role is tested for real: its
 * routes with a stub model behind them here, with USE lite in test/contract/embedder.remote.test.ts.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { VersoError } from "../../core/errors.js";
import type { EmbedPriority, Embedder } from "../../core/ports.js";
import { cosine, norm } from "../../core/vectors.js";
import { buildHttpApp } from "../../http/app.js";
import { embedderRoutes } from "../../http/embedder/routes.js";
import { createMetrics } from "../../observability/metrics.js";
import { createWorkerPoolEmbedder } from "./pool.js";
import { createRemoteEmbedder, type RemoteEmbedderEvent, type RemoteEmbedderOptions } from "./remote.js";

// ── a scripted server ───────────────────────────────────────────────────────────────────────

interface Received {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- whatever the client sent
  body: any;
}

type Handler = (request: Received, response: ServerResponse) => unknown;

interface FakeServer {
  url: string;
  port: number;
  received: Received[];
  /** The embeddings requests only. */
  embeddings(): Received[];
  handle: Handler;
  close(): Promise<void>;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fakeServer(handle: Handler, port = 0): Promise<FakeServer> {
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  const fake: FakeServer = {
    url: "",
    port: 0,
    received,
    embeddings: () => received.filter((r) => r.path === "/v1/embeddings"),
    handle,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const entry: Received = {
        method: request.method ?? "",
        path: (request.url ?? "").split("?")[0]!,
        headers: request.headers,
        body: text ? JSON.parse(text) : undefined,
      };
      received.push(entry);
      void Promise.resolve(fake.handle(entry, response)).catch((error: unknown) => {
        response.destroy(error as Error);
      });
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  fake.port = (server.address() as AddressInfo).port;
  fake.url = `http://127.0.0.1:${fake.port}`;
  cleanups.push(() => fake.close());
  return fake;
}

function json(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}

/** Deterministic, distinct per text, and far from unit length, as a server that does not normalize. */
function rawVector(text: string, dimension: number): number[] {
  return Array.from({ length: dimension }, (_, i) => {
    let h = 2166136261;
    for (const c of `${i}:${text}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
    return ((h >>> 0) / 4294967296) * 8 - 2;
  });
}

const unit = (values: number[]) => {
  const v = Float32Array.from(values);
  const n = norm(v);
  return v.map((x) => x / n);
};

const inputsOf = (request: Received): string[] =>
  typeof request.body.input === "string" ? [request.body.input] : request.body.input;

/** TEI's POST /v1/embeddings answer (it ignores `model` and names its own). */
const teiAnswer = (request: Received, model = "BAAI/bge-small-en-v1.5", dimension = 6) => {
  const texts = inputsOf(request);
  return {
    object: "list",
    data: texts.map((text, index) => ({ object: "embedding", embedding: rawVector(text, dimension), index })),
    model,
    usage: { prompt_tokens: texts.length * 3, total_tokens: texts.length * 3 },
  };
};

/** A server in the style of TEI: no /status (404), /v1/embeddings answered by `embed`. */
const teiLike =
  (embed: Handler = (request, response) => json(response, 200, teiAnswer(request))): Handler =>
  (request, response) => {
    if (request.path === "/v1/embeddings") return embed(request, response);
    response.writeHead(404);
    response.end();
  };

async function connect(server: { url: string }, options: Partial<RemoteEmbedderOptions> = {}) {
  const events: RemoteEmbedderEvent[] = [];
  const embedder = await createRemoteEmbedder({
    url: server.url,
    retryDelay: { initialMs: 10, maxMs: 40 },
    startDelay: { initialMs: 20, maxMs: 100 },
    onEvent: (event) => events.push(event),
    ...options,
  });
  cleanups.push(() => embedder.close());
  return { embedder, events };
}

const errorOf = async (promise: Promise<unknown>): Promise<VersoError> => {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(VersoError);
    return error as VersoError;
  }
  throw new Error("expected a rejection");
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ── OpenAI-compatible servers ───────────────────────────────────────────────────────────────

describe("answers of OpenAI-compatible servers", () => {
  it("TEI: takes the model from the answer and the dimension from the first vector, and normalizes", async () => {
    const server = await fakeServer(teiLike());
    const { embedder, events } = await connect(server);
    expect(embedder.model).toEqual({ name: "BAAI/bge-small-en-v1.5", dimension: 6 });
    expect(events.at(-1)).toMatchObject({ type: "connected", server: "openai-compatible" });
    const texts = ["the ocean waves", "a letter to my mother"];
    const vectors = await embedder.embed(texts);
    texts.forEach((text, i) => {
      expect(norm(vectors[i]!)).toBeCloseTo(1, 5);
      expect(cosine(vectors[i]!, unit(rawVector(text, 6)))).toBeGreaterThan(0.99999);
    });
    const sent = server.embeddings().at(-1)!;
    expect(sent.body).toEqual({ input: texts, encoding_format: "float" });
    expect(sent.headers["content-type"]).toBe("application/json");
  });

  it("puts vectors in place by index when the data come out of order", async () => {
    const server = await fakeServer(
      teiLike((request, response) => {
        const answer = teiAnswer(request);
        answer.data.reverse();
        json(response, 200, answer);
      }),
    );
    const { embedder } = await connect(server);
    const texts = ["one", "two", "three", "four"];
    const vectors = await embedder.embed(texts);
    texts.forEach((text, i) =>
      expect(cosine(vectors[i]!, unit(rawVector(text, 6)))).toBeGreaterThan(0.99999),
    );
  });

  it("vLLM: reads its answer with id, created and usage fields, and base64 embeddings", async () => {
    const server = await fakeServer(
      teiLike((request, response) => {
        const texts = inputsOf(request);
        json(response, 200, {
          id: "embd-3b1c2d",
          object: "list",
          created: 1767225600,
          model: "intfloat/e5-mistral-7b-instruct",
          data: texts.map((text, index) => {
            const bytes = Buffer.alloc(4 * 8);
            rawVector(text, 8).forEach((x, i) => bytes.writeFloatLE(x, i * 4));
            return { index, object: "embedding", embedding: bytes.toString("base64") };
          }),
          usage: { prompt_tokens: 5, total_tokens: 5, completion_tokens: 0, prompt_tokens_details: null },
        });
      }),
    );
    const { embedder } = await connect(server, {
      model: "intfloat/e5-mistral-7b-instruct",
      apiKey: "s3cret",
    });
    expect(embedder.model).toEqual({ name: "intfloat/e5-mistral-7b-instruct", dimension: 8 });
    const [vector] = await embedder.embed(["rain on the roof"]);
    expect(cosine(vector!, unit(rawVector("rain on the roof", 8)))).toBeGreaterThan(0.99999);
    const sent = server.embeddings().at(-1)!;
    expect(sent.body.model).toBe("intfloat/e5-mistral-7b-instruct");
    expect(sent.headers.authorization).toBe("Bearer s3cret");
  });

  it("Ollama: sends the model setting, and accepts a URL written with /v1 as OpenAI clients do", async () => {
    const server = await fakeServer(
      teiLike((request, response) => {
        if (!request.body.model)
          return json(response, 400, {
            error: { message: "model is required", type: "invalid_request_error" },
          });
        json(response, 200, teiAnswer(request, request.body.model, 4));
      }),
    );
    const { embedder } = await connect({ url: `${server.url}/v1/` }, { model: "nomic-embed-text" });
    expect(embedder.model).toEqual({ name: "nomic-embed-text", dimension: 4 });
    expect(embedder.url).toBe(`${server.url}/`);
    expect(await embedder.embed(["x"])).toHaveLength(1);
    expect(server.embeddings().every((r) => r.body.model === "nomic-embed-text")).toBe(true);
  });

  it("names the model from the setting when the answer does not, and refuses to guess otherwise", async () => {
    const anonymous = teiLike((request, response) => {
      const { model: _model, ...answer } = teiAnswer(request);
      json(response, 200, answer);
    });
    const named = await connect(await fakeServer(anonymous), { model: "all-minilm" });
    expect(named.embedder.model).toEqual({ name: "all-minilm", dimension: 6 });
    const refused = await errorOf(connect(await fakeServer(anonymous)));
    expect(refused.code).toBe("REMOTE_EMBEDDER_ERROR");
    expect(refused.message).toMatch(/does not say which model answered: name it with the model setting/);
  });

  it("reports error bodies of each server with their message, without retrying a refusal", async () => {
    const bodies: [number, unknown, RegExp][] = [
      [
        404,
        {
          object: "error",
          message: "The model `e5` does not exist.",
          type: "NotFoundError",
          param: null,
          code: 404,
        },
        /\(404\): The model `e5` does not exist/,
      ],
      [
        404,
        {
          error: {
            message: 'model "e5" not found, try pulling it first',
            type: "api_error",
            param: null,
            code: null,
          },
        },
        /\(404\): model "e5" not found/,
      ],
      [
        422,
        { error: "Input validation error: `inputs` cannot be empty", error_type: "Validation" },
        /\(422\): Input validation error/,
      ],
      [
        401,
        {
          error: {
            message: "Incorrect API key provided",
            type: "invalid_request_error",
            code: "invalid_api_key",
          },
        },
        /\(401\): Incorrect API key/,
      ],
    ];
    for (const [status, body, message] of bodies) {
      const server = await fakeServer(teiLike((_request, response) => json(response, status, body)));
      const refused = await errorOf(connect(server, { model: "e5" }));
      expect(refused.code).toBe("REMOTE_EMBEDDER_ERROR");
      expect(refused.message).toMatch(message);
      expect(server.embeddings()).toHaveLength(1);
    }
  });

  it("fails only the caller whose text a server refuses, when calls were sent together", async () => {
    const server = await fakeServer(
      teiLike((request, response) => {
        if (inputsOf(request).includes("poison")) {
          return json(response, 400, {
            error: {
              message: "This model's maximum context length is 512 tokens",
              type: "invalid_request_error",
            },
          });
        }
        json(response, 200, teiAnswer(request));
      }),
    );
    const { embedder } = await connect(server, { concurrency: 1 });
    // One slot: the first call is in flight, the next two are queued and sent together.
    const first = embedder.embed(["occupies the only slot"]);
    const poison = embedder.embed(["poison"]);
    const innocent = embedder.embed(["innocent"]);
    await first;
    const refused = await errorOf(poison);
    expect(refused.code).toBe("REMOTE_EMBEDDER_ERROR");
    expect(refused.message).toMatch(/refused the request \(400\): This model's maximum context length/);
    expect(await innocent).toHaveLength(1);
    expect(server.embeddings().slice(1).map(inputsOf)).toEqual([
      ["occupies the only slot"],
      ["poison", "innocent"],
      ["poison"],
      ["innocent"],
    ]);
  });

  it("halves a batch the server finds too large, and fails a single text it finds too large", async () => {
    const server = await fakeServer(
      teiLike((request, response) => {
        const texts = inputsOf(request);
        if (texts.length > 2 || texts.includes("poison")) {
          return json(response, 413, {
            error: `batch size ${texts.length} > maximum allowed batch size 2`,
            error_type: "Validation",
          });
        }
        json(response, 200, teiAnswer(request));
      }),
    );
    const { embedder } = await connect(server);
    const texts = ["a", "b", "c", "d", "e"];
    const vectors = await embedder.embed(texts);
    texts.forEach((text, i) =>
      expect(cosine(vectors[i]!, unit(rawVector(text, 6)))).toBeGreaterThan(0.99999),
    );
    const refused = await errorOf(embedder.embed(["poison"]));
    expect(refused.message).toMatch(/single text too large: batch size 1/);
  });

  it("refuses answers it cannot trust", async () => {
    const cases: [string, (request: Received) => unknown, RegExp][] = [
      [
        "too few vectors",
        (r) => ({ ...teiAnswer(r), data: teiAnswer(r).data.slice(1) }),
        /1 embeddings for 2 texts/,
      ],
      [
        "an index twice",
        (r) => ({ ...teiAnswer(r), data: teiAnswer(r).data.map((d) => ({ ...d, index: 0 })) }),
        /index 0 appears twice/,
      ],
      [
        "an index out of range",
        (r) => ({ ...teiAnswer(r), data: teiAnswer(r).data.map((d, i) => ({ ...d, index: i + 1 })) }),
        /has index 2/,
      ],
      [
        "strings for numbers",
        (r) => ({
          ...teiAnswer(r),
          data: teiAnswer(r).data.map((d) => ({ ...d, embedding: ["0.1", "0.2"] })),
        }),
        /non-numbers/,
      ],
      [
        "a zero vector",
        (r) => ({
          ...teiAnswer(r),
          data: teiAnswer(r).data.map((d) => ({ ...d, embedding: [0, 0, 0, 0, 0, 0] })),
        }),
        /zero or non-finite/,
      ],
      [
        "vectors of two lengths",
        (r) => ({
          ...teiAnswer(r),
          data: teiAnswer(r).data.map((d, i) => ({ ...d, embedding: d.embedding.slice(i) })),
        }),
        /differ in length/,
      ],
      ["no data", () => ({ object: "list" }), /no data list/],
      ["HTML", () => "<html>gateway</html>", /no data list/],
    ];
    for (const [what, answer, message] of cases) {
      let broken = false;
      const server = await fakeServer(
        teiLike((request, response) => {
          if (!broken) return json(response, 200, teiAnswer(request));
          const body = answer(request);
          if (typeof body === "string") {
            response.writeHead(200, { "content-type": "text/html" });
            return response.end(body);
          }
          json(response, 200, body);
        }),
      );
      const { embedder } = await connect(server);
      broken = true;
      const refused = await errorOf(embedder.embed(["first", "second"]));
      expect(refused.code, what).toBe("REMOTE_EMBEDDER_ERROR");
      expect(refused.message, what).toMatch(message);
    }
  });

  it("refuses an answer larger than the texts could need, and a redirect", async () => {
    let mode: "ok" | "huge" | "redirect" = "ok";
    const server = await fakeServer(
      teiLike((request, response) => {
        if (mode === "ok") return json(response, 200, teiAnswer(request));
        if (mode === "redirect") {
          response.writeHead(308, { location: "https://embedder.example/v1/embeddings" });
          return response.end();
        }
        response.writeHead(200, { "content-type": "application/json" });
        response.end(`{"data": [${"1,".repeat(200_000)}1]}`);
      }),
    );
    const { embedder } = await connect(server);
    mode = "huge";
    expect((await errorOf(embedder.embed(["x"]))).message).toMatch(/larger than \d+ bytes/);
    mode = "redirect";
    expect((await errorOf(embedder.embed(["x"]))).message).toMatch(/redirects to https:\/\/embedder.example/);
  });
});

// ── failures that pass ──────────────────────────────────────────────────────────────────────

describe("failures that may pass", () => {
  it("retries 503 with backoff until the server recovers", async () => {
    let failures = 2;
    const server = await fakeServer(
      teiLike((request, response) => {
        if (failures-- > 0)
          return json(response, 503, { error: "Model is loading", error_type: "Unhealthy" });
        json(response, 200, teiAnswer(request));
      }),
    );
    failures = 0;
    const { embedder, events } = await connect(server);
    failures = 2;
    expect(await embedder.embed(["after two 503s"])).toHaveLength(1);
    const retries = events.filter((e) => e.type === "retrying");
    expect(retries.map((e) => e.type === "retrying" && e.reason)).toEqual([
      "answered 503: Model is loading",
      "answered 503: Model is loading",
    ]);
    expect(server.embeddings()).toHaveLength(1 + 3);
  });

  it("waits as long as a 429's Retry-After says", async () => {
    let overloaded = false;
    const server = await fakeServer(
      teiLike((request, response) => {
        if (overloaded) {
          overloaded = false;
          return json(
            response,
            429,
            { error: "Model is overloaded", error_type: "Overloaded" },
            { "retry-after": "1" },
          );
        }
        json(response, 200, teiAnswer(request));
      }),
    );
    const { embedder, events } = await connect(server);
    overloaded = true;
    const t0 = performance.now();
    expect(await embedder.embed(["patience"])).toHaveLength(1);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(950);
    expect(events.find((e) => e.type === "retrying")).toMatchObject({
      retryInMs: 1000,
      reason: "answered 429: Model is overloaded",
    });
  });

  it("gives up on a server that stays down with DEPENDENCY_UNAVAILABLE, and passes on its Retry-After", async () => {
    let down = false;
    const server = await fakeServer(
      teiLike((request, response) => {
        if (down)
          return json(
            response,
            503,
            { error: { code: "EMBEDDER_BUSY", message: "busy" } },
            { "retry-after": "0" },
          );
        json(response, 200, teiAnswer(request));
      }),
    );
    const { embedder } = await connect(server, { retries: 2 });
    down = true;
    const failure = await errorOf(embedder.embed(["x"]));
    expect(failure.code).toBe("DEPENDENCY_UNAVAILABLE");
    expect(failure.message).toMatch(/answered 503: busy \(3 attempts\)/);
    expect(failure.retryAfterSeconds).toBe(0);
  });

  it("times out a server that stalls, and retries", async () => {
    let stalls = 0;
    const server = await fakeServer(
      teiLike((request, response) => {
        // Never answered: the client must give up on its own.
        if (stalls-- > 0) return;
        json(response, 200, teiAnswer(request));
      }),
    );
    const { embedder, events } = await connect(server, { timeoutMs: 300, retries: 2 });
    stalls = 1;
    const t0 = performance.now();
    expect(await embedder.embed(["slow"])).toHaveLength(1);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    expect(events.find((e) => e.type === "retrying")).toMatchObject({
      reason: "did not answer within 300 ms",
    });
    stalls = 10;
    const failure = await errorOf(embedder.embed(["slower"]));
    expect(failure.code).toBe("DEPENDENCY_UNAVAILABLE");
    expect(failure.message).toMatch(/did not answer within 300 ms \(3 attempts\)/);
  });

  it("retries a connection reset, and reports a server gone as DEPENDENCY_UNAVAILABLE until it is back", async () => {
    let resets = 0;
    const server = await fakeServer(
      teiLike((request, response) => {
        if (resets-- > 0) return void response.socket?.destroy();
        json(response, 200, teiAnswer(request));
      }),
    );
    const { embedder } = await connect(server, { retries: 1 });
    resets = 1;
    expect(await embedder.embed(["after a reset"])).toHaveLength(1);

    const port = server.port;
    await server.close();
    const failure = await errorOf(embedder.embed(["while it is away"]));
    expect(failure.code).toBe("DEPENDENCY_UNAVAILABLE");
    expect(failure.message).toMatch(/could not be reached: ECONNREFUSED/);
    await expect(embedder.ready()).rejects.toMatchObject({ code: "DEPENDENCY_UNAVAILABLE" });

    await fakeServer(teiLike(), port);
    expect(await embedder.embed(["back again"])).toHaveLength(1);
  });
});

// ── start-up ────────────────────────────────────────────────────────────────────────────────

describe("start-up", () => {
  const freePort = async () => {
    const probe = await fakeServer(teiLike());
    await probe.close();
    return probe.port;
  };

  it("waits for a server that is not up yet, telling each attempt, then starts", async () => {
    const port = await freePort();
    const events: RemoteEmbedderEvent[] = [];
    const starting = connect({ url: `http://127.0.0.1:${port}` }, { onEvent: (e) => events.push(e) });
    await expect.poll(() => events.filter((e) => e.type === "waiting").length).toBeGreaterThanOrEqual(2);
    expect(events[0]).toMatchObject({
      type: "waiting",
      attempt: 1,
      reason: expect.stringMatching(/ECONNREFUSED/),
    });
    await fakeServer(teiLike(), port);
    const { embedder } = await starting;
    expect(embedder.model.name).toBe("BAAI/bge-small-en-v1.5");
    expect(events.at(-1)).toMatchObject({ type: "connected" });
  });

  it("gives up after startTimeoutMs with DEPENDENCY_UNAVAILABLE, instead of hanging", async () => {
    const port = await freePort();
    const t0 = performance.now();
    const failure = await errorOf(connect({ url: `http://127.0.0.1:${port}` }, { startTimeoutMs: 400 }));
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(failure.code).toBe("DEPENDENCY_UNAVAILABLE");
    expect(failure.message).toMatch(
      /no embedder answered at http:\/\/127.0.0.1:\d+\/ within 0.4 s: it could not be reached: ECONNREFUSED/,
    );
  });

  it("stops trying at once when its signal aborts", async () => {
    const port = await freePort();
    const stop = new AbortController();
    const starting = connect({ url: `http://127.0.0.1:${port}` }, { signal: stop.signal });
    await sleep(100);
    stop.abort(new Error("shutting down"));
    await expect(starting).rejects.toThrow("shutting down");
  });

  it("refuses settings that cannot work before any request", async () => {
    await expect(createRemoteEmbedder({ url: "not a url" })).rejects.toThrow(RangeError);
    await expect(createRemoteEmbedder({ url: "ftp://embedder" })).rejects.toThrow(/http:\/\/ or https:\/\//);
    await expect(createRemoteEmbedder({ url: "http://me:pw@embedder" })).rejects.toThrow(/credentials/);
    await expect(createRemoteEmbedder({ url: "http://embedder", maxBatch: 0 })).rejects.toThrow(/maxBatch/);
  });
});

// ── model change ────────────────────────────────────────────────────────────────────────────

describe("a model change on the server", () => {
  it("fails calls answered by another model, or with another dimension, and never returns their vectors", async () => {
    let model = "BAAI/bge-small-en-v1.5";
    let dimension = 6;
    const server = await fakeServer(
      teiLike((request, response) => json(response, 200, teiAnswer(request, model, dimension))),
    );
    const { embedder } = await connect(server);
    model = "BAAI/bge-m3";
    const renamed = await errorOf(embedder.embed(["x"]));
    expect(renamed.code).toBe("EMBEDDING_MODEL_CHANGED");
    expect(renamed.message).toMatch(
      /now answers with BAAI\/bge-m3 \(6 dimensions\), not BAAI\/bge-small-en-v1.5 \(6\)/,
    );
    model = "BAAI/bge-small-en-v1.5";
    dimension = 7;
    expect((await errorOf(embedder.embed(["x"]))).code).toBe("EMBEDDING_MODEL_CHANGED");
    dimension = 6;
    expect(await embedder.embed(["x"])).toHaveLength(1);
    expect(embedder.model).toEqual({ name: "BAAI/bge-small-en-v1.5", dimension: 6 });
  });
});

// ── Verso's embedder role ───────────────────────────────────────────────────────────────────

interface Recorded extends Embedder {
  model: Embedder["model"];
  calls: { texts: string[]; priority: EmbedPriority | undefined }[];
}

/** The role's real routes in front of `embedder`. */
async function versoRole(embedder: Embedder, limits: { maxTexts?: number } = {}) {
  const app = await buildHttpApp({
    metrics: createMetrics({ defaultMetrics: false }),
    routes: [embedderRoutes({ embedder, limits })],
  });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  cleanups.push(() => app.close());
  return { url };
}

function recording(name = "rec-v1", dimension = 3): Recorded {
  const recorded: Recorded = {
    model: { name, dimension },
    parallelism: 1,
    calls: [],
    async embed(texts, options) {
      recorded.calls.push({ texts: [...texts], priority: options?.priority });
      return texts.map((text) => unit(rawVector(text, dimension)));
    },
    ready: async () => {},
    close: async () => {},
  };
  return recorded;
}

describe("Verso's embedder role", () => {
  it("names its model in GET /status, and the client keeps to what the role accepts per request", async () => {
    const model = recording();
    const role = await versoRole(model, { maxTexts: 5 });
    const { embedder, events } = await connect(role);
    expect(embedder.model).toEqual({ name: "rec-v1", dimension: 3 });
    expect(events.at(-1)).toMatchObject({ type: "connected", server: "verso" });
    expect(await embedder.embed(Array.from({ length: 12 }, (_, i) => `line ${i}`))).toHaveLength(12);
    expect(model.calls.map((c) => c.texts.length)).toEqual([4, 4, 4]);
  });

  it("marks prompts interactive and everything else bulk, so a shared role serves prompts first", async () => {
    const model = recording();
    const { embedder } = await connect(await versoRole(model));
    await embedder.embed(["a passage"]);
    await embedder.embed(["a prompt"], { priority: "interactive" });
    await embedder.embed(["another passage"], { priority: "bulk" });
    expect(model.calls.map((c) => c.priority)).toEqual(["bulk", "interactive", "bulk"]);
  });

  it("refuses at start a model setting the role does not serve", async () => {
    const refused = await errorOf(connect(await versoRole(recording()), { model: "bge-m3" }));
    expect(refused.code).toBe("EMBEDDING_MODEL_NOT_SERVED");
    expect(refused.message).toMatch(/serves rec-v1, not the model asked for, bge-m3/);
  });

  it("explains a URL that leads to a Verso process without the embedder role", async () => {
    const api = await buildHttpApp({ metrics: createMetrics({ defaultMetrics: false }), routes: [] });
    const url = await api.listen({ host: "127.0.0.1", port: 0 });
    cleanups.push(() => api.close());
    const refused = await errorOf(connect({ url }));
    expect(refused.code).toBe("REMOTE_EMBEDDER_ERROR");
    expect(refused.message).toMatch(/refused the request \(404\): no route POST \/v1\/embeddings/);
  });

  it("passes on the role's own error codes", async () => {
    const model = recording();
    const { embedder } = await connect(await versoRole(model));
    model.embed = async () => {
      throw new VersoError("VALIDATION_FAILED", "text 0 to embed is not to the model's taste");
    };
    const refused = await errorOf(embedder.embed(["x"]));
    expect(refused.code).toBe("VALIDATION_FAILED");
    expect(refused.message).toMatch(/not to the model's taste/);
  });

  it("says not ready while the role's model loads, and serves once it has", async () => {
    const loading = createWorkerPoolEmbedder({
      model: { name: "stub-v1", dimension: 8 },
      worker: { baseUrl: import.meta.url, name: "stub.worker", settings: { loadDelayMs: 1500 } },
      threads: 1,
      interactiveWorker: false,
    });
    cleanups.push(() => loading.close());
    const role = await versoRole(loading);
    // The role names its model before the model has loaded, so the client starts at once.
    const { embedder } = await connect(role);
    await expect(embedder.ready()).rejects.toMatchObject({
      code: "DEPENDENCY_UNAVAILABLE",
      message: expect.stringMatching(/not ready: the model is loading/),
    });
    expect(await embedder.embed(["waits for the model instead of failing"])).toHaveLength(1);
    await expect(embedder.ready()).resolves.toBeUndefined();
  });
});

describe("Verso's embedder role out of service", () => {
  it("reports the role's outage as DEPENDENCY_UNAVAILABLE with its reason, a failure that may pass", async () => {
    const broken = createWorkerPoolEmbedder({
      model: { name: "stub-v1", dimension: 8 },
      worker: {
        baseUrl: import.meta.url,
        name: "stub.worker",
        settings: { failLoad: "weights are missing" },
      },
      threads: 1,
      interactiveWorker: false,
      recovery: { initialDelayMs: 1000, maxDelayMs: 1000 },
    });
    cleanups.push(() => broken.close());
    await broken.ready().catch(() => {});
    const { embedder, events } = await connect(await versoRole(broken), { retries: 1 });
    await expect(embedder.ready()).rejects.toMatchObject({
      code: "DEPENDENCY_UNAVAILABLE",
      message: expect.stringMatching(
        /not ready: the stub-v1 embedder could not start: .*weights are missing/,
      ),
    });
    const failure = await errorOf(embedder.embed(["x"]));
    expect(failure.code).toBe("DEPENDENCY_UNAVAILABLE");
    expect(failure.message).toMatch(/answered 503: the stub-v1 embedder could not start/);
    // The role says when it tries again (Retry-After), and the client waited that long.
    expect(events.find((e) => e.type === "retrying")).toMatchObject({ retryInMs: 1000 });
  });
});

describe("Verso's embedder role switching model", () => {
  it("fails calls and ready() once the role answers for another model", async () => {
    const model = recording("rec-v1", 3);
    const { embedder } = await connect(await versoRole(model));
    model.model = { name: "rec-v2", dimension: 3 };
    expect((await errorOf(embedder.embed(["x"]))).code).toBe("EMBEDDING_MODEL_CHANGED");
    await expect(embedder.ready()).rejects.toMatchObject({
      code: "EMBEDDING_MODEL_CHANGED",
      message: expect.stringMatching(/now answers with rec-v2 \(3 dimensions\), not rec-v1 \(3\)/),
    });
  });
});

// ── scheduling ──────────────────────────────────────────────────────────────────────────────

describe("batching and priority", () => {
  it("coalesces calls queued behind a busy slot into one request", async () => {
    const server = await fakeServer(
      teiLike(async (request, response) => {
        await sleep(100);
        json(response, 200, teiAnswer(request));
      }),
    );
    const { embedder } = await connect(server, { concurrency: 1 });
    const before = server.embeddings().length;
    const calls = Array.from({ length: 10 }, (_, i) => embedder.embed([`text ${i}`]));
    const answers = await Promise.all(calls);
    answers.forEach((answer, i) =>
      expect(cosine(answer[0]!, unit(rawVector(`text ${i}`, 6)))).toBeGreaterThan(0.99999),
    );
    // The first goes out alone; the nine queued behind it travel together.
    expect(
      server
        .embeddings()
        .slice(before)
        .map((r) => inputsOf(r).length),
    ).toEqual([1, 9]);
  });

  it("sends a prompt at once while every bulk slot is busy, marked interactive", async () => {
    const server = await fakeServer(
      teiLike(async (request, response) => {
        if (request.headers["x-verso-priority"] === "bulk") await sleep(600);
        json(response, 200, teiAnswer(request));
      }),
    );
    const { embedder } = await connect(server, { concurrency: 1 });
    const bulk = Array.from({ length: 3 }, (_, i) =>
      embedder.embed([`passage ${i}`, `more ${i}`], { priority: "bulk" }),
    );
    await sleep(50);
    const t0 = performance.now();
    await embedder.embed(["a prompt"], { priority: "interactive" });
    expect(performance.now() - t0).toBeLessThan(400);
    expect(embedder.stats().inFlight.bulk).toBe(1);
    await Promise.all(bulk);
    const prompt = server.embeddings().find((r) => inputsOf(r).includes("a prompt"))!;
    expect(prompt.headers["x-verso-priority"]).toBe("interactive");
  });

  it("refuses blank texts and unknown priorities without a request, and answers [] for no texts", async () => {
    const server = await fakeServer(teiLike());
    const { embedder } = await connect(server);
    const before = server.received.length;
    expect((await errorOf(embedder.embed(["fine", " \n"]))).code).toBe("VALIDATION_FAILED");
    await expect(embedder.embed(["", "x"])).rejects.toThrow(/text 0 to embed is empty/);
    await expect(embedder.embed(["x"], { priority: "urgent" as "bulk" })).rejects.toThrow(/priority/);
    expect(await embedder.embed([])).toEqual([]);
    expect(server.received.length).toBe(before);
  });

  it("rejects queued and in-flight calls on close, and every call after", async () => {
    let ready = true;
    const server = await fakeServer(
      teiLike((request, response) => {
        // Once ready is false, requests are held and never answered.
        if (ready) json(response, 200, teiAnswer(request));
      }),
    );
    const { embedder } = await connect(server, { concurrency: 1 });
    ready = false;
    const inFlight = embedder.embed(["held by the server"]);
    const queued = embedder.embed(["behind it"]);
    await sleep(50);
    await embedder.close();
    await expect(inFlight).rejects.toThrow(/closed/);
    await expect(queued).rejects.toThrow(/closed/);
    await expect(embedder.embed(["later"])).rejects.toThrow(/closed/);
    await expect(embedder.ready()).rejects.toThrow(/closed/);
  });
});
