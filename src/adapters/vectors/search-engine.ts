/**
 * `VERSO_VECTOR_URL` for a search engine, and the adapter it selects:
 *
 *   http(s)://[user:password@]host:9200[/index]                 asks the server (GET /) which engine it is
 *   elasticsearch+http(s)://[user:password@]host:9200[/index]   Elasticsearch, no question asked
 *   opensearch+http(s)://[user:password@]host:9200[/index]      OpenSearch, no question asked
 *
 * The index defaults to "verso-passages". A query string sets how the index is laid out when
 * Verso creates it: `?shards=4&replicas=1` (both engines) and `quantization=int8|none`
 * (Elasticsearch: int8_hnsw or float32 hnsw); docs/operations.md sizes them for 10M passages.
 * The explicit schemes are for servers where GET / is
 * not allowed (restricted API keys, managed services) or a proxy hides what answers.
 * OpenSearch says `version.distribution: "opensearch"` at GET /; Elasticsearch has no such
 * field and sends `X-Elastic-Product: Elasticsearch`.
 */
import http from "node:http";
import https from "node:https";
import type { VectorIndex } from "../../core/ports.js";
import {
  createElasticsearchIndex,
  type ElasticsearchIndexOptions,
  type EngineAuth,
} from "./elasticsearch.js";
import { VectorEngineError } from "./engine-error.js";
import { createOpenSearchIndex, type OpenSearchIndexOptions } from "./opensearch.js";

export type SearchEngineFlavour = "elasticsearch" | "opensearch";

export const DEFAULT_ENGINE_INDEX = "verso-passages";

export interface SearchEngineLocation {
  /** null: ask the server. */
  flavour: SearchEngineFlavour | null;
  /** Scheme, host and port only. */
  node: string;
  index: string;
  auth?: { username: string; password: string };
  /** How the index is laid out when Verso creates it (the URL's query string). */
  layout?: IndexLayout;
}

export interface IndexLayout {
  shards?: number;
  replicas?: number;
  quantization?: "int8" | "none";
}

type Tuning<T> = Omit<T, "node" | "index" | "auth" | "caCertificate" | "requestTimeoutMs">;

export interface SearchEngineIndexOptions {
  /** VERSO_VECTOR_URL, in one of the forms above. */
  url: string;
  /** Elasticsearch API key (base64 "id:key"); replaces user and password of the URL. */
  apiKey?: string;
  /** PEM of the CA that signed the server's certificate. */
  caCertificate?: string;
  requestTimeoutMs?: number;
  elasticsearch?: Tuning<ElasticsearchIndexOptions>;
  opensearch?: Tuning<OpenSearchIndexOptions>;
}

export async function createSearchEngineIndex(options: SearchEngineIndexOptions): Promise<VectorIndex> {
  const location = parseSearchEngineUrl(options.url);
  const auth: EngineAuth | undefined = options.apiKey ? { apiKey: options.apiKey } : location.auth;
  const common = {
    node: location.node,
    index: location.index,
    ...(options.caCertificate ? { caCertificate: options.caCertificate } : {}),
    ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
  };
  const flavour =
    location.flavour ??
    (await probeSearchEngine(location.node, auth, options.caCertificate, options.requestTimeoutMs)).flavour;
  const { quantization, ...shape } = location.layout ?? {};
  if (flavour === "elasticsearch") {
    return createElasticsearchIndex({
      ...options.elasticsearch,
      ...shape,
      ...(quantization ? { quantization } : {}),
      ...common,
      ...(auth ? { auth } : {}),
    });
  }
  if (auth && "apiKey" in auth)
    throw new RangeError("an API key is for Elasticsearch; OpenSearch takes user:password");
  if (quantization) throw new RangeError("quantization= in the vector URL is for Elasticsearch only");
  return createOpenSearchIndex({ ...options.opensearch, ...shape, ...common, ...(auth ? { auth } : {}) });
}

export function parseSearchEngineUrl(url: string): SearchEngineLocation {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RangeError(`vector URL "${url}" is not a URL`);
  }
  const scheme = /^(?:(elasticsearch|opensearch)\+)?(https?):$/.exec(parsed.protocol);
  if (!scheme) {
    throw new RangeError(
      `vector URL scheme ${parsed.protocol} is not one of http:, https:, elasticsearch+http(s):, opensearch+http(s):`,
    );
  }
  const segments = parsed.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  if (segments.length > 1) throw new RangeError(`vector URL path names one index, got "${parsed.pathname}"`);
  const index = segments[0] ?? DEFAULT_ENGINE_INDEX;
  assertIndexName(index);
  const location: SearchEngineLocation = {
    flavour: (scheme[1] as SearchEngineFlavour | undefined) ?? null,
    node: `${scheme[2]}://${parsed.host}`,
    index,
  };
  if (parsed.search) location.layout = parseIndexLayout(parsed.searchParams);
  if (parsed.username) {
    location.auth = {
      username: decodeURIComponent(parsed.username),
      password: decodeURIComponent(parsed.password),
    };
  }
  return location;
}

/** `shards`, `replicas` and `quantization` of the URL's query string; anything else is refused. */
function parseIndexLayout(query: URLSearchParams): IndexLayout {
  const layout: IndexLayout = {};
  const whole = (name: string, value: string, min: number, max: number) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) {
      throw new RangeError(`vector URL ${name}=${value}: a whole number from ${min} to ${max}`);
    }
    return n;
  };
  for (const [name, value] of query) {
    if (name === "shards") layout.shards = whole(name, value, 1, 1024);
    else if (name === "replicas") layout.replicas = whole(name, value, 0, 32);
    else if (name === "quantization" && (value === "int8" || value === "none")) layout.quantization = value;
    else if (name === "quantization") throw new RangeError(`vector URL quantization=${value}: int8 or none`);
    else throw new RangeError(`vector URL takes shards, replicas and quantization, not "${name}"`);
  }
  return layout;
}

/** The engines' rules for index names, checked here so that a typo fails at start with its reason. */
function assertIndexName(index: string): void {
  if (
    index !== index.toLowerCase() ||
    /[\\/*?"<>| ,#:]/.test(index) ||
    /^[-_+]/.test(index) ||
    index === "." ||
    index === ".." ||
    Buffer.byteLength(index) > 255
  ) {
    throw new RangeError(
      `"${index}" is not a valid index name (lower case, no \\ / * ? " < > | space , # :, not starting with - _ +)`,
    );
  }
}

export interface EngineIdentity {
  flavour: SearchEngineFlavour;
  version: string;
}

/**
 * GET / to tell the engines apart, and to refuse a version this adapter cannot serve before
 * anything is written: the Elasticsearch client 9 speaks to Elasticsearch 9 only, and filtered
 * kNN needs OpenSearch 2.9 or later.
 */
export async function probeSearchEngine(
  node: string,
  auth?: EngineAuth,
  caCertificate?: string,
  timeoutMs = 10_000,
): Promise<EngineIdentity> {
  const { status, headers, body } = await getRoot(node, auth, caCertificate, timeoutMs);
  const engine = "Elasticsearch";
  if (status < 200 || status >= 300) {
    throw new VectorEngineError(`${node} answered GET / with ${status}`, {
      engine,
      status,
      unavailable: status === 429 || status >= 500,
    });
  }
  const info = body as { version?: { number?: unknown; distribution?: unknown } } | null;
  const version = typeof info?.version?.number === "string" ? info.version.number : null;
  if (version === null) {
    throw new VectorEngineError(
      `${node} does not look like Elasticsearch or OpenSearch (no version at GET /)`,
      {
        engine,
        unavailable: false,
      },
    );
  }
  const [major = 0, minor = 0] = version.split(".").map(Number);
  if (info?.version?.distribution === "opensearch") {
    if (major < 2 || (major === 2 && minor < 9)) {
      throw new VectorEngineError(`OpenSearch ${version} is too old: filtered k-NN needs 2.9 or later`, {
        engine: "OpenSearch",
        unavailable: false,
      });
    }
    return { flavour: "opensearch", version };
  }
  if (headers["x-elastic-product"] !== "Elasticsearch" && major < 7) {
    throw new VectorEngineError(
      `${node} does not look like Elasticsearch or OpenSearch (version ${version})`,
      {
        engine,
        unavailable: false,
      },
    );
  }
  if (major !== 9) {
    throw new VectorEngineError(
      `Elasticsearch ${version} is not supported: the installed client speaks to Elasticsearch 9 only`,
      { engine, unavailable: false },
    );
  }
  return { flavour: "elasticsearch", version };
}

function getRoot(
  node: string,
  auth: EngineAuth | undefined,
  caCertificate: string | undefined,
  timeoutMs: number,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: unknown }> {
  const url = new URL("/", node);
  const headers: Record<string, string> = { accept: "application/json" };
  if (auth && "apiKey" in auth) headers.authorization = `ApiKey ${auth.apiKey}`;
  else if (auth)
    headers.authorization = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`;
  const transport = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.get(
      url,
      { headers, timeout: timeoutMs, ...(caCertificate ? { ca: caCertificate } : {}) },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("error", reject);
        response.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: parseJson(text) });
        });
      },
    );
    request.on("timeout", () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on("error", (error) =>
      reject(
        new VectorEngineError(`${node} could not be reached: ${error.message}`, {
          engine: "Elasticsearch",
          unavailable: true,
          cause: error,
        }),
      ),
    );
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
