import type { Migration } from "kysely";
import * as catalog from "./2026-11-27-0001-catalog.js";
import * as accountsSocial from "./2026-11-27-0002-accounts-social.js";
import * as songVocabulary from "./2026-11-27-0003-song-vocabulary.js";

/** Every migration, by name; names sort in the order they run. */
export const migrations: Record<string, Migration> = {
  "2026-11-27-0001-catalog": catalog,
  "2026-11-27-0002-accounts-social": accountsSocial,
  "2026-11-27-0003-song-vocabulary": songVocabulary,
};
