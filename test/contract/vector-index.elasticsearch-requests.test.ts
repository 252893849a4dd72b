/**
 * The exact requests the Elasticsearch adapter sends and how it reads real answers, against a
 * local server that records them and answers with bodies from Elasticsearch's documentation.
 * (The full contract suite runs against a real server in vector-index.elasticsearch.test.ts.)
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createElasticsearchIndex } from "../../src/adapters/vectors/elasticsearch.js";
import { VectorEngineError } from "../../src/adapters/vectors/engine-error.js";
import type { EmbeddingModel, VectorEntry, VectorIndex } from "../../src/core/ports.js";
import { contractSong } from "./vector-index.contract.js";
import {
  acknowledged,
  bulkDeleted,
  bulkFailed,
  bulkIndexed,
  bulkResponse,
  counted,
  indexCreated,
  indexNotFound,
  knnHits,
  mapperParsing,
  mappingWithMeta,
  refreshed,
  rejectedExecution,
} from "./vector-index.engine-responses.js";
import { startEngineServer, type CapturedRequest, type EngineServer } from "./vector-index.engine-server.js";

const INDEX = "verso-test";
const model: EmbeddingModel = { name: "use-lite-v1", dimension: 4 };
const verso = (catalogVersion: number | null) => ({
  verso: { layout: 1, model: model.name, dimension: 4, catalogVersion },
});
const entry = (id: number, vector: number[], song = contractSong(id)): VectorEntry => ({
  id,
  vector: Float32Array.from(vector),
  song,
});
const summary = (requests: CapturedRequest[]) => requests.map((r) => `${r.method} ${r.path}`);

/** Answers like an Elasticsearch holding one index whose `_meta` is `meta` (undefined: no index). */
function fakeElasticsearch(state: { meta: unknown; exists: boolean }) {
  return (request: CapturedRequest) => {
    const route = `${request.method} ${request.path}`;
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
    if (route === `GET /${INDEX}/_refresh` || route === `POST /${INDEX}/_refresh`) return { body: refreshed };
    if (route === `POST /${INDEX}/_bulk` || route === `PUT /${INDEX}/_bulk`) {
      const lines = request.body as Record<string, { _id: string }>[];
      const items = lines
        .filter((line) => "index" in line || "delete" in line)
        .map((line) =>
          "index" in line ? bulkIndexed(INDEX, line.index!._id) : bulkDeleted(INDEX, line.delete!._id, true),
        );
      return { body: bulkResponse(items) };
    }
    if (route === `GET /${INDEX}/_count` || route === `POST /${INDEX}/_count`) {
      return state.exists ? { body: counted(2) } : { status: 404, body: indexNotFound(INDEX) };
    }
    return { status: 400, body: { error: { type: "unexpected", reason: route } } };
  };
}

describe("Elasticsearch adapter: requests and answers", () => {
  let server: EngineServer;
  let state: { meta: unknown; exists: boolean };
  let index: VectorIndex | undefined;
  const open = async () => {
    index = await createElasticsearchIndex({ node: server.url, index: INDEX, retryDelayMs: 1 });
    return index;
  };

  beforeEach(async () => {
    state = { meta: undefined, exists: false };
    server = await startEngineServer("Elasticsearch", fakeElasticsearch(state));
  });

  afterEach(async () => {
    await index?.close();
    index = undefined;
    await server.close();
  });

  it("reads a missing index as empty and unstamped, and refuses writes before reset", async () => {
    const es = await open();
    expect(await es.stamp()).toBeNull();
    expect(await es.size()).toBe(0);
    expect(await es.search(Float32Array.from([1, 0, 0, 0]), 5)).toEqual([]);
    await expect(es.upsert([entry(1, [1, 0, 0, 0])])).rejects.toThrow(/before reset/);
    expect(summary(server.requests)).toEqual([
      `GET /${INDEX}/_mapping`,
      `GET /${INDEX}/_mapping`,
      expect.stringMatching(new RegExp(`^(GET|POST) /${INDEX}/_count$`)),
    ]);
  });

  it("creates the index with a dense_vector mapping, keyword and number fields and an unstamped _meta", async () => {
    const es = await open();
    server.requests.length = 0;
    await es.reset(model);
    expect(summary(server.requests)).toEqual([`GET /${INDEX}/_mapping`, `DELETE /${INDEX}`, `PUT /${INDEX}`]);
    const created = server.requests[2]!.body as Record<string, unknown>;
    expect(created).toEqual({
      settings: {},
      mappings: {
        dynamic: "strict",
        _meta: verso(null),
        properties: {
          vector: {
            type: "dense_vector",
            dims: 4,
            index: true,
            similarity: "dot_product",
            index_options: { type: "int8_hnsw", m: 16, ef_construction: 100 },
          },
          song_id: { type: "keyword" },
          language: { type: "keyword" },
          genre: { type: "keyword" },
          year: { type: "integer" },
          danceability: { type: "double" },
          energy: { type: "double" },
          valence: { type: "double" },
          tempo: { type: "double" },
          acousticness: { type: "double" },
          instrumentalness: { type: "double" },
          speechiness: { type: "double" },
          liveness: { type: "double" },
        },
      },
    });
    expect(await es.stamp()).toBeNull();
  });

  it("indexes passages by id with unit vectors and song fields, and searches with the filter inside knn", async () => {
    const es = await open();
    await es.reset(model);
    server.requests.length = 0;
    const song = { ...contractSong(3), songId: "s-3", language: "es", genre: "latin", year: 1999 };
    await es.upsert([entry(11, [3, 0, 4, 0], song), entry(12, [0, 1, 0, 0], contractSong(4))]);
    expect(summary(server.requests)).toEqual([`POST /${INDEX}/_bulk`]);
    const [action, document, secondAction] = server.requests[0]!.body as Record<string, unknown>[];
    expect(action).toEqual({ index: { _id: "11" } });
    expect(secondAction).toEqual({ index: { _id: "12" } });
    expect(document).toEqual({
      vector: [0.6, 0, 0.8, 0],
      song_id: "s-3",
      language: "es",
      genre: "latin",
      year: 1999,
      danceability: song.danceability,
      energy: song.energy,
      valence: song.valence,
      tempo: song.tempo,
      acousticness: song.acousticness,
      instrumentalness: song.instrumentalness,
      speechiness: song.speechiness,
      liveness: song.liveness,
    });

    server.requests.length = 0;
    server.answer((request) =>
      request.path.endsWith("/_search")
        ? {
            body: knnHits(INDEX, [
              { id: "11", score: 0.98, songId: "s-3" },
              { id: "40", score: 0.25, songId: "s-40" },
            ]),
          }
        : fakeElasticsearch(state)(request),
    );
    const hits = await es.search(Float32Array.from([0, 0, 2, 0]), 10, {
      filter: { language: "ES", year: { min: 1990, max: 2005 }, energy: {} },
    });
    // Written but not refreshed yet: the first read refreshes, so it sees the upsert.
    expect(summary(server.requests)).toEqual([`GET /${INDEX}/_refresh`, `POST /${INDEX}/_search`]);
    expect(server.requests[1]!.body).toEqual({
      knn: {
        field: "vector",
        query_vector: [0, 0, 1, 0],
        k: 10,
        num_candidates: 100,
        filter: {
          bool: {
            filter: [
              { term: { language: "es" } },
              { range: { year: { gte: 1990, lte: 2005 } } },
              { exists: { field: "energy" } },
            ],
          },
        },
        rescore_vector: { oversample: 2 },
      },
      size: 10,
      _source: false,
      fields: ["song_id"],
    });
    // dot_product on unit vectors: _score = (1 + cosine) / 2.
    expect(hits).toEqual([
      { id: 11, songId: "s-3", score: expect.closeTo(0.96, 9) },
      { id: 40, songId: "s-40", score: expect.closeTo(-0.5, 9) },
    ]);

    server.requests.length = 0;
    await es.search(Float32Array.from([1, 0, 0, 0]), 300);
    expect(server.requests[0]!.body).toMatchObject({ knn: { k: 300, num_candidates: 600 }, size: 300 });
    expect((server.requests[0]!.body as { knn: object }).knn).not.toHaveProperty("filter");
  });

  it("records the stamp on commit after a refresh, and clears it before the next write", async () => {
    const es = await open();
    await es.reset(model);
    await es.upsert([entry(1, [1, 0, 0, 0])]);
    server.requests.length = 0;
    await es.commit(7);
    expect(summary(server.requests)).toEqual([`GET /${INDEX}/_refresh`, `PUT /${INDEX}/_mapping`]);
    expect(server.requests[1]!.body).toEqual({ _meta: verso(7) });
    expect(await es.stamp()).toEqual({ model: model.name, dimension: 4, catalogVersion: 7 });

    server.requests.length = 0;
    await es.upsert([entry(2, [0, 1, 0, 0])]);
    await es.remove([1]);
    expect(summary(server.requests)).toEqual([
      `PUT /${INDEX}/_mapping`,
      `POST /${INDEX}/_bulk`,
      `POST /${INDEX}/_bulk`,
    ]);
    expect(server.requests[0]!.body).toEqual({ _meta: verso(null) });
    expect(server.requests[2]!.body).toEqual([{ delete: { _id: "1" } }]);
    expect(await es.stamp()).toBeNull();

    // Reopened, it knows its model from the mapping, and that the stamp is already cleared.
    await es.close();
    server.requests.length = 0;
    const reopened = await open();
    await reopened.upsert([entry(3, [0, 0, 1, 0])]);
    expect(summary(server.requests)).toEqual([`GET /${INDEX}/_mapping`, `POST /${INDEX}/_bulk`]);
  });

  it("ignores deletes of passages it does not hold, and reports bulk items that failed", async () => {
    const es = await open();
    await es.reset(model);
    server.answer((request) =>
      request.path.endsWith("/_bulk")
        ? { body: bulkResponse([bulkDeleted(INDEX, "5", false), bulkDeleted(INDEX, "6", true)]) }
        : fakeElasticsearch(state)(request),
    );
    await es.remove([5, 6]);

    server.answer((request) =>
      request.path.endsWith("/_bulk")
        ? {
            body: bulkResponse([
              bulkIndexed(INDEX, "1"),
              bulkFailed(
                INDEX,
                "2",
                400,
                "document_parsing_exception",
                "[1:2] failed to parse field [vector]",
              ),
            ]),
          }
        : fakeElasticsearch(state)(request),
    );
    const failure = await es
      .upsert([entry(1, [1, 0, 0, 0]), entry(2, [0, 1, 0, 0])])
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(VectorEngineError);
    const error = failure as VectorEngineError;
    expect(error.code).toBe("INTERNAL");
    expect(error.message).toMatch(/did not write 1 of 2 passages; passage 2: 400 document_parsing_exception/);
    expect(error.details.failures).toEqual([
      {
        id: "2",
        status: 400,
        type: "document_parsing_exception",
        reason: "[1:2] failed to parse field [vector]",
      },
    ]);
  });

  it("retries what a full node rejects with 429, the rejected bulk items only, then gives up as unavailable", async () => {
    const es = await open();
    await es.reset(model);
    let bulkCalls = 0;
    server.requests.length = 0;
    server.answer((request) => {
      if (!request.path.endsWith("/_bulk")) return fakeElasticsearch(state)(request);
      bulkCalls++;
      if (bulkCalls === 1) return { status: 429, body: rejectedExecution };
      if (bulkCalls === 2) {
        return {
          body: bulkResponse([
            bulkIndexed(INDEX, "1"),
            bulkFailed(
              INDEX,
              "2",
              429,
              "es_rejected_execution_exception",
              "rejected execution of primary operation",
            ),
          ]),
        };
      }
      return { body: bulkResponse([bulkIndexed(INDEX, "2")]) };
    });
    await es.upsert([entry(1, [1, 0, 0, 0]), entry(2, [0, 1, 0, 0])]);
    const bulks = server.requests.filter((request) => request.path.endsWith("/_bulk"));
    expect(bulks).toHaveLength(3);
    expect((bulks[2]!.body as object[])[0]).toEqual({ index: { _id: "2" } });
    expect(bulks[2]!.body as object[]).toHaveLength(2);

    server.answer((request) =>
      request.path.endsWith("/_search")
        ? { status: 429, body: rejectedExecution }
        : fakeElasticsearch(state)(request),
    );
    const failure = (await es
      .search(Float32Array.from([1, 0, 0, 0]), 3)
      .catch((error: unknown) => error)) as VectorEngineError;
    expect(failure).toBeInstanceOf(VectorEngineError);
    expect(failure.code).toBe("DEPENDENCY_UNAVAILABLE");
    expect(failure.status).toBe(429);
    expect(failure.type).toBe("es_rejected_execution_exception");
    expect(server.requests.filter((request) => request.path.endsWith("/_search"))).toHaveLength(6);
  });

  it("reports a mapping the server refuses, and an index that was deleted under it reads as empty", async () => {
    const es = await open();
    server.answer((request) =>
      request.method === "PUT" && request.path === `/${INDEX}`
        ? {
            status: 400,
            body: mapperParsing("The number of dimensions should be in the range [1, 4096] but was [5000]"),
          }
        : fakeElasticsearch(state)(request),
    );
    const refused = (await es.reset(model).catch((error: unknown) => error)) as VectorEngineError;
    expect(refused).toBeInstanceOf(VectorEngineError);
    expect(refused.code).toBe("INTERNAL");
    expect(refused.status).toBe(400);
    expect(refused.type).toBe("mapper_parsing_exception");
    expect(refused.message).toMatch(
      /refused to create the index: 400 mapper_parsing_exception: The number of dimensions/,
    );

    server.answer(fakeElasticsearch(state));
    await es.reset(model);
    state.exists = false; // someone deleted it
    server.answer((request) =>
      request.path.endsWith("/_search")
        ? { status: 404, body: indexNotFound(INDEX) }
        : fakeElasticsearch(state)(request),
    );
    expect(await es.search(Float32Array.from([1, 0, 0, 0]), 3, { filter: { genre: "pop" } })).toEqual([]);
    expect(await es.size()).toBe(0);
    expect(await es.stamp()).toBeNull();
  });

  it("refuses to delete an index that Verso did not make", async () => {
    state.exists = true;
    state.meta = undefined;
    const es = await open();
    server.requests.length = 0;
    await expect(es.reset(model)).rejects.toThrow(/was not made by Verso/);
    expect(summary(server.requests)).toEqual([`GET /${INDEX}/_mapping`]);
  });

  it("rejects bad input before any request, with RangeError", async () => {
    const es = await open();
    await es.reset(model);
    server.requests.length = 0;
    await expect(es.upsert([entry(1, [0, 0, 0, 0])])).rejects.toThrow(RangeError);
    await expect(es.upsert([entry(1, [1, 0, 0])])).rejects.toThrow(RangeError);
    await expect(es.search(Float32Array.from([0, 0, 0, 0]), 3)).rejects.toThrow(RangeError);
    await expect(es.search(Float32Array.from([1, 0, 0, 0]), -1)).rejects.toThrow(RangeError);
    await expect(
      es.search(Float32Array.from([1, 0, 0, 0]), 3, { filter: { tempo: { min: Number.NaN } } }),
    ).rejects.toThrow(RangeError);
    expect(server.requests).toEqual([]);
  });

  it("reports an unreachable server as unavailable", async () => {
    const port = new URL(server.url).port;
    await server.close();
    const failure = (await createElasticsearchIndex({
      node: `http://127.0.0.1:${port}`,
      index: INDEX,
      requestTimeoutMs: 2000,
    }).catch((error: unknown) => error)) as VectorEngineError;
    expect(failure).toBeInstanceOf(VectorEngineError);
    expect(failure.code).toBe("DEPENDENCY_UNAVAILABLE");
    server = await startEngineServer("Elasticsearch", fakeElasticsearch(state));
  });
});
