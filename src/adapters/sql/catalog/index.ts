/** Every store of the catalog's write side over one SQL database, one file each. */
import type { CatalogStores } from "../../../core/catalog/store.js";
import type { SqlContext } from "../dialect-sql.js";
import { createSqlCatalogChangeLog } from "./change-log.js";
import { createSqlIngestRunStore } from "./ingest-run-store.js";
import { createSqlModelIds } from "./model-ids.js";
import { createSqlCatalogObjectStore } from "./object-store.js";
import { createSqlReembeddingStore } from "./reembedding-store.js";
import { createSqlCatalogStatusStore } from "./status-store.js";

export function createSqlCatalogStores(context: SqlContext): CatalogStores {
  const models = createSqlModelIds(context);
  return {
    objects: createSqlCatalogObjectStore(context),
    runs: createSqlIngestRunStore(context, models),
    status: createSqlCatalogStatusStore(context),
    changeLog: createSqlCatalogChangeLog(context),
    reembedding: createSqlReembeddingStore(context, models),
  };
}
