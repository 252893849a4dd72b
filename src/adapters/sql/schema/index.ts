import type { CatalogTables } from "./catalog.js";

/** Every table Verso keeps, as Kysely sees them. Each domain adds its tables in a file of its own. */
export type Database = CatalogTables;
