/**
 * The whole VectorIndex contract against real search engines:
 *
 *   VERSO_TEST_ELASTICSEARCH_URL=http://localhost:9200 npm run test:elasticsearch
 *   VERSO_TEST_OPENSEARCH_URL=https://admin:pass@localhost:9201 VERSO_TEST_OPENSEARCH_CA=ca.pem npm run test:elasticsearch
 *
 * The URLs take every form VERSO_VECTOR_URL takes (search-engine.ts); each test works in an
 * index of its own, deleted afterwards. Without a URL the suite is skipped, and says so.
 */
import { readFileSync } from "node:fs";
import { Client as ElasticsearchClient } from "@elastic/elasticsearch";
import { Client as OpenSearchClient } from "@opensearch-project/opensearch";
import { describe, it } from "vitest";
import { createSearchEngineIndex, parseSearchEngineUrl } from "../../src/adapters/vectors/search-engine.js";
import { uniqueName } from "../support/servers.js";
import { describeVectorIndexContract } from "./vector-index.contract.js";

const engines = [
  {
    name: "Elasticsearch",
    url: process.env.VERSO_TEST_ELASTICSEARCH_URL,
    ca: process.env.VERSO_TEST_ELASTICSEARCH_CA,
  },
  {
    name: "OpenSearch",
    url: process.env.VERSO_TEST_OPENSEARCH_URL,
    ca: process.env.VERSO_TEST_OPENSEARCH_CA,
  },
] as const;

for (const engine of engines) {
  if (!engine.url) {
    const variable = `VERSO_TEST_${engine.name.toUpperCase()}_URL`;
    console.warn(`[vector index] ${engine.name} contract suite skipped: set ${variable} to run it`);
    describe.skip(`VectorIndex contract: ${engine.name} (set ${variable} to run)`, () => {
      it("runs against a real server", () => {});
    });
    continue;
  }
  const url = engine.url;
  const caCertificate = engine.ca ? readFileSync(engine.ca, "utf8") : undefined;
  const { node, auth } = parseSearchEngineUrl(url);

  describeVectorIndexContract(`${engine.name} at ${node}`, {
    persists: true,
    approximate: true,
    timeoutMs: 120_000,
    async storage() {
      const index = uniqueName("verso_contract");
      return {
        open: () =>
          createSearchEngineIndex({
            url: withIndex(url, index),
            ...(caCertificate ? { caCertificate } : {}),
            // Small bulk requests, so that the suite also sends several per upsert.
            elasticsearch: { bulkSize: 200, shards: 1 },
            opensearch: { bulkSize: 200, shards: 1 },
          }),
        dispose: () => deleteIndex(engine.name, node, index, auth, caCertificate),
      };
    },
  });
}

/** The same server URL (scheme and credentials included) naming another index. */
function withIndex(url: string, index: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${index}`;
  return parsed.toString();
}

/** With the engine's own client: the adapter has no way to delete its index, by design. */
async function deleteIndex(
  name: "Elasticsearch" | "OpenSearch",
  node: string,
  index: string,
  auth: { username: string; password: string } | undefined,
  ca: string | undefined,
): Promise<void> {
  if (name === "Elasticsearch") {
    const client = new ElasticsearchClient({
      node,
      ...(auth ? { auth } : {}),
      ...(ca ? { tls: { ca } } : {}),
    });
    await client.indices.delete({ index }, { ignore: [404] });
    await client.close();
  } else {
    const client = new OpenSearchClient({ node, ...(auth ? { auth } : {}), ...(ca ? { ssl: { ca } } : {}) });
    await client.indices.delete({ index }, { ignore: [404] });
    await client.close();
  }
}
