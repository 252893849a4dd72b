import { testDialect } from "../support/databases.js";
import { describeReembeddingStoreContract } from "./catalog-reembedding.contract.js";
import { openSqlCatalogStores } from "./catalog-sql-stores.js";

describeReembeddingStoreContract(testDialect, openSqlCatalogStores);
