import { createSqlCatalogStore } from "../../src/adapters/sql/catalog-store.js";
import { openDatabase } from "../../src/adapters/sql/database.js";
import { createSqlSongStore } from "../../src/adapters/sql/song-store.js";
import { describeCatalogStoreContract } from "./catalog-store.contract.js";

describeCatalogStoreContract("SQLite", async () => {
  const database = await openDatabase("sqlite::memory:");
  return {
    catalog: createSqlCatalogStore(database.db),
    songs: createSqlSongStore(database.db),
    close: () => database.close(),
  };
});
