import { testDialect } from "../support/databases.js";
import { describeIngestRunStoreContract } from "./catalog-ingest-runs.contract.js";
import { openSqlCatalogStores } from "./catalog-sql-stores.js";

describeIngestRunStoreContract(testDialect, openSqlCatalogStores);
