/**
 * Response bodies of Elasticsearch and OpenSearch as their documentation shows them, for the
 * request tests of the search-engine adapters. Each names the page (or the specification file
 * behind the reference page) it comes from; where a test needs its own index name, ids or
 * fields, only those values were put in the documented shape.
 */

/**
 * GET / on Elasticsearch: "Get cluster info", https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-info
 * (elasticsearch-specification specification/_global/info/examples/response/RootNodeInfoResponseExample1.yaml),
 * with a 9.x version number instead of the example's 8.12.1.
 */
export function elasticsearchRoot(number = "9.1.0") {
  return {
    name: "instance-0000000000",
    cluster_name: "my_test_cluster",
    cluster_uuid: "5QaxoN0pRZuOmWSxstBBwQ",
    version: {
      build_date: "2024-02-01T13:07:13.727175297Z",
      minimum_wire_compatibility_version: "8.19.0",
      build_hash: "6185ba65d27469afabc9bc951cded6c17c21e3f3",
      number,
      lucene_version: "10.2.2",
      minimum_index_compatibility_version: "8.0.0",
      build_flavor: "default",
      build_snapshot: false,
      build_type: "docker",
    },
    tagline: "You Know, for Search",
  };
}

/** GET / on OpenSearch: "Quickstart", https://docs.opensearch.org/latest/getting-started/quickstart/ */
export function openSearchRoot(number = "2.19.1") {
  return {
    name: "opensearch-node1",
    cluster_name: "opensearch-cluster",
    cluster_uuid: "W0B8gPotTAajhMPbC9D4ww",
    version: {
      distribution: "opensearch",
      number,
      build_type: "tar",
      build_hash: "7203a5af21a8a009aece1474446b437a3c674db6",
      build_date: "2023-02-24T18:57:04.388618985Z",
      build_snapshot: false,
      lucene_version: "9.12.1",
      minimum_wire_compatibility_version: "7.10.0",
      minimum_index_compatibility_version: "7.0.0",
    },
    tagline: "The OpenSearch Project: https://opensearch.org/",
  };
}

/** PUT /<index>: "Create an index", https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-indices-create */
export const indexCreated = (index: string) => ({ acknowledged: true, shards_acknowledged: true, index });

/** DELETE /<index> and PUT /<index>/_mapping: "Delete indices", "Update field mappings" (same pages' examples). */
export const acknowledged = { acknowledged: true };

/**
 * GET /<index>/_mapping: "Get mapping definitions",
 * https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-indices-get-mapping — the
 * body is keyed by the index name; `_meta` as "_meta field", https://www.elastic.co/docs/reference/elasticsearch/mapping-reference/mapping-meta-field
 */
export const mappingWithMeta = (index: string, meta: unknown) => ({
  [index]: {
    mappings: {
      ...(meta === undefined ? {} : { _meta: meta }),
      properties: { vector: { type: "dense_vector" } },
    },
  },
});

/** POST /<index>/_refresh: "Refresh an index", https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-indices-refresh */
export const refreshed = { _shards: { total: 2, successful: 1, failed: 0 } };

/**
 * GET /<index>/_count: "Count search results", https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-count
 * (specification/_global/count/examples/200_response/CountResponseExample1.yaml).
 */
export const counted = (count: number) => ({
  count,
  _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
});

/**
 * Bulk item results: "Bulk index or delete documents",
 * https://www.elastic.co/docs/api/doc/elasticsearch/operation/operation-bulk
 * (specification/_global/bulk/examples/response/BulkResponseExample1.yaml: index created 201,
 * delete not_found 404; BulkResponseExample2.yaml: a failed item with status and error object).
 */
export function bulkIndexed(index: string, id: string) {
  return {
    index: {
      _index: index,
      _id: id,
      _version: 1,
      result: "created",
      _shards: { total: 2, successful: 1, failed: 0 },
      status: 201,
      _seq_no: 0,
      _primary_term: 1,
    },
  };
}

export function bulkDeleted(index: string, id: string, found: boolean) {
  return {
    delete: {
      _index: index,
      _id: id,
      _version: 1,
      result: found ? "deleted" : "not_found",
      _shards: { total: 2, successful: 1, failed: 0 },
      status: found ? 200 : 404,
      _seq_no: 1,
      _primary_term: 2,
    },
  };
}

/** A failed item, as BulkResponseExample2.yaml shows one, with the type and reason of the failure. */
export function bulkFailed(index: string, id: string, status: number, type: string, reason: string) {
  return {
    index: {
      _index: index,
      _id: id,
      status,
      error: { type, reason, index_uuid: "aAsFqTI0Tc2W0LCWgPNrOA", shard: "0", index },
    },
  };
}

export const bulkResponse = (items: object[]) => ({
  took: 30,
  errors: items.some((item) => "error" in Object.values(item)[0]!),
  items,
});

/**
 * A kNN search answer with `_source: false` and `fields`: "kNN search", "Search kNN with
 * expected similarity" / nested examples, https://www.elastic.co/docs/solutions/search/vector/knn
 * (the hits carry `_index`, `_id`, `_score` and `fields` as arrays); the OpenSearch answer has
 * the same shape, "Efficient k-NN filtering", https://docs.opensearch.org/latest/vector-search/filter-search-knn/efficient-knn-filtering/
 */
export function knnHits(index: string, hits: { id: string; score: number; songId: string }[]) {
  return {
    took: 4,
    timed_out: false,
    _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
    hits: {
      total: { value: hits.length, relation: "eq" },
      max_score: hits[0]?.score ?? null,
      hits: hits.map((hit) => ({
        _index: index,
        _id: hit.id,
        _score: hit.score,
        fields: { song_id: [hit.songId] },
      })),
    },
  };
}

/**
 * Error answers have the documented shape `{error: {root_cause, type, reason, …}, status}`:
 * elasticsearch-specification specification/_types/Base.ts (ErrorResponseBase) and
 * specification/_types/Errors.ts (ErrorCause); OpenSearch keeps it (opensearch-api-specification
 * spec/schemas/_common.yaml, ErrorResponseBase). The types and reasons are the engines' own:
 */

/** 404 of any request on a missing index. */
export const indexNotFound = (index: string) => {
  const cause = {
    type: "index_not_found_exception",
    reason: `no such index [${index}]`,
    "resource.type": "index_or_alias",
    "resource.id": index,
    index_uuid: "_na_",
    index,
  };
  return { error: { root_cause: [cause], ...cause }, status: 404 };
};

/** 400 of a create index request whose mapping the server does not accept. */
export const mapperParsing = (reason: string) => {
  const cause = { type: "mapper_parsing_exception", reason };
  return { error: { root_cause: [cause], ...cause }, status: 400 };
};

/** 429 of a node whose write or search queue is full. */
export const rejectedExecution = {
  error: {
    root_cause: [
      { type: "es_rejected_execution_exception", reason: "rejected execution of coordinating operation" },
    ],
    type: "es_rejected_execution_exception",
    reason: "rejected execution of coordinating operation",
  },
  status: 429,
};
