import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { CatalogOverview } from "../../api/catalog.js";
import { IngestProgress } from "./IngestProgress.js";

/** Said above answers while the catalog is still being filled: they may not be final. */
export function IngestNotice({ catalog }: { catalog: CatalogOverview | undefined }) {
  const { t } = useTranslation();
  if (!catalog?.ingest) return null;
  return (
    <section className="banner banner-info ingest-notice" aria-labelledby="ingest-notice-title">
      <h2 id="ingest-notice-title" className="banner-title">
        {t("ingest.title")}
      </h2>
      <p>{catalog.songsWithPassages === 0 ? t("ingest.emptySoFar") : t("ingest.partial")}</p>
      <IngestProgress run={catalog.ingest} label={t("ingest.progressLabel")} />
      <p>
        <Link to="/catalog">{t("ingest.details")}</Link>
      </p>
    </section>
  );
}
