import { testDialect } from "../support/databases.js";
import { describeCatalogObjectStoreContract } from "./catalog-objects.contract.js";
import { openSqlCatalogStores } from "./catalog-sql-stores.js";

describeCatalogObjectStoreContract(testDialect, openSqlCatalogStores);
