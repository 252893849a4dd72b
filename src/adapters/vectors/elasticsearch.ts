/**
 * Vector index port, scale-out: Elasticsearch 9 through its official client (which speaks to
 * 9.x servers only). One document per passage, id = passage id, so a re-run overwrites and
 * never duplicates; its song's attributes as keyword and number fields (engine-documents.ts).
 *
 * The vector is a `dense_vector` with `dot_product` similarity on unit vectors, indexed as
 * `int8_hnsw` (scalar-quantized HNSW, a quarter of the memory of float32) by default. The kNN
 * search then rescores its best `k × oversample` candidates per shard with the float vectors
 * (`rescore_vector`), so the scores returned are the exact ones, not the quantized estimate.
 * For float vectors with `dot_product` Elasticsearch documents `_score = (1 + dot) / 2`, so the
 * cosine similarity of unit vectors is `2 × _score − 1`.
 *
 * Filters go inside the kNN clause (`knn.filter`), which Elasticsearch applies while it walks
 * the graph (and by brute force over the matching documents when they are few), so k matching
 * passages come back whenever k exist.
 */
import { Client } from "@elastic/elasticsearch";
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

export type EngineAuth = { username: string; password: string } | { apiKey: string };

export interface ElasticsearchIndexOptions extends RemoteIndexOptions {
  /** The server, e.g. "https://es.internal:9200". */
  node: string;
  /** The index that holds the passages. */
  index: string;
  auth?: EngineAuth;
  /** PEM of the CA that signed the server's certificate (Elasticsearch's own CA by default). */
  caCertificate?: string;
  /** Per request; default 30 s (a bulk of 500 passages with HNSW indexing can take seconds). */
  requestTimeoutMs?: number;
  /** "int8": int8_hnsw with float rescoring (default); "none": float32 hnsw. */
  quantization?: "int8" | "none";
  /** HNSW neighbours per node; default 16. */
  m?: number;
  /** HNSW candidate list while indexing; default 100. */
  efConstruction?: number;
  /** num_candidates = k × this, at least 100 and at most 10,000; default 2. */
  candidateFactor?: number;
  /** Candidates rescored with float vectors, × k, when quantized; default 2. */
  oversample?: number;
  shards?: number;
  replicas?: number;
}

/** Elasticsearch's ceiling for num_candidates. */
const MAX_CANDIDATES = 10_000;

export async function createElasticsearchIndex(options: ElasticsearchIndexOptions): Promise<VectorIndex> {
  return openRemoteIndex(new ElasticsearchDialect(options), options);
}

class ElasticsearchDialect implements EngineDialect {
  readonly engine = "Elasticsearch";
  readonly index: string;
  readonly maxHits: number;
  readonly #client: Client;
  readonly #quantized: boolean;
  readonly #m: number;
  readonly #efConstruction: number;
  readonly #candidateFactor: number;
  readonly #oversample: number;
  readonly #shards: number | undefined;
  readonly #replicas: number | undefined;

  constructor(options: ElasticsearchIndexOptions) {
    this.index = options.index;
    this.#quantized = (options.quantization ?? "int8") === "int8";
    this.#m = options.m ?? 16;
    this.#efConstruction = options.efConstruction ?? 100;
    this.#candidateFactor = options.candidateFactor ?? 2;
    this.#oversample = options.oversample ?? 2;
    if (!(this.#candidateFactor >= 1) || !(this.#oversample > 1 && this.#oversample < 10)) {
      throw new RangeError("Elasticsearch candidateFactor must be ≥ 1 and oversample in (1, 10)");
    }
    this.#shards = options.shards;
    this.#replicas = options.replicas;
    // k × oversample candidates are rescored, and they must fit under num_candidates' ceiling.
    this.maxHits = Math.floor(MAX_CANDIDATES / (this.#quantized ? this.#oversample : 1));
    this.#client = new Client({
      node: options.node,
      ...(options.auth ? { auth: options.auth } : {}),
      ...(options.caCertificate ? { tls: { ca: options.caCertificate } } : {}),
      requestTimeout: options.requestTimeoutMs ?? 30_000,
      maxRetries: 2,
    });
  }

  async readMapping(): Promise<{ exists: false } | { exists: true; meta: unknown }> {
    try {
      const body = await this.#client.indices.getMapping({ index: this.index });
      // Keyed by the concrete index name, which differs from ours when it is an alias.
      const [mapping] = Object.values(body);
      return { exists: true, meta: mapping?.mappings?._meta };
    } catch (error) {
      if (responseStatus(error) === 404) return { exists: false };
      throw error;
    }
  }

  async createIndex(model: EmbeddingModel, meta: Record<string, unknown>): Promise<void> {
    await this.#client.indices.create({
      index: this.index,
      settings: {
        ...(this.#shards !== undefined ? { number_of_shards: this.#shards } : {}),
        ...(this.#replicas !== undefined ? { number_of_replicas: this.#replicas } : {}),
      },
      mappings: {
        dynamic: "strict",
        _meta: meta,
        properties: {
          [VECTOR_FIELD]: {
            type: "dense_vector",
            dims: model.dimension,
            index: true,
            similarity: "dot_product",
            index_options: {
              type: this.#quantized ? "int8_hnsw" : "hnsw",
              m: this.#m,
              ef_construction: this.#efConstruction,
            },
          },
          ...attributeProperties(),
        },
      },
    } as Parameters<Client["indices"]["create"]>[0]);
  }

  async deleteIndex(): Promise<void> {
    await this.#client.indices.delete({ index: this.index }, { ignore: [404] });
  }

  async writeMeta(meta: Record<string, unknown>): Promise<void> {
    await this.#client.indices.putMapping({ index: this.index, _meta: meta });
  }

  async bulk(operations: readonly BulkOperation[]): Promise<BulkItem[]> {
    const lines: object[] = [];
    for (const operation of operations) {
      if (operation.kind === "index") lines.push({ index: { _id: operation.id } }, operation.document);
      else lines.push({ delete: { _id: operation.id } });
    }
    const body = await this.#client.bulk({ index: this.index, operations: lines });
    return body.items.map((item) => {
      const result = Object.values(item)[0]!;
      const error = result.error;
      return {
        status: result.status,
        ...(error ? { error: { type: error.type, reason: error.reason ?? "" } } : {}),
      };
    });
  }

  async refresh(): Promise<void> {
    await this.#client.indices.refresh({ index: this.index });
  }

  async count(): Promise<number> {
    try {
      return (await this.#client.count({ index: this.index })).count;
    } catch (error) {
      if (responseStatus(error) === 404) return 0;
      throw error;
    }
  }

  async knn(vector: readonly number[], k: number, filter: object | null): Promise<EngineHit[]> {
    const candidates = Math.min(
      MAX_CANDIDATES,
      Math.max(
        100,
        Math.ceil(k * this.#candidateFactor),
        this.#quantized ? Math.ceil(k * this.#oversample) : 0,
      ),
    );
    try {
      const body = await this.#client.search({
        index: this.index,
        knn: {
          field: VECTOR_FIELD,
          query_vector: vector as number[],
          k,
          num_candidates: candidates,
          ...(filter ? { filter } : {}),
          ...(this.#quantized ? { rescore_vector: { oversample: this.#oversample } } : {}),
        },
        size: k,
        _source: false,
        fields: [SONG_ID_FIELD],
      } as Parameters<Client["search"]>[0]);
      return body.hits.hits.map((hit) => ({
        id: hit._id ?? "",
        score: hit._score ?? 0,
        songId: hitSongId(hit as { fields?: Record<string, unknown> }),
      }));
    } catch (error) {
      if (responseStatus(error) === 404) return [];
      throw error;
    }
  }

  /** dot_product on float vectors: `_score = (1 + dot) / 2`. */
  cosineOf(score: number): number {
    return 2 * score - 1;
  }

  async close(): Promise<void> {
    await this.#client.close();
  }
}
