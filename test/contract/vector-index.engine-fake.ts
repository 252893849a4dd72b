/**
 * An in-process model of the few Elasticsearch / OpenSearch APIs the adapters use, behaving as
 * those engines document them, so that the whole contract suite can run against the adapters
 * on every test run: documents become visible to search and count only at a refresh; a null
 * field is not indexed, so it fails term, range and exists; kNN is exact here (an engine is
 * approximate), scored as each engine documents its similarity.
 */
import type { CapturedRequest, ScriptedResponse } from "./vector-index.engine-server.js";
import {
  acknowledged,
  bulkDeleted,
  bulkIndexed,
  bulkResponse,
  counted,
  indexCreated,
  indexNotFound,
  knnHits,
  mappingWithMeta,
  refreshed,
} from "./vector-index.engine-responses.js";

type Document = Record<string, unknown> & { vector: number[] };

interface FakeIndex {
  meta: unknown;
  written: Map<string, Document | null>;
  visible: Map<string, Document>;
}

/** `flavour` decides the kNN request shape and the score: ES dot_product, OS Lucene cosinesimil. */
export function fakeEngine(
  flavour: "elasticsearch" | "opensearch",
): (request: CapturedRequest) => ScriptedResponse {
  const indexes = new Map<string, FakeIndex>();
  return (request) => {
    const [, name = "", action = ""] = request.path.split("/");
    const index = indexes.get(name);
    const missing = { status: 404, body: indexNotFound(name) };
    if (action === "" && request.method === "PUT") {
      const body = request.body as { mappings: { _meta: unknown } };
      indexes.set(name, { meta: body.mappings._meta, written: new Map(), visible: new Map() });
      return { body: indexCreated(name) };
    }
    if (!index) return missing;
    switch (`${request.method === "DELETE" ? "DELETE" : ""}${action}`) {
      case "DELETE":
        indexes.delete(name);
        return { body: acknowledged };
      case "_mapping":
        // Update mapping: PUT or POST (the OpenSearch client posts).
        if (request.method !== "GET") {
          index.meta = (request.body as { _meta: unknown })._meta;
          return { body: acknowledged };
        }
        return { body: mappingWithMeta(name, index.meta) };
      case "_refresh":
        for (const [id, document] of index.written) {
          if (document === null) index.visible.delete(id);
          else index.visible.set(id, document);
        }
        index.written.clear();
        return { body: refreshed };
      case "_count":
        return { body: counted(index.visible.size) };
      case "_bulk":
        return { body: bulk(name, index, request.body as Record<string, unknown>[]) };
      case "_search":
        return { body: search(flavour, name, index, request.body as Record<string, unknown>) };
      default:
        return { status: 400, body: { error: { type: "unexpected", reason: request.path } } };
    }
  };
}

function bulk(name: string, index: FakeIndex, lines: Record<string, unknown>[]) {
  const items: object[] = [];
  const current = (id: string) =>
    (index.written.has(id) ? index.written.get(id) : index.visible.get(id)) ?? null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if ("index" in line) {
      const id = (line.index as { _id: string })._id;
      index.written.set(id, lines[++i] as Document);
      items.push(bulkIndexed(name, id));
    } else {
      const id = (line.delete as { _id: string })._id;
      const found = current(id) !== null;
      index.written.set(id, null);
      items.push(bulkDeleted(name, id, found));
    }
  }
  return bulkResponse(items);
}

function search(
  flavour: "elasticsearch" | "opensearch",
  name: string,
  index: FakeIndex,
  body: Record<string, unknown>,
) {
  const knn =
    flavour === "elasticsearch"
      ? (body.knn as { query_vector: number[]; k: number; filter?: unknown })
      : (() => {
          const clause = (
            body.query as { knn: { vector: { vector: number[]; k: number; filter?: unknown } } }
          ).knn.vector;
          return { query_vector: clause.vector, k: clause.k, filter: clause.filter };
        })();
  const size = body.size as number;
  const hits = [...index.visible.entries()]
    .filter(([, document]) => knn.filter === undefined || matches(document, knn.filter))
    .map(([id, document]) => {
      const dot = document.vector.reduce((sum, value, i) => sum + value * knn.query_vector[i]!, 0);
      return { id, score: (1 + dot) / 2, songId: document.song_id as string };
    })
    .sort((a, b) => b.score - a.score)
    .slice(0, Math.min(size, knn.k));
  return knnHits(name, hits);
}

/** bool.filter of term, range (gte/lte) and exists, as the adapters send them. */
function matches(document: Document, query: unknown): boolean {
  const clauses = (query as { bool: { filter: Record<string, Record<string, unknown>>[] } }).bool.filter;
  return clauses.every((clause) => {
    if (clause.term) {
      const [field, value] = Object.entries(clause.term)[0]!;
      return document[field] === value;
    }
    if (clause.exists) return document[clause.exists.field as string] != null;
    if (clause.range) {
      const [field, bounds] = Object.entries(clause.range)[0]! as [string, { gte?: number; lte?: number }];
      const value = document[field];
      return (
        typeof value === "number" &&
        (bounds.gte === undefined || value >= bounds.gte) &&
        (bounds.lte === undefined || value <= bounds.lte)
      );
    }
    throw new Error(`the fake engine does not know ${JSON.stringify(clause)}`);
  });
}
