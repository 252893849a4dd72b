import { testDialect } from "../support/databases.js";
import { describeCatalogChangeLogContract } from "./catalog-change-log.contract.js";
import { openSqlCatalogStores } from "./catalog-sql-stores.js";

describeCatalogChangeLogContract(testDialect, openSqlCatalogStores);
