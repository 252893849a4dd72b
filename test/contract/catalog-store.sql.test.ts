import { createSqlCatalogStore } from "../../src/adapters/sql/catalog-store.js";
import { createSqlSongStore } from "../../src/adapters/sql/song-store.js";
import { openTestDatabase, testDialect } from "../support/databases.js";
import { describeCatalogStoreContract } from "./catalog-store.contract.js";

describeCatalogStoreContract(testDialect, async () => {
  const database = await openTestDatabase();
  return {
    catalog: createSqlCatalogStore(database),
    songs: createSqlSongStore(database),
    close: () => database.close(),
  };
});
