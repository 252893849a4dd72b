/**
 * A fresh, migrated database for one test, on the dialect this test run is for: the vitest
 * project sets VERSO_TEST_DATABASE (sqlite, mariadb or postgres), so every repository and HTTP
 * test runs once per dialect against the real servers. Each database lives in its own MariaDB
 * database or PostgreSQL schema, named uniquely, and is dropped after the test file.
 *
 * Migrating a server database takes about a second (MariaDB's DDL is slow), so a database a
 * test closes is emptied and handed to the next test of the same file instead of dropped.
 */
import { sql } from "kysely";
import mysql from "mysql2/promise";
import pg from "pg";
import {
  openDatabase,
  type DatabaseOptions,
  type SqlDatabase,
  type SqlDialect,
} from "../../src/adapters/sql/database.js";
import { testServers, uniqueName } from "./servers.js";

const dialects: readonly SqlDialect[] = ["sqlite", "mariadb", "postgres"];

function dialectOfRun(): SqlDialect {
  const name = process.env.VERSO_TEST_DATABASE ?? "sqlite";
  if (!dialects.includes(name as SqlDialect)) {
    throw new Error(`VERSO_TEST_DATABASE=${name}: expected one of ${dialects.join(", ")}`);
  }
  return name as SqlDialect;
}

/** The dialect this test run is for. */
export const testDialect: SqlDialect = dialectOfRun();

export interface TestDatabase extends SqlDatabase {
  /** The URL it was opened with, for another process or connection to open it too. */
  readonly url: string;
}

/** A URL of an empty database or schema of its own, and how to drop it. */
export async function createTestDatabaseUrl(
  dialect: SqlDialect = testDialect,
): Promise<{ url: string; drop(): Promise<void> }> {
  switch (dialect) {
    case "sqlite":
      return { url: "sqlite::memory:", drop: async () => {} };
    case "mariadb": {
      const name = uniqueName("verso_test");
      const admin = await mysql.createConnection(testServers.mariadb);
      try {
        await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
      } finally {
        await admin.end();
      }
      const url = new URL(testServers.mariadb);
      url.pathname = `/${name}`;
      return {
        url: url.toString(),
        async drop() {
          const connection = await mysql.createConnection(testServers.mariadb);
          try {
            await connection.query(`DROP DATABASE IF EXISTS ${name}`);
          } finally {
            await connection.end();
          }
        },
      };
    }
    case "postgres": {
      const name = uniqueName("verso_test");
      const run = async (statement: string) => {
        const client = new pg.Client({ connectionString: testServers.postgres });
        await client.connect();
        try {
          await client.query(statement);
        } finally {
          await client.end();
        }
      };
      await run(`CREATE SCHEMA ${name}`);
      const url = new URL(testServers.postgres);
      url.searchParams.set("schema", name);
      return { url: url.toString(), drop: () => run(`DROP SCHEMA IF EXISTS ${name} CASCADE`) };
    }
  }
}

interface Pooled {
  database: SqlDatabase;
  url: string;
  drop(): Promise<void>;
}

const idle = new Map<string, Pooled[]>();
const all: Pooled[] = [];

export async function openTestDatabase(
  dialect: SqlDialect = testDialect,
  options: DatabaseOptions = {},
): Promise<TestDatabase> {
  if (dialect === "sqlite") {
    const database = await openDatabase("sqlite::memory:", options);
    return { ...database, url: "sqlite::memory:" };
  }
  const key = JSON.stringify([dialect, options.poolSize, options.connectTimeoutMs]);
  let pooled = idle.get(key)?.pop();
  if (!pooled) {
    const { url, drop } = await createTestDatabaseUrl(dialect);
    let database: SqlDatabase;
    try {
      database = await openDatabase(url, options);
    } catch (error) {
      await drop();
      throw error;
    }
    pooled = { database, url, drop };
    all.push(pooled);
  }
  const taken = pooled;
  let closed = false;
  return {
    ...taken.database,
    url: taken.url,
    async close() {
      if (closed) return;
      closed = true;
      await emptyDatabase(taken.database);
      idle.set(key, [...(idle.get(key) ?? []), taken]);
    },
  };
}

/** Every row gone, ids restarted, and the rows the migrations seed put back. */
async function emptyDatabase(database: SqlDatabase): Promise<void> {
  const { db, dialect } = database;
  if (dialect === "postgres") {
    const { rows } = await sql<{ name: string }>`
      SELECT tablename AS name FROM pg_tables
      WHERE schemaname = current_schema() AND tablename NOT LIKE 'kysely_%'`.execute(db);
    if (rows.length > 0) {
      await sql`TRUNCATE ${sql.join(rows.map((r) => sql.table(r.name)))} RESTART IDENTITY CASCADE`.execute(
        db,
      );
    }
  } else {
    const { rows } = await sql<{ name: string }>`
      SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = DATABASE() AND table_name NOT LIKE 'kysely_%'`.execute(db);
    // DELETE rather than TRUNCATE: InnoDB runs TRUNCATE as DDL, ten times slower on small tables.
    // Ids go on from where they were; no test may count on the first id being 1.
    await db.connection().execute(async (connection) => {
      await sql`SET FOREIGN_KEY_CHECKS = 0`.execute(connection);
      for (const { name } of rows) await sql`DELETE FROM ${sql.table(name)}`.execute(connection);
      await sql`SET FOREIGN_KEY_CHECKS = 1`.execute(connection);
    });
  }
  await db
    .insertInto("catalog_state")
    .values({ id: 1, version: 0, updated_at: new Date().toISOString(), log_since: 0 })
    .execute();
}

/** Drops every database this test file made; the setup file calls it after each file. */
export async function dropTestDatabases(): Promise<void> {
  const dropping = all.splice(0);
  idle.clear();
  for (const pooled of dropping) {
    await pooled.database.close().catch(() => {});
    await pooled.drop();
  }
}
