/**
 * The embedder role: any Embedder served over HTTP, so api and worker processes on other
 * machines share one model (their adapter is adapters/embedder/remote.ts).
 *
 * - POST /encode {text} → {embeddings, text}: the original system's shape, kept for its clients;
 *   POST /encode {texts} → {embeddings: [[…], …], texts}: the batch form.
 * - POST /v1/embeddings: OpenAI-compatible, so any OpenAI client (and Verso's remote adapter,
 *   which also speaks to TEI, Ollama or vLLM) can use it.
 * - GET /v1/models: the model served, in OpenAI's shape, which OpenAI-compatible clients ask
 *   for before anything else.
 * - GET /status: the model, whether it is ready and why not, and the load.
 *
 * Every request is bulk work unless the x-verso-priority header says interactive. Texts
 * waiting per priority are capped, so a flood of ingest answers 503 with Retry-After instead of
 * growing a queue without end, and never fills the room kept for prompts.
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { VersoError } from "../../core/errors.js";
import type { EmbedPriority, Embedder } from "../../core/ports.js";
import { errors } from "../schemas.js";
import {
  EmbedderStatusSchema,
  ModelListSchema,
  PriorityHeaders,
  defaultEmbedderLimits,
  embedderService,
  encodeSchemas,
  openAiSchemas,
  priorityHeader,
  type EmbedderLimits,
} from "./schema.js";

/** What an embedder with workers can tell about itself (the worker pool's stats() fits). */
export interface EmbedderLoad {
  state?: string;
  workers?: { lane: string; state: string }[];
  queued?: Record<EmbedPriority, number>;
}

export interface EmbedderRoutesOptions {
  embedder: Embedder;
  /** Shown by GET /status when given: the worker pool's `() => pool.stats()`. */
  load?: () => EmbedderLoad;
  limits?: Partial<EmbedderLimits>;
}

/** GET /status waits this long for ready() before calling a model still loading not ready. */
const readinessWaitMs = 200;

export const embedderRoutes =
  (options: EmbedderRoutesOptions): FastifyPluginAsyncTypebox =>
  async (app) => {
    const { embedder } = options;
    const limits: EmbedderLimits = {
      ...defaultEmbedderLimits,
      ...options.limits,
      maxPendingTexts: { ...defaultEmbedderLimits.maxPendingTexts, ...options.limits?.maxPendingTexts },
    };
    const pending: Record<EmbedPriority, number> = { interactive: 0, bulk: 0 };

    /** Embeds within the pending-texts budget of its priority. */
    const embed = async (texts: string[], priority: EmbedPriority, field: string) => {
      texts.forEach((text, i) => {
        if (!/\S/.test(text)) {
          const where = texts.length === 1 && field !== "texts" ? field : `${field}[${i}]`;
          throw new VersoError("VALIDATION_FAILED", `${where} is empty or only whitespace`);
        }
      });
      // An empty queue always takes a request, so no limit can refuse every request.
      if (pending[priority] > 0 && pending[priority] + texts.length > limits.maxPendingTexts[priority]) {
        throw new VersoError(
          "EMBEDDER_BUSY",
          `the embedder has ${pending[priority]} ${priority} texts waiting; try again shortly`,
          { retryAfterSeconds: 1 },
        );
      }
      pending[priority] += texts.length;
      try {
        return await embedder.embed(texts, { priority });
      } finally {
        pending[priority] -= texts.length;
      }
    };

    const encode = encodeSchemas(limits);
    app.post(
      "/encode",
      {
        bodyLimit: limits.maxBodyBytes,
        schema: {
          tags: ["embedder"],
          summary: "Embed one text ({text}) or several ({texts})",
          headers: PriorityHeaders,
          body: encode.body,
          response: { 200: encode.response, ...errors(400, 413, 415, 503) },
        },
      },
      async (request) => {
        const priority = request.headers[priorityHeader] ?? "bulk";
        const { text, texts } = request.body;
        if ((text === undefined) === (texts === undefined)) {
          throw new VersoError(
            "VALIDATION_FAILED",
            "send either text (one string) or texts (a list), not both",
          );
        }
        if (text !== undefined) {
          const [vector] = await embed([text], priority, "text");
          return { embeddings: Array.from(vector!), text };
        }
        const vectors = await embed(texts!, priority, "texts");
        return { embeddings: vectors.map((v) => Array.from(v)), texts: texts! };
      },
    );

    const openAi = openAiSchemas(limits);
    app.post(
      "/v1/embeddings",
      {
        bodyLimit: limits.maxBodyBytes,
        schema: {
          tags: ["embedder"],
          summary: "Embed texts, OpenAI-compatible",
          headers: PriorityHeaders,
          body: openAi.body,
          response: { 200: openAi.response, ...errors(400, 404, 413, 415, 503) },
        },
      },
      async (request) => {
        const { input, model, dimensions } = request.body;
        if (model !== undefined && model !== embedder.model.name) {
          throw new VersoError(
            "EMBEDDING_MODEL_NOT_SERVED",
            `this embedder serves ${embedder.model.name}, not ${JSON.stringify(model)}`,
          );
        }
        if (dimensions !== undefined && dimensions !== embedder.model.dimension) {
          throw new VersoError(
            "VALIDATION_FAILED",
            `${embedder.model.name} gives vectors of ${embedder.model.dimension} dimensions, not ${dimensions}`,
          );
        }
        const texts = typeof input === "string" ? [input] : input;
        const vectors = await embed(texts, request.headers[priorityHeader] ?? "bulk", "input");
        const base64 = request.body.encoding_format === "base64";
        const tokens = texts.reduce((sum, text) => sum + estimateTokens(text), 0);
        return {
          object: "list" as const,
          data: vectors.map((vector, index) => ({
            object: "embedding" as const,
            index,
            embedding: base64 ? float32Base64(vector) : Array.from(vector),
          })),
          model: embedder.model.name,
          usage: { prompt_tokens: tokens, total_tokens: tokens },
        };
      },
    );

    const servingSince = Math.floor(Date.now() / 1000);
    app.get(
      "/v1/models",
      {
        schema: {
          tags: ["embedder"],
          summary: "The model this embedder serves, OpenAI-compatible",
          response: { 200: ModelListSchema },
        },
      },
      async () => ({
        object: "list" as const,
        data: [
          {
            id: embedder.model.name,
            object: "model" as const,
            created: servingSince,
            owned_by: embedderService,
          },
        ],
      }),
    );

    app.get(
      "/status",
      {
        schema: {
          tags: ["embedder"],
          summary: "The model, whether it can answer now (and why not), and the load",
          response: { 200: EmbedderStatusSchema },
        },
      },
      async () => {
        const readiness = await readinessOf(embedder);
        const load = options.load?.();
        return {
          service: embedderService,
          model: { name: embedder.model.name, dimension: embedder.model.dimension },
          ...readiness,
          threads: embedder.parallelism,
          state: load?.state ?? null,
          workers: load?.workers?.map((w) => ({ lane: w.lane, state: w.state })) ?? null,
          queued: load?.queued ?? null,
          pending: { ...pending },
          limits: {
            maxTexts: limits.maxTexts,
            maxTextLength: limits.maxTextLength,
            maxBodyBytes: limits.maxBodyBytes,
          },
        };
      },
    );
  };

async function readinessOf(embedder: Embedder): Promise<{ ready: boolean; reason: string | null }> {
  let timer: NodeJS.Timeout | undefined;
  const loading = new Promise<{ ready: boolean; reason: string }>((resolve) => {
    timer = setTimeout(() => resolve({ ready: false, reason: "the model is loading" }), readinessWaitMs);
  });
  try {
    return await Promise.race([
      embedder.ready().then(
        () => ({ ready: true, reason: null }),
        (error: unknown) => ({
          ready: false,
          reason: error instanceof Error ? error.message : String(error),
        }),
      ),
      loading,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * No tokenizer of the model is at hand, so usage counts words and punctuation marks: close to
 * what subword tokenizers give for lyrics, and enough for a client that only logs it.
 */
function estimateTokens(text: string): number {
  return text.match(/[\p{L}\p{M}]+|\p{N}+|[^\s\p{L}\p{M}\p{N}]/gu)?.length ?? 0;
}

/** OpenAI's base64 encoding: the float32 values' little-endian bytes. */
function float32Base64(vector: Float32Array): string {
  const bytes = Buffer.alloc(vector.length * 4);
  vector.forEach((value, i) => bytes.writeFloatLE(value, i * 4));
  return bytes.toString("base64");
}
