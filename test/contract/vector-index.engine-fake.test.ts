/**
 * The whole contract suite through the Elasticsearch and OpenSearch adapters and their official
 * clients, against an in-process model of the engines (vector-index.engine-fake.ts): the
 * adapters' own logic (stamp, refresh, filters, bulk, scores) is checked on every run; the
 * engines themselves in vector-index.elasticsearch.test.ts.
 */
import { createElasticsearchIndex } from "../../src/adapters/vectors/elasticsearch.js";
import { createOpenSearchIndex } from "../../src/adapters/vectors/opensearch.js";
import { describeVectorIndexContract } from "./vector-index.contract.js";
import { fakeEngine } from "./vector-index.engine-fake.js";
import { startEngineServer } from "./vector-index.engine-server.js";

let counter = 0;

describeVectorIndexContract("Elasticsearch adapter (in-process engine model)", {
  persists: true,
  approximate: false,
  async storage() {
    const server = await startEngineServer("Elasticsearch", fakeEngine("elasticsearch"));
    const index = `contract-${++counter}`;
    return {
      open: () => createElasticsearchIndex({ node: server.url, index, bulkSize: 200 }),
      dispose: () => server.close(),
    };
  },
});

describeVectorIndexContract("OpenSearch adapter (in-process engine model)", {
  persists: true,
  approximate: false,
  async storage() {
    const server = await startEngineServer("OpenSearch", fakeEngine("opensearch"));
    const index = `contract-${++counter}`;
    return {
      open: () => createOpenSearchIndex({ node: server.url, index, bulkSize: 200 }),
      dispose: () => server.close(),
    };
  },
});
