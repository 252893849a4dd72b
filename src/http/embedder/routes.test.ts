/**
 * The embedder role's routes over a real HTTP connection, with a small deterministic embedder
 * behind them (the real model behind the same routes is tested in
 * test/contract/embedder.remote.test.ts).
 */
import { afterEach, describe, expect, it } from "vitest";
import { VersoError } from "../../core/errors.js";
import type { EmbedPriority, Embedder } from "../../core/ports.js";
import { normalizeInPlace } from "../../core/vectors.js";
import { createMetrics } from "../../observability/metrics.js";
import { buildHttpApp, type HttpApp } from "../app.js";
import { embedderRoutes, type EmbedderRoutesOptions } from "./routes.js";

const dimension = 4;

interface FakeEmbedder extends Embedder {
  calls: { texts: string[]; priority: EmbedPriority | undefined }[];
  /** When set, embed() waits for it. */
  gate: Promise<void> | undefined;
  readiness: () => Promise<void>;
  failWith: Error | undefined;
}

/** A vector made from the text's characters, normalized: equal texts, equal vectors. */
const vectorOf = (text: string) => {
  const v = new Float32Array(dimension);
  for (let i = 0; i < text.length; i++) v[i % dimension]! += text.charCodeAt(i) / 100;
  return normalizeInPlace(v)!;
};

function fakeEmbedder(): FakeEmbedder {
  const fake: FakeEmbedder = {
    model: { name: "fake-v1", dimension },
    parallelism: 3,
    calls: [],
    gate: undefined,
    readiness: async () => {},
    failWith: undefined,
    async embed(texts, options) {
      fake.calls.push({ texts: [...texts], priority: options?.priority });
      if (fake.gate) await fake.gate;
      if (fake.failWith) throw fake.failWith;
      return texts.map(vectorOf);
    },
    ready: () => fake.readiness(),
    async close() {},
  };
  return fake;
}

let app: HttpApp | undefined;
let base = "";
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function serve(embedder: Embedder, options: Omit<EmbedderRoutesOptions, "embedder"> = {}) {
  app = await buildHttpApp({
    metrics: createMetrics({ defaultMetrics: false }),
    routes: [embedderRoutes({ embedder, ...options })],
  });
  base = await app.listen({ host: "127.0.0.1", port: 0 });
}

interface Answer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test reads its own shape
  body: any;
}

async function call(
  method: string,
  path: string,
  options: { json?: unknown; raw?: string; contentType?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers["content-type"] = "application/json";
  }
  if (options.raw !== undefined) {
    body = options.raw;
    headers["content-type"] = options.contentType ?? "application/json";
  }
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

const post = (path: string, json: unknown, headers: Record<string, string> = {}) =>
  call("POST", path, { json, headers });

const expectError = (answer: Answer, status: number, code: string, message?: RegExp) => {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  expect(answer.body.error.code).toBe(code);
  if (message) expect(answer.body.error.message).toMatch(message);
};

describe("POST /encode", () => {
  it("answers {text} with its vector in the original system's shape", async () => {
    await serve(fakeEmbedder());
    const answer = await post("/encode", { text: "the ocean waves" });
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body).sort()).toEqual(["embeddings", "text"]);
    expect(answer.body.text).toBe("the ocean waves");
    expect(answer.body.embeddings).toHaveLength(dimension);
    answer.body.embeddings.forEach((x: number, i: number) =>
      expect(x).toBeCloseTo(vectorOf("the ocean waves")[i]!, 6),
    );
  });

  it("answers {texts} with one vector per text, in order", async () => {
    await serve(fakeEmbedder());
    const texts = ["love", "a letter to my mother", "love"];
    const answer = await post("/encode", { texts });
    expect(answer.status).toBe(200);
    expect(answer.body.texts).toEqual(texts);
    expect(answer.body.embeddings).toHaveLength(3);
    expect(answer.body.embeddings[0]).toEqual(answer.body.embeddings[2]);
    expect(answer.body.embeddings[1][0]).toBeCloseTo(vectorOf(texts[1]!)[0]!, 6);
    expect((await post("/encode", { texts: [] })).body).toEqual({ embeddings: [], texts: [] });
  });
});

describe("POST /v1/embeddings", () => {
  it("answers OpenAI's shape for one text and for a list", async () => {
    await serve(fakeEmbedder());
    const one = await post("/v1/embeddings", { input: "mi corazón late por ti" });
    expect(one.status).toBe(200);
    expect(one.body).toEqual({
      object: "list",
      data: [{ object: "embedding", index: 0, embedding: expect.any(Array) }],
      model: "fake-v1",
      // mi, corazón, late, por, ti
      usage: { prompt_tokens: 5, total_tokens: 5 },
    });
    const list = await post("/v1/embeddings", { input: ["rain", "sun, and rain!"], model: "fake-v1" });
    expect(list.body.data.map((d: { index: number }) => d.index)).toEqual([0, 1]);
    expect(list.body.data[1].embedding[2]).toBeCloseTo(vectorOf("sun, and rain!")[2]!, 6);
    expect(list.body.usage.prompt_tokens).toBe(1 + 5);
  });

  it("encodes vectors as base64 float32 when asked, as OpenAI's clients do by default", async () => {
    await serve(fakeEmbedder());
    const answer = await post("/v1/embeddings", { input: ["rain"], encoding_format: "base64" });
    const bytes = Buffer.from(answer.body.data[0].embedding as string, "base64");
    const decoded = Array.from({ length: dimension }, (_, i) => bytes.readFloatLE(i * 4));
    expect(decoded).toEqual(Array.from(vectorOf("rain")));
  });

  it("accepts fields of other servers' clients, and refuses another model or dimension", async () => {
    await serve(fakeEmbedder());
    expect((await post("/v1/embeddings", { input: "rain", user: "u1", truncate: true })).status).toBe(200);
    expect((await post("/v1/embeddings", { input: "rain", dimensions: dimension })).status).toBe(200);
    expectError(
      await post("/v1/embeddings", { input: "rain", model: "text-embedding-3-small" }),
      404,
      "EMBEDDING_MODEL_NOT_SERVED",
      /serves fake-v1, not "text-embedding-3-small"/,
    );
    expectError(
      await post("/v1/embeddings", { input: "rain", dimensions: 256 }),
      400,
      "VALIDATION_FAILED",
      /4 dimensions, not 256/,
    );
  });
});

describe("GET /v1/models", () => {
  it("lists the served model in OpenAI's shape, the name POST /v1/embeddings takes", async () => {
    const before = Math.floor(Date.now() / 1000);
    await serve(fakeEmbedder());
    const answer = await call("GET", "/v1/models");
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      object: "list",
      data: [{ id: "fake-v1", object: "model", created: expect.any(Number), owned_by: "verso-embedder" }],
    });
    const { created } = answer.body.data[0];
    expect(Number.isInteger(created)).toBe(true);
    expect(created).toBeGreaterThanOrEqual(before);
    expect(created).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    const embedded = await post("/v1/embeddings", { input: "rain", model: answer.body.data[0].id });
    expect(embedded.status).toBe(200);
  });
});

describe("bad input", () => {
  const long = "a".repeat(41);
  const cases: [string, string, unknown, RegExp][] = [
    ["no field", "/encode", {}, /either text .* or texts/],
    ["a number for text", "/encode", { text: 5 }, /text/],
    ["a blank text", "/encode", { text: "  \n" }, /^text is empty or only whitespace/],
    ["a blank text in a list", "/encode", { texts: ["fine", "\t"] }, /^texts\[1\] is empty/],
    ["text and texts together", "/encode", { text: "a", texts: ["b"] }, /not both/],
    ["an unknown field", "/encode", { text: "a", mood: "sad" }, /additional properties/],
    ["too many texts", "/encode", { texts: ["a", "b", "c", "d"] }, /3/],
    ["a text too long", "/encode", { texts: [long] }, /40/],
    ["no input", "/v1/embeddings", { model: "fake-v1" }, /input/],
    ["token arrays", "/v1/embeddings", { input: [[1, 2, 3]] }, /input/],
    ["a blank input", "/v1/embeddings", { input: "" }, /^input is empty/],
    ["a blank input in a list", "/v1/embeddings", { input: ["a", " "] }, /^input\[1\] is empty/],
    ["too many inputs", "/v1/embeddings", { input: ["a", "b", "c", "d"] }, /3/],
    ["an input too long", "/v1/embeddings", { input: long }, /40/],
    ["an unknown encoding", "/v1/embeddings", { input: "a", encoding_format: "int8" }, /encoding_format/],
  ];
  for (const [name, path, body, message] of cases) {
    it(`answers 400 VALIDATION_FAILED for ${name} (${path})`, async () => {
      const embedder = fakeEmbedder();
      await serve(embedder, { limits: { maxTexts: 3, maxTextLength: 40 } });
      expectError(await post(path, body), 400, "VALIDATION_FAILED", message);
      expect(embedder.calls).toEqual([]);
    });
  }

  it("answers 400 INVALID_JSON, 415 for another media type, 413 for a body too large", async () => {
    await serve(fakeEmbedder(), { limits: { maxBodyBytes: 1000 } });
    expectError(await call("POST", "/encode", { raw: '{"text": "unfinished' }), 400, "INVALID_JSON");
    expectError(
      await call("POST", "/v1/embeddings", { raw: "rain", contentType: "text/plain" }),
      415,
      "UNSUPPORTED_MEDIA_TYPE",
    );
    expectError(await post("/encode", { text: "x".repeat(1200) }), 413, "BODY_TOO_LARGE");
    expectError(
      await post("/v1/embeddings", { input: ["x".repeat(600), "y".repeat(600)] }),
      413,
      "BODY_TOO_LARGE",
    );
    expect((await post("/encode", { text: "x".repeat(900) })).status).toBe(200);
  });

  it("answers 400 for an unknown priority", async () => {
    await serve(fakeEmbedder());
    expectError(
      await post("/encode", { text: "rain" }, { "x-verso-priority": "urgent" }),
      400,
      "VALIDATION_FAILED",
      /x-verso-priority/,
    );
  });
});

describe("priority and load", () => {
  it("embeds as bulk work unless the request says interactive", async () => {
    const embedder = fakeEmbedder();
    await serve(embedder);
    await post("/encode", { text: "a passage" });
    await post("/encode", { texts: ["a prompt"] }, { "x-verso-priority": "interactive" });
    await post("/v1/embeddings", { input: "another prompt" }, { "x-verso-priority": "interactive" });
    await post("/v1/embeddings", { input: "more passages" }, { "x-verso-priority": "bulk" });
    expect(embedder.calls.map((c) => c.priority)).toEqual(["bulk", "interactive", "interactive", "bulk"]);
  });

  it("answers 503 EMBEDDER_BUSY with Retry-After when too many texts wait, keeping room for prompts", async () => {
    const embedder = fakeEmbedder();
    let open!: () => void;
    embedder.gate = new Promise((resolve) => (open = resolve));
    await serve(embedder, { limits: { maxPendingTexts: { bulk: 3, interactive: 2 } } });
    const first = post("/encode", { texts: ["one", "two"] });
    const later: Promise<Answer>[] = [];
    try {
      await expect.poll(() => embedder.calls.length).toBe(1);
      const refused = await post("/v1/embeddings", { input: ["three", "four"] });
      expectError(refused, 503, "EMBEDDER_BUSY", /2 bulk texts waiting/);
      expect(refused.headers.get("retry-after")).toBe("1");
      const status = await call("GET", "/status");
      expect(status.body.pending).toEqual({ interactive: 0, bulk: 2 });
      later.push(post("/encode", { text: "a prompt" }, { "x-verso-priority": "interactive" }));
      later.push(post("/encode", { text: "three" }));
      await expect.poll(() => embedder.calls.length).toBe(3);
      expect(embedder.calls.map((c) => c.priority)).toEqual(["bulk", "interactive", "bulk"]);
    } finally {
      // Also when an expectation fails: a request left waiting would hold the server's close.
      open();
    }
    for (const answer of await Promise.all([first, ...later])) expect(answer.status).toBe(200);
    expect((await call("GET", "/status")).body.pending).toEqual({ interactive: 0, bulk: 0 });
  });

  it("passes the embedder's own errors on with their code", async () => {
    const embedder = fakeEmbedder();
    embedder.failWith = new VersoError("DEPENDENCY_UNAVAILABLE", "the fake-v1 embedder is out of service", {
      retryAfterSeconds: 4,
    });
    await serve(embedder);
    const answer = await post("/v1/embeddings", { input: "rain" });
    expectError(answer, 503, "DEPENDENCY_UNAVAILABLE", /out of service/);
    expect(answer.headers.get("retry-after")).toBe("4");
    expect((await call("GET", "/status")).body.pending).toEqual({ interactive: 0, bulk: 0 });
  });
});

describe("GET /status", () => {
  it("names the service and model, says it is ready, and shows the load and limits", async () => {
    await serve(fakeEmbedder(), {
      load: () => ({
        state: "serving",
        workers: [
          { lane: "interactive", state: "idle" },
          { lane: "bulk", state: "busy" },
        ],
        queued: { interactive: 0, bulk: 12 },
      }),
    });
    const answer = await call("GET", "/status");
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      service: "verso-embedder",
      model: { name: "fake-v1", dimension },
      ready: true,
      reason: null,
      threads: 3,
      state: "serving",
      workers: [
        { lane: "interactive", state: "idle" },
        { lane: "bulk", state: "busy" },
      ],
      queued: { interactive: 0, bulk: 12 },
      pending: { interactive: 0, bulk: 0 },
      limits: { maxTexts: 256, maxTextLength: 4096, maxBodyBytes: 1024 * 1024 },
    });
  });

  it("says why it is not ready: a model loading, a model out of service", async () => {
    const embedder = fakeEmbedder();
    embedder.readiness = () => new Promise(() => {});
    await serve(embedder);
    const loading = await call("GET", "/status");
    expect(loading.body).toMatchObject({ ready: false, reason: "the model is loading", state: null });
    embedder.readiness = async () => {
      throw new VersoError("DEPENDENCY_UNAVAILABLE", "the fake-v1 embedder could not start: no weights");
    };
    const failed = await call("GET", "/status");
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({
      ready: false,
      reason: "the fake-v1 embedder could not start: no weights",
    });
  });

  it("is documented in the OpenAPI document with the other routes", async () => {
    await serve(fakeEmbedder());
    const doc = await call("GET", "/api/docs/json");
    for (const [method, path] of [
      ["post", "/encode"],
      ["post", "/v1/embeddings"],
      ["get", "/v1/models"],
      ["get", "/status"],
    ] as const) {
      const operation = doc.body.paths[path]?.[method];
      expect(operation?.tags, `${method} ${path}`).toEqual(["embedder"]);
      expect(Object.keys(operation.responses)).toContain("200");
    }
    const encode = doc.body.paths["/encode"].post;
    expect(JSON.stringify(encode.requestBody)).toContain("texts");
    expect(encode.parameters.map((p: { name: string }) => p.name)).toContain("x-verso-priority");
  });
});
