import { testDialect } from "../support/databases.js";
import { describeSongStoreContract } from "./catalog-songs.contract.js";
import { openSqlCatalogStores } from "./catalog-sql-stores.js";

describeSongStoreContract(testDialect, openSqlCatalogStores);
