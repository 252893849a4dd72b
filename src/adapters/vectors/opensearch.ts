/**
 * Vector index port, scale-out: OpenSearch (2.9 and later, 3.x) through its official client,
 * with the k-NN plugin. Same documents as the Elasticsearch adapter (engine-documents.ts); what
 * differs is the field type, the query and the score.
 *
 * The vector is a `knn_vector` with an HNSW method: by default the Lucene engine with
 * `cosinesimil`, scored `(2 − d) / 2` with d = 1 − cosine, i.e. `(1 + cosine) / 2`; or the Faiss
 * engine with `innerproduct` on unit vectors, scored `1 + ip` when ip ≥ 0 and `1 / (1 − ip)`
 * otherwise (d = −ip; OpenSearch documents Lucene's innerproduct score differently, which is why
 * Lucene uses cosinesimil here). Both are inverted exactly in cosineOf.
 *
 * Filters go inside the knn query (`knn.vector.filter`): both engines filter while they search
 * (exactly, over the matching documents, when these are few), so k matching passages come back
 * whenever k exist. The query's `k` is the candidate list (Lucene searches with k candidates per
 * segment), `size` the hits returned.
 */
import { Client } from "@opensearch-project/opensearch";
import type { EmbeddingModel, VectorIndex } from "../../core/ports.js";
import { attributeProperties, hitSongId, SONG_ID_FIELD, VECTOR_FIELD } from "./engine-documents.js";
import { responseStatus } from "./engine-error.js";
import {
  openRemoteIndex,
  type BulkItem,
  type BulkOperation,
  type EngineDialect,
  type EngineHit,
  type RemoteIndexOptions,
} from "./remote-index.js";

export type OpenSearchEngine = "lucene" | "faiss";

export interface OpenSearchIndexOptions extends RemoteIndexOptions {
  /** The server, e.g. "https://opensearch.internal:9200". */
  node: string;
  index: string;
  auth?: { username: string; password: string };
  /** PEM of the CA that signed the server's certificate. */
  caCertificate?: string;
  /** Per request; default 30 s. */
  requestTimeoutMs?: number;
  /** HNSW implementation; default "lucene". */
  engine?: OpenSearchEngine;
  /** HNSW neighbours per node; default 16. */
  m?: number;
  /** HNSW candidate list while indexing; default 100. */
  efConstruction?: number;
  /** Candidates searched = k × this, at least 100 and at most 10,000; default 2. */
  candidateFactor?: number;
  shards?: number;
  replicas?: number;
}

/** The k-NN plugin's ceiling for k. */
const MAX_K = 10_000;

export async function createOpenSearchIndex(options: OpenSearchIndexOptions): Promise<VectorIndex> {
  return openRemoteIndex(new OpenSearchDialect(options), options);
}

class OpenSearchDialect implements EngineDialect {
  readonly engine = "OpenSearch";
  readonly index: string;
  readonly maxHits = MAX_K;
  readonly #client: Client;
  readonly #engine: OpenSearchEngine;
  readonly #m: number;
  readonly #efConstruction: number;
  readonly #candidateFactor: number;
  readonly #shards: number | undefined;
  readonly #replicas: number | undefined;

  constructor(options: OpenSearchIndexOptions) {
    this.index = options.index;
    this.#engine = options.engine ?? "lucene";
    this.#m = options.m ?? 16;
    this.#efConstruction = options.efConstruction ?? 100;
    this.#candidateFactor = options.candidateFactor ?? 2;
    if (!(this.#candidateFactor >= 1)) throw new RangeError("OpenSearch candidateFactor must be ≥ 1");
    this.#shards = options.shards;
    this.#replicas = options.replicas;
    this.#client = new Client({
      node: options.node,
      ...(options.auth ? { auth: options.auth } : {}),
      ...(options.caCertificate ? { ssl: { ca: options.caCertificate } } : {}),
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      maxRetries: 2,
    });
  }

  async readMapping(): Promise<{ exists: false } | { exists: true; meta: unknown }> {
    try {
      const { body } = await this.#client.indices.getMapping({ index: this.index });
      const [mapping] = Object.values(body as Record<string, { mappings?: { _meta?: unknown } }>);
      return { exists: true, meta: mapping?.mappings?._meta };
    } catch (error) {
      if (responseStatus(error) === 404) return { exists: false };
      throw error;
    }
  }

  async createIndex(model: EmbeddingModel, meta: Record<string, unknown>): Promise<void> {
    await this.#client.indices.create({
      index: this.index,
      body: {
        settings: {
          index: {
            knn: true,
            ...(this.#shards !== undefined ? { number_of_shards: this.#shards } : {}),
            ...(this.#replicas !== undefined ? { number_of_replicas: this.#replicas } : {}),
          },
        },
        mappings: {
          dynamic: "strict",
          _meta: meta,
          properties: {
            [VECTOR_FIELD]: {
              type: "knn_vector",
              dimension: model.dimension,
              method: {
                name: "hnsw",
                engine: this.#engine,
                space_type: this.#engine === "lucene" ? "cosinesimil" : "innerproduct",
                parameters: { m: this.#m, ef_construction: this.#efConstruction },
              },
            },
            ...attributeProperties(),
          },
        },
      },
    } as Parameters<Client["indices"]["create"]>[0]);
  }

  async deleteIndex(): Promise<void> {
    await this.#client.indices.delete({ index: this.index }, { ignore: [404] });
  }

  async writeMeta(meta: Record<string, unknown>): Promise<void> {
    await this.#client.indices.putMapping({ index: this.index, body: { _meta: meta } });
  }

  async bulk(operations: readonly BulkOperation[]): Promise<BulkItem[]> {
    const lines: object[] = [];
    for (const operation of operations) {
      if (operation.kind === "index") lines.push({ index: { _id: operation.id } }, operation.document);
      else lines.push({ delete: { _id: operation.id } });
    }
    const { body } = await this.#client.bulk({ index: this.index, body: lines });
    return body.items.map((item) => {
      const result = Object.values(item)[0] as {
        status: number;
        error?: { type?: string; reason?: string | null };
      };
      const error = result.error;
      return {
        status: result.status,
        ...(error ? { error: { type: error.type ?? "unknown", reason: error.reason ?? "" } } : {}),
      };
    });
  }

  async refresh(): Promise<void> {
    await this.#client.indices.refresh({ index: this.index });
  }

  async count(): Promise<number> {
    try {
      const { body } = await this.#client.count({ index: this.index });
      return body.count;
    } catch (error) {
      if (responseStatus(error) === 404) return 0;
      throw error;
    }
  }

  async knn(vector: readonly number[], k: number, filter: object | null): Promise<EngineHit[]> {
    const candidates = Math.min(MAX_K, Math.max(100, k, Math.ceil(k * this.#candidateFactor)));
    try {
      const { body } = await this.#client.search({
        index: this.index,
        body: {
          size: k,
          _source: false,
          fields: [SONG_ID_FIELD],
          query: {
            knn: {
              [VECTOR_FIELD]: { vector: vector as number[], k: candidates, ...(filter ? { filter } : {}) },
            },
          },
        },
      } as Parameters<Client["search"]>[0]);
      const hits = (body.hits?.hits ?? []) as {
        _id?: string;
        _score?: number | null;
        fields?: Record<string, unknown>;
      }[];
      return hits.map((hit) => ({ id: hit._id ?? "", score: hit._score ?? 0, songId: hitSongId(hit) }));
    } catch (error) {
      if (responseStatus(error) === 404) return [];
      throw error;
    }
  }

  cosineOf(score: number): number {
    if (this.#engine === "lucene") return 2 * score - 1;
    return score >= 1 ? score - 1 : 1 - 1 / score;
  }

  async close(): Promise<void> {
    await this.#client.close();
  }
}
