/**
 * Several installations may share one PostgreSQL database, each in a schema of its own
 * (`?schema=`). Migrating one must not fail because another's schema is dropped meanwhile: the
 * migrator's look at the catalog reads every schema's tables, and a schema dropped while that
 * read runs makes PostgreSQL report it missing (3F000) to the installation that is migrating.
 */
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/adapters/sql/database.js";
import { createTestDatabaseUrl, testDialect } from "../support/databases.js";
import { testServers } from "../support/servers.js";

describe.runIf(testDialect === "postgres")("migrating while another installation's schema is dropped", () => {
  const drops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const drop of drops.splice(0)) await drop();
  });

  it("migrates every time", async () => {
    const admin = new pg.Client({ connectionString: testServers.postgres });
    await admin.connect();
    let migrating = true;
    // Another installation comes and goes, again and again, while this one migrates.
    const other = (async () => {
      while (migrating) {
        const { url, drop } = await createTestDatabaseUrl("postgres");
        const schema = new URL(url).searchParams.get("schema")!;
        await admin.query(`CREATE TABLE ${schema}.songs (id serial PRIMARY KEY, title text, lyrics text)`);
        await drop();
      }
    })();
    const failures: string[] = [];
    try {
      for (let i = 0; i < 20; i += 1) {
        const { url, drop } = await createTestDatabaseUrl("postgres");
        drops.push(drop);
        try {
          const database = await openDatabase(url);
          await database.close();
        } catch (error) {
          failures.push(String(error));
        }
      }
    } finally {
      migrating = false;
      await other;
      await admin.end();
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
