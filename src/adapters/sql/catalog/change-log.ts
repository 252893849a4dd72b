/**
 * The catalog's change log on SQL: passages added carry the catalog version that added them,
 * passages removed leave a tombstone (catalog_removals) under the version that removed them.
 * A vector index follows the catalog by reading what changed after the version it holds.
 */
import { sql } from "kysely";
import type { CatalogChangeLog, CatalogChanges, PassageVector } from "../../../core/catalog/store.js";
import { transaction, type SqlContext } from "../dialect-sql.js";
import { decodeVector } from "../vector-codec.js";
import { currentVersion } from "./catalog-version.js";
import { recordedModelId } from "./model-ids.js";
import { attributeColumns, toAttributes } from "./song-rows.js";

const PASSAGES_PER_BATCH = 2048;

export function createSqlCatalogChangeLog({ db }: SqlContext): CatalogChangeLog {
  /** The model's passages by id, in batches; only those added after `sinceVersion` when given. */
  async function* passageVectors(
    model: string,
    batchSize: number,
    sinceVersion: number | null,
  ): AsyncGenerator<PassageVector[]> {
    const modelId = await recordedModelId(db, model);
    if (modelId === undefined) return;
    for (let after = 0; ;) {
      let query = db
        .selectFrom("passages as p")
        .innerJoin("songs as s", "s.id", "p.song_id")
        .select(["p.id", "p.vector", ...attributeColumns])
        .where("p.model_id", "=", modelId)
        .where("p.id", ">", after);
      if (sinceVersion !== null) query = query.where("p.catalog_version", ">", sinceVersion);
      const rows = await query.orderBy("p.id").limit(batchSize).execute();
      if (rows.length === 0) return;
      yield rows.map((r) => ({ id: r.id, vector: decodeVector(r.vector), song: toAttributes(r) }));
      after = rows[rows.length - 1]!.id;
    }
  }

  return {
    catalogVersion: () => currentVersion(db),

    streamPassageVectors: (model, batchSize = PASSAGES_PER_BATCH) => passageVectors(model, batchSize, null),

    async changesSince(catalogVersion, model): Promise<CatalogChanges | null> {
      const state = await db
        .selectFrom("catalog_state")
        .select(["version", "log_since"])
        .where("id", "=", 1)
        .executeTakeFirstOrThrow();
      const current = Number(state.version);
      if (catalogVersion < Number(state.log_since) || catalogVersion > current) return null;
      const removed = await db
        .selectFrom("catalog_removals")
        .select("passage_id")
        .where("catalog_version", ">", catalogVersion)
        .where("catalog_version", "<=", current)
        .execute();
      return {
        catalogVersion: current,
        removed: removed.map((r) => r.passage_id),
        added: passageVectors(model, PASSAGES_PER_BATCH, catalogVersion),
      };
    },

    async pruneChanges(keepVersions) {
      const cutoff = (await currentVersion(db)) - keepVersions;
      if (cutoff <= 0) return;
      await transaction(db, async (trx) => {
        await trx.deleteFrom("catalog_removals").where("catalog_version", "<=", cutoff).execute();
        await trx
          .updateTable("catalog_state")
          .set((eb) => ({
            log_since: sql`CASE WHEN ${eb.ref("log_since")} < ${cutoff} THEN ${cutoff} ELSE ${eb.ref("log_since")} END`,
          }))
          .where("id", "=", 1)
          .execute();
      });
    },
  };
}
