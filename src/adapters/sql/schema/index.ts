import type { CatalogTables } from "./catalog.js";
import type { PlaylistTables } from "./playlists.js";
import type { SocialTables } from "./social.js";

/** Every table Verso keeps, as Kysely sees them. Each domain adds its tables in a file of its own. */
export type Database = CatalogTables & SocialTables & PlaylistTables;
