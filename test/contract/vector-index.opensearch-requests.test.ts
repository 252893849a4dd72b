/**
 * The exact requests the OpenSearch adapter sends and how it reads real answers, against a local
 * server that records them and answers with bodies from OpenSearch's documentation; and how
 * VERSO_VECTOR_URL picks the engine. The full contract suite runs against real servers in
 * vector-index.elasticsearch.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { VectorEngineError } from "../../src/adapters/vectors/engine-error.js";
import { createOpenSearchIndex, type OpenSearchEngine } from "../../src/adapters/vectors/opensearch.js";
import {
  createSearchEngineIndex,
  parseSearchEngineUrl,
  probeSearchEngine,
} from "../../src/adapters/vectors/search-engine.js";
import type { EmbeddingModel, VectorIndex } from "../../src/core/ports.js";
import { contractSong } from "./vector-index.contract.js";
import {
  acknowledged,
  bulkFailed,
  bulkIndexed,
  bulkResponse,
  counted,
  elasticsearchRoot,
  indexCreated,
  indexNotFound,
  knnHits,
  mappingWithMeta,
  openSearchRoot,
  refreshed,
} from "./vector-index.engine-responses.js";
import { startEngineServer, type CapturedRequest, type EngineServer } from "./vector-index.engine-server.js";

const INDEX = "verso-passages";
const model: EmbeddingModel = { name: "use-lite-v1", dimension: 3 };

function fakeOpenSearch(state: { meta: unknown; exists: boolean }, root: object = openSearchRoot()) {
  return (request: CapturedRequest) => {
    const route = `${request.method} ${request.path}`;
    if (route === "GET /") return { body: root };
    if (route === `GET /${INDEX}/_mapping`) {
      return state.exists
        ? { body: mappingWithMeta(INDEX, state.meta) }
        : { status: 404, body: indexNotFound(INDEX) };
    }
    if (route === `DELETE /${INDEX}`) {
      const existed = state.exists;
      state.exists = false;
      return existed ? { body: acknowledged } : { status: 404, body: indexNotFound(INDEX) };
    }
    if (route === `PUT /${INDEX}`) {
      state.exists = true;
      state.meta = (request.body as { mappings: { _meta: unknown } }).mappings._meta;
      return { body: indexCreated(INDEX) };
    }
    if (route === `PUT /${INDEX}/_mapping`) {
      state.meta = (request.body as { _meta: unknown })._meta;
      return { body: acknowledged };
    }
    if (request.path === `/${INDEX}/_refresh`) return { body: refreshed };
    if (request.path === `/${INDEX}/_count`) return { body: counted(1) };
    if (request.path === `/${INDEX}/_bulk`) {
      const lines = request.body as Record<string, { _id: string }>[];
      return {
        body: bulkResponse(
          lines.filter((line) => "index" in line).map((line) => bulkIndexed(INDEX, line.index!._id)),
        ),
      };
    }
    return { status: 400, body: { error: { type: "unexpected", reason: route } } };
  };
}

describe("OpenSearch adapter: requests and answers", () => {
  let server: EngineServer;
  let state: { meta: unknown; exists: boolean };
  let index: VectorIndex | undefined;
  const open = async (engine?: OpenSearchEngine) => {
    index = await createOpenSearchIndex({
      node: server.url,
      index: INDEX,
      retryDelayMs: 1,
      ...(engine ? { engine } : {}),
    });
    return index;
  };

  beforeEach(async () => {
    state = { meta: undefined, exists: false };
    server = await startEngineServer("OpenSearch", fakeOpenSearch(state));
  });

  afterEach(async () => {
    await index?.close();
    index = undefined;
    await server.close();
  });

  it("creates a knn index with an HNSW knn_vector (Lucene, cosinesimil) and the song fields", async () => {
    const os = await open();
    await os.reset(model);
    const created = server.requests.find(
      (request) => request.method === "PUT" && request.path === `/${INDEX}`,
    )!;
    expect(created.body).toMatchObject({
      settings: { index: { knn: true } },
      mappings: {
        dynamic: "strict",
        _meta: { verso: { layout: 1, model: model.name, dimension: 3, catalogVersion: null } },
        properties: {
          vector: {
            type: "knn_vector",
            dimension: 3,
            method: {
              name: "hnsw",
              engine: "lucene",
              space_type: "cosinesimil",
              parameters: { m: 16, ef_construction: 100 },
            },
          },
          song_id: { type: "keyword" },
          language: { type: "keyword" },
          year: { type: "integer" },
          tempo: { type: "double" },
        },
      },
    });
  });

  it("searches with the filter inside the knn query and converts Lucene cosine scores back", async () => {
    const os = await open();
    await os.reset(model);
    await os.upsert([{ id: 1, vector: Float32Array.from([0, 2, 0]), song: contractSong(1) }]);
    const bulk = server.requests.find((request) => request.path.endsWith("/_bulk"))!;
    expect(["POST", "PUT"]).toContain(bulk.method); // the bulk API takes either
    expect((bulk.body as object[])[0]).toEqual({ index: { _id: "1" } });
    expect((bulk.body as { vector: number[] }[])[1]!.vector).toEqual([0, 1, 0]);

    server.requests.length = 0;
    server.answer((request) =>
      request.path.endsWith("/_search")
        ? { body: knnHits(INDEX, [{ id: "1", score: 0.75, songId: "song-1" }]) }
        : fakeOpenSearch(state)(request),
    );
    const hits = await os.search(Float32Array.from([0, 1, 0]), 5, {
      filter: { genre: "Rock", tempo: { max: 120 } },
    });
    expect(server.requests.map((request) => request.path)).toEqual([
      `/${INDEX}/_refresh`,
      `/${INDEX}/_search`,
    ]);
    expect(server.requests[1]!.body).toEqual({
      size: 5,
      _source: false,
      fields: ["song_id"],
      query: {
        knn: {
          vector: {
            vector: [0, 1, 0],
            k: 100,
            filter: { bool: { filter: [{ term: { genre: "rock" } }, { range: { tempo: { lte: 120 } } }] } },
          },
        },
      },
    });
    // cosinesimil: score = (2 − (1 − cos)) / 2.
    expect(hits).toEqual([{ id: 1, songId: "song-1", score: expect.closeTo(0.5, 9) }]);
  });

  it("converts Faiss inner-product scores back on both sides of zero", async () => {
    const os = await open("faiss");
    await os.reset(model);
    const created = server.requests.find(
      (request) => request.method === "PUT" && request.path === `/${INDEX}`,
    )!;
    expect(created.body).toMatchObject({
      mappings: { properties: { vector: { method: { engine: "faiss", space_type: "innerproduct" } } } },
    });
    server.answer((request) =>
      request.path.endsWith("/_search")
        ? {
            body: knnHits(INDEX, [
              { id: "1", score: 1.8, songId: "a" },
              { id: "2", score: 0.8, songId: "b" },
            ]),
          }
        : fakeOpenSearch(state)(request),
    );
    // ip ≥ 0: score = ip + 1; ip < 0: score = 1 / (1 − ip).
    expect(await os.search(Float32Array.from([1, 0, 0]), 2)).toEqual([
      { id: 1, songId: "a", score: expect.closeTo(0.8, 9) },
      { id: 2, songId: "b", score: expect.closeTo(-0.25, 9) },
    ]);
  });

  it("reports bulk item failures and reads a missing index as empty", async () => {
    const os = await open();
    await os.reset(model);
    server.answer((request) =>
      request.path.endsWith("/_bulk")
        ? {
            body: bulkResponse([
              bulkFailed(
                INDEX,
                "1",
                400,
                "mapper_parsing_exception",
                "failed to parse field [vector] of type [knn_vector]",
              ),
            ]),
          }
        : fakeOpenSearch(state)(request),
    );
    const failure = (await os
      .upsert([{ id: 1, vector: Float32Array.from([1, 0, 0]), song: contractSong(1) }])
      .catch((error: unknown) => error)) as VectorEngineError;
    expect(failure).toBeInstanceOf(VectorEngineError);
    expect(failure.details.engine).toBe("OpenSearch");
    expect(failure.details.failures?.[0]).toMatchObject({
      id: "1",
      status: 400,
      type: "mapper_parsing_exception",
    });

    state.exists = false;
    server.answer((request) =>
      request.path.endsWith("/_search") || request.path.endsWith("/_count")
        ? { status: 404, body: indexNotFound(INDEX) }
        : fakeOpenSearch(state)(request),
    );
    expect(await os.search(Float32Array.from([1, 0, 0]), 2)).toEqual([]);
    expect(await os.size()).toBe(0);
    expect(await os.stamp()).toBeNull();
  });
});

describe("VERSO_VECTOR_URL for a search engine", () => {
  it("reads the flavour, node, index and credentials from the URL", () => {
    expect(parseSearchEngineUrl("http://es:9200")).toEqual({
      flavour: null,
      node: "http://es:9200",
      index: "verso-passages",
    });
    expect(parseSearchEngineUrl("opensearch+https://admin:s%3Acret@search.internal:9200/lyrics-v2")).toEqual({
      flavour: "opensearch",
      node: "https://search.internal:9200",
      index: "lyrics-v2",
      auth: { username: "admin", password: "s:cret" },
    });
    expect(parseSearchEngineUrl("elasticsearch+http://10.0.0.5:9200/")).toMatchObject({
      flavour: "elasticsearch",
      index: "verso-passages",
    });
    for (const bad of [
      "embedded",
      "ftp://es:9200",
      "http://es:9200/A-Index",
      "http://es:9200/a/b",
      "http://es:9200/_x",
      "http://es:9200/?x=1",
      "http://es:9200/?shards=0",
      "http://es:9200/?shards=2.5",
      "http://es:9200/?replicas=-1",
      "http://es:9200/?quantization=f16",
    ]) {
      expect(() => parseSearchEngineUrl(bad), bad).toThrow(RangeError);
    }
  });

  it("reads the index's shards, replicas and quantization from the query string", () => {
    expect(parseSearchEngineUrl("http://es:9200/lyrics?shards=6&replicas=1&quantization=int8")).toEqual({
      flavour: null,
      node: "http://es:9200",
      index: "lyrics",
      layout: { shards: 6, replicas: 1, quantization: "int8" },
    });
    expect(parseSearchEngineUrl("http://es:9200?replicas=0").layout).toEqual({ replicas: 0 });
  });

  it("creates the index with the URL's layout on either engine", async () => {
    const created = async (product: "OpenSearch" | "Elasticsearch", url: (base: string) => string) => {
      const state = { meta: undefined, exists: false };
      const server = await startEngineServer(product, fakeOpenSearch(state));
      try {
        const index = await createSearchEngineIndex({ url: url(server.url) });
        await index.reset(model);
        await index.close();
        return server.requests.find((r) => r.method === "PUT" && r.path === `/${INDEX}`)!.body as {
          settings: Record<string, unknown>;
          mappings: { properties: Record<string, { index_options?: { type: string } }> };
        };
      } finally {
        await server.close();
      }
    };
    const openSearch = await created(
      "OpenSearch",
      (base) => `${base.replace("http:", "opensearch+http:")}/${INDEX}?shards=2&replicas=0`,
    );
    expect(openSearch.settings.index).toMatchObject({
      knn: true,
      number_of_shards: 2,
      number_of_replicas: 0,
    });
    const elasticsearch = await created(
      "Elasticsearch",
      (base) =>
        `${base.replace("http:", "elasticsearch+http:")}/${INDEX}?shards=3&replicas=1&quantization=none`,
    );
    expect(elasticsearch.settings).toMatchObject({ number_of_shards: 3, number_of_replicas: 1 });
    expect(Object.values(elasticsearch.mappings.properties).map((p) => p.index_options?.type)).toContain(
      "hnsw",
    );
    await expect(
      createSearchEngineIndex({ url: `opensearch+http://127.0.0.1:1/${INDEX}?quantization=int8` }),
    ).rejects.toThrow(/Elasticsearch only/);
  });

  it("asks GET / which engine answers, and refuses versions it cannot serve", async () => {
    const state = { meta: undefined, exists: false };
    for (const [product, root, expected] of [
      ["OpenSearch", openSearchRoot("2.19.1"), "opensearch"],
      ["OpenSearch", openSearchRoot("3.1.0"), "opensearch"],
      ["Elasticsearch", elasticsearchRoot("9.1.0"), "elasticsearch"],
    ] as const) {
      const server = await startEngineServer(product, fakeOpenSearch(state, root));
      try {
        expect((await probeSearchEngine(server.url, { username: "u", password: "p" })).flavour).toBe(
          expected,
        );
        expect(server.requests[0]!.headers.authorization).toBe(
          `Basic ${Buffer.from("u:p").toString("base64")}`,
        );
      } finally {
        await server.close();
      }
    }
    for (const [product, root, message] of [
      ["Elasticsearch", elasticsearchRoot("8.12.1"), /Elasticsearch 8\.12\.1 is not supported/],
      ["OpenSearch", openSearchRoot("2.7.0"), /OpenSearch 2\.7\.0 is too old/],
    ] as const) {
      const server = await startEngineServer(product, fakeOpenSearch(state, root));
      try {
        await expect(probeSearchEngine(server.url)).rejects.toThrow(message);
      } finally {
        await server.close();
      }
    }
  });

  it("opens the engine the server names, at the index of the URL", async () => {
    const state = { meta: undefined, exists: false };
    const server = await startEngineServer("OpenSearch", fakeOpenSearch(state));
    try {
      const opened = await createSearchEngineIndex({ url: `${server.url}/${INDEX}` });
      await opened.reset(model);
      await opened.close();
      expect(server.requests.map((request) => `${request.method} ${request.path}`).slice(0, 2)).toEqual([
        "GET /",
        `GET /${INDEX}/_mapping`,
      ]);
      // An explicit scheme asks nothing.
      server.requests.length = 0;
      const explicit = await createSearchEngineIndex({
        url: `${server.url.replace("http:", "opensearch+http:")}/${INDEX}`,
      });
      await explicit.close();
      expect(server.requests.map((request) => request.path)).toEqual([`/${INDEX}/_mapping`]);
    } finally {
      await server.close();
    }
  });
});
