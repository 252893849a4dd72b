import { testDialect } from "../support/databases.js";
import { describeCatalogStatusStoreContract } from "./catalog-status.contract.js";
import { openSqlCatalogStores } from "./catalog-sql-stores.js";

describeCatalogStatusStoreContract(testDialect, openSqlCatalogStores);
