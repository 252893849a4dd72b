import { setTimeout } from "node:timers/promises";
import { Migrator, sql, type Kysely, type Migration } from "kysely";
import type { SqlDialect } from "../database.js";
import type { Database } from "../schema/index.js";
import * as catalog from "./2026-11-27-0001-catalog.js";
import * as accountsSocial from "./2026-11-27-0002-accounts-social.js";
import * as songVocabulary from "./2026-11-27-0003-song-vocabulary.js";
import * as ingestLeases from "./2026-12-01-0004-ingest-leases-and-changes.js";
import * as promptSearchText from "./2026-12-01-0005-prompt-search-text.js";
import * as adminAccounts from "./2026-12-02-0006-admin-accounts.js";
import * as rowReports from "./2026-12-06-0007-row-reports.js";
import * as formerUsernames from "./2026-12-06-0008-former-usernames.js";
import * as promptVectors from "./2026-12-06-0009-prompt-vectors.js";
import * as songOrigin from "./2026-12-06-0010-song-origin.js";
import * as musicServerAccounts from "./2026-12-06-0011-music-server-accounts.js";
import * as passageTextHash from "./2026-12-06-0012-passage-text-hash.js";
import * as embeddedSongsIndex from "./2026-12-07-0013-embedded-songs-index.js";
import * as songsFullTextLookup from "./2026-12-07-0014-songs-full-text-lookup.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema of their own time
type AnyDb = Kysely<any>;

interface DialectMigration {
  up(db: AnyDb, dialect: SqlDialect): Promise<void>;
  down?(db: AnyDb): Promise<void>;
}

/** Every migration, by name; names sort in the order they run. */
const migrations: Record<string, DialectMigration> = {
  "2026-11-27-0001-catalog": catalog,
  "2026-11-27-0002-accounts-social": accountsSocial,
  "2026-11-27-0003-song-vocabulary": songVocabulary,
  "2026-12-01-0004-ingest-leases-and-changes": ingestLeases,
  "2026-12-01-0005-prompt-search-text": promptSearchText,
  "2026-12-02-0006-admin-accounts": adminAccounts,
  "2026-12-06-0007-row-reports": rowReports,
  "2026-12-06-0008-former-usernames": formerUsernames,
  "2026-12-06-0009-prompt-vectors": promptVectors,
  "2026-12-06-0010-song-origin": songOrigin,
  "2026-12-06-0011-music-server-accounts": musicServerAccounts,
  "2026-12-06-0012-passage-text-hash": passageTextHash,
  "2026-12-07-0013-embedded-songs-index": embeddedSongsIndex,
  "2026-12-07-0014-songs-full-text-lookup": songsFullTextLookup,
};

/** The same versioned migrations for every dialect; each writes its dialect's own SQL where it must. */
export function migrationsFor(dialect: SqlDialect): Record<string, Migration> {
  return Object.fromEntries(
    Object.entries(migrations).map(([name, migration]) => [
      name,
      {
        up: (db: AnyDb) => migration.up(db, dialect),
        ...(migration.down ? { down: migration.down } : {}),
      },
    ]),
  );
}

export async function migrateToLatest(db: Kysely<Database>, dialect: SqlDialect): Promise<void> {
  // On PostgreSQL the migrator must be told its schema: left to itself it takes a migration
  // table of the same name in any other schema (another installation's) for its own.
  const schema =
    dialect === "postgres"
      ? (await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db: db as AnyDb,
    provider: { getMigrations: async () => migrationsFor(dialect) },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  for (let attempt = 1; ; attempt += 1) {
    const { error, results } = await migrator.migrateToLatest();
    const failed = results?.find((r) => r.status === "Error");
    if (!error && !failed) return;
    if (attempt < OTHER_SCHEMA_RETRIES && schema && isAnotherSchemaDropped(error, schema)) {
      // Apart from the other installation's next create and drop, not in step with them.
      await setTimeout(10 + Math.random() * 40);
      continue;
    }
    throw new Error(`database migration ${failed?.migrationName ?? ""} failed: ${String(error)}`, {
      cause: error,
    });
  }
}

/**
 * The migrator reads the tables of every schema it may see; another installation's schema
 * dropped during that read makes PostgreSQL report it missing (3F000, "schema … does not
 * exist"). Nothing of ours failed, and the migration ran in one transaction: run it again.
 * Five attempts were not always enough beside schemas created and dropped back to back on a
 * loaded machine (2 of 20 migrations failed in a CI run).
 */
const OTHER_SCHEMA_RETRIES = 20;

function isAnotherSchemaDropped(error: unknown, ours: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === "3F000" && typeof message === "string" && !message.includes(`"${ours}"`);
}
