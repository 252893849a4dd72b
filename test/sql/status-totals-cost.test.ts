/**
 * The catalog status reads the whole catalog (a count of songs and passages) once per catalog
 * version, not once per call: what an idle catalog's status costs does not grow with its size.
 * The counts of embedded songs (status, and the re-embedding progress every answer reads once
 * a version) come from an index, never from the songs' rows with their lyrics and vectors.
 */
import { sql, type KyselyPlugin, type RootOperationNode } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { bumpVersion } from "../../src/adapters/sql/catalog/catalog-version.js";
import { createSqlCatalogStatusStore } from "../../src/adapters/sql/catalog/status-store.js";
import { createSqlSongStore } from "../../src/adapters/sql/song-store.js";
import { openTestDatabase, testDialect, type TestDatabase } from "../support/databases.js";

/** Counts the queries that read a table, by the table's name in the query's FROM. */
function tableReads(table: string): { plugin: KyselyPlugin; count: () => number } {
  let count = 0;
  const reads = (node: RootOperationNode) =>
    node.kind === "SelectQueryNode" && JSON.stringify(node.from ?? {}).includes(`"name":"${table}"`);
  return {
    plugin: {
      transformQuery: ({ node }) => {
        if (reads(node)) count += 1;
        return node;
      },
      transformResult: async ({ result }) => result,
    },
    count: () => count,
  };
}

describe(`catalog status totals on ${testDialect}`, () => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.close();
    database = undefined;
  });

  it("counts the songs once per catalog version however often it is asked", async () => {
    database = await openTestDatabase();
    const songReads = tableReads("songs");
    const status = createSqlCatalogStatusStore({
      db: database.db.withPlugin(songReads.plugin),
      dialect: database.dialect,
    });
    const first = await status.totals();
    await Promise.all([status.totals(), status.totals(), status.totals()]);
    expect(songReads.count()).toBe(1);

    const version = await database.db.transaction().execute((trx) => bumpVersion(trx));
    const after = await status.totals();
    expect(songReads.count()).toBe(2);
    expect(after.catalogVersion).toBe(version);
    expect(after.catalogVersion).toBeGreaterThan(first.catalogVersion);
  });

  it.runIf(testDialect === "sqlite")(
    "counts the embedded songs from an index, never the songs' rows",
    async () => {
      database = await openTestDatabase();
      const nodes: RootOperationNode[] = [];
      const recording: KyselyPlugin = {
        transformQuery: ({ node }) => (nodes.push(node), node),
        transformResult: async ({ result }) => result,
      };
      const db = database.db.withPlugin(recording);
      const context = { db, dialect: database.dialect };
      await createSqlCatalogStatusStore(context).totals();
      await createSqlSongStore(context).embeddedSongs("any-model");
      const executor = database.db.getExecutor();
      const plans: string[] = [];
      for (const node of nodes.filter((n) => JSON.stringify(n).includes('"name":"vector"'))) {
        const { sql: text, parameters } = executor.compileQuery(node, { queryId: "plan" });
        const rows = await sql
          .raw<{ detail: string }>(`EXPLAIN QUERY PLAN ${text}`)
          .execute(database.db.withoutPlugins());
        expect(parameters).toEqual([]);
        plans.push(rows.rows.map((r) => r.detail).join("; "));
      }
      expect(plans).toHaveLength(2);
      for (const plan of plans)
        expect(plan).toMatch(/SCAN songs USING (COVERING )?INDEX songs_embedded_model/);
    },
  );
});
