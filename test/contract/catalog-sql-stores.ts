/** The catalog's stores over a fresh test database of the dialect under test. */
import { createSqlCatalogStores } from "../../src/adapters/sql/catalog/index.js";
import { createSqlSongStore } from "../../src/adapters/sql/song-store.js";
import { openTestDatabase } from "../support/databases.js";
import type { CatalogContractStores } from "./catalog-fixtures.js";

export async function openSqlCatalogStores(): Promise<CatalogContractStores> {
  const database = await openTestDatabase();
  return {
    ...createSqlCatalogStores(database),
    songs: createSqlSongStore(database),
    close: () => database.close(),
  };
}
