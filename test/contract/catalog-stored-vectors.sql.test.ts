import { testDialect } from "../support/databases.js";
import { openSqlCatalogStores } from "./catalog-sql-stores.js";
import { describeStoredVectorsContract } from "./catalog-stored-vectors.contract.js";

describeStoredVectorsContract(testDialect, openSqlCatalogStores);
