/**
 * Request and response schemas of the embedder role (POST /encode, POST /v1/embeddings,
 * GET /v1/models, GET /status).
 */
import { Type } from "typebox";
import { Nullable } from "../schemas.js";

/** What a stranger may send; the role's plugin takes other values, the schemas are built from them. */
export interface EmbedderLimits {
  /** Texts in one request. */
  maxTexts: number;
  /** Characters in one text. */
  maxTextLength: number;
  /** Bytes of one request body. */
  maxBodyBytes: number;
  /** Texts accepted and not yet answered, by priority, beyond which requests get 503 EMBEDDER_BUSY. */
  maxPendingTexts: { interactive: number; bulk: number };
}

export const defaultEmbedderLimits: EmbedderLimits = {
  maxTexts: 256,
  maxTextLength: 4096,
  maxBodyBytes: 1024 * 1024,
  maxPendingTexts: { interactive: 512, bulk: 4096 },
};

/**
 * The priority signal. A shared embedder serves interactive texts (a person waiting on a
 * prompt) ahead of bulk ones (ingest), so the api role marks its prompts and nothing else does.
 */
export const priorityHeader = "x-verso-priority";

/** GET /status names this service, so a client can tell Verso's embedder from another server. */
export const embedderService = "verso-embedder" as const;

export const PriorityHeaders = Type.Object({
  [priorityHeader]: Type.Optional(
    Type.Union([Type.Literal("interactive"), Type.Literal("bulk")], {
      description: "interactive: a person is waiting, serve it ahead of bulk work; bulk (default): ingest",
    }),
  ),
});

const vector = Type.Array(Type.Number(), { description: "L2-normalized embedding" });

export function encodeSchemas(limits: EmbedderLimits) {
  const text = Type.String({ maxLength: limits.maxTextLength, description: "not blank" });
  // One object rather than a union of two, so a bad request hears about its own fields only
  // (a union's validation lists every branch's complaints); the handler insists on exactly one.
  const body = Type.Object(
    {
      text: Type.Optional(
        Type.String({
          maxLength: limits.maxTextLength,
          description: "one text: the answer has `text` and one vector",
        }),
      ),
      texts: Type.Optional(
        Type.Array(text, {
          maxItems: limits.maxTexts,
          description: `up to ${limits.maxTexts} texts: the answer has \`texts\` and one vector per text`,
        }),
      ),
    },
    { additionalProperties: false, description: "exactly one of `text` or `texts`" },
  );
  const response = Type.Union([
    Type.Object(
      { embeddings: vector, text: Type.String() },
      { description: "for {text}: its vector (the original system's shape)" },
    ),
    Type.Object(
      { embeddings: Type.Array(vector), texts: Type.Array(Type.String()) },
      { description: "for {texts}: one vector per text, in order" },
    ),
  ]);
  return { body, response };
}

export function openAiSchemas(limits: EmbedderLimits) {
  const text = Type.String({ maxLength: limits.maxTextLength });
  // Clients of other servers send fields of their own (user, truncate…): accepted and ignored.
  const body = Type.Object(
    {
      input: Type.Union([text, Type.Array(text, { maxItems: limits.maxTexts })], {
        description: `one text or up to ${limits.maxTexts}; token arrays are not accepted`,
      }),
      model: Type.Optional(
        Type.String({ maxLength: 200, description: "must be the served model's name when given" }),
      ),
      encoding_format: Type.Optional(
        Type.Union([Type.Literal("float"), Type.Literal("base64")], {
          description: "float (default): arrays of numbers; base64: little-endian float32 bytes",
        }),
      ),
      dimensions: Type.Optional(Type.Integer({ description: "must be the model's dimension when given" })),
      user: Type.Optional(Type.String({ maxLength: 256 })),
    },
    { description: "OpenAI-compatible embeddings request" },
  );
  const response = Type.Object({
    object: Type.Literal("list"),
    data: Type.Array(
      Type.Object({
        object: Type.Literal("embedding"),
        index: Type.Integer(),
        embedding: Type.Union([vector, Type.String({ description: "base64 of float32 bytes" })]),
      }),
    ),
    model: Type.String(),
    usage: Type.Object(
      { prompt_tokens: Type.Integer(), total_tokens: Type.Integer() },
      { description: "an estimate: words and punctuation marks" },
    ),
  });
  return { body, response };
}

/** OpenAI's model list: the one model this embedder serves. */
export const ModelListSchema = Type.Object({
  object: Type.Literal("list"),
  data: Type.Array(
    Type.Object({
      id: Type.String({ description: "the name to send as `model` to POST /v1/embeddings" }),
      object: Type.Literal("model"),
      created: Type.Integer({ description: "when this embedder began serving it, in Unix seconds" }),
      owned_by: Type.String(),
    }),
  ),
});

const laneCounts = Type.Object({ interactive: Type.Integer(), bulk: Type.Integer() });

export const EmbedderStatusSchema = Type.Object({
  service: Type.Literal(embedderService),
  model: Type.Object({ name: Type.String(), dimension: Type.Integer() }),
  ready: Type.Boolean(),
  reason: Nullable(Type.String(), { description: "why it is not ready; null when it is" }),
  threads: Type.Integer({ description: "batches the model works on at once" }),
  state: Nullable(Type.String(), {
    description: "the worker pool's state (starting, serving, out-of-service, closed), when it has one",
  }),
  workers: Nullable(Type.Array(Type.Object({ lane: Type.String(), state: Type.String() }))),
  queued: Nullable(laneCounts, { description: "texts waiting for a worker, by priority" }),
  pending: Type.Object(
    { interactive: Type.Integer(), bulk: Type.Integer() },
    { description: "texts of requests accepted here and not yet answered, by priority" },
  ),
  limits: Type.Object({
    maxTexts: Type.Integer(),
    maxTextLength: Type.Integer(),
    maxBodyBytes: Type.Integer(),
  }),
});
