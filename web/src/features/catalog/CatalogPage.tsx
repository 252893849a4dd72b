import { useTranslation } from "react-i18next";
import { errorText } from "../../i18n/error-text.js";
import { formatNumber } from "../../i18n/format.js";
import { PageHeading } from "../../ui/PageHeading.js";
import { Empty, ErrorState, Loading } from "../../ui/states.js";
import { CatalogObjectCard } from "./CatalogObjectCard.js";
import { IngestProgress } from "./IngestProgress.js";
import { ScanButton } from "./ScanButton.js";
import { useIngestWatch } from "./useIngestWatch.js";

export function CatalogPage() {
  const { t } = useTranslation();
  const catalog = useIngestWatch();
  return (
    <div>
      <PageHeading title={t("catalog.title")} />
      <p className="lead">{t("catalog.intro")}</p>
      {catalog.isPending ? (
        <Loading />
      ) : catalog.isError && !catalog.data ? (
        <ErrorState error={catalog.error} onRetry={() => void catalog.refetch()} />
      ) : catalog.data ? (
        <>
          {catalog.isError && (
            <p className="banner banner-warning" role="status">
              {t("catalog.stale", { reason: errorText(t, catalog.error) })}
            </p>
          )}
          <dl className="stats">
            {(
              [
                ["catalog.songs", catalog.data.songs],
                ["catalog.songsIndexed", catalog.data.songsWithPassages],
                ["catalog.passages", catalog.data.passages],
                ["catalog.objectsDone", catalog.data.objects.done],
                ["catalog.objectsFailed", catalog.data.objects.failed],
                ["catalog.objectsReading", catalog.data.objects.processing],
                ["catalog.objectsWaiting", catalog.data.objects.queued],
              ] as const
            ).map(([label, value]) => (
              <div key={label} className="stat">
                <dt>{t(label)}</dt>
                <dd>{formatNumber(value)}</dd>
              </div>
            ))}
          </dl>
          <section aria-labelledby="catalog-ingest" className="card">
            <h2 id="catalog-ingest">
              {catalog.data.ingest ? t("catalog.ingestRunning") : t("catalog.ingestIdle")}
            </h2>
            {catalog.data.ingest ? (
              <IngestProgress run={catalog.data.ingest} label={t("catalog.ingestProgress")} />
            ) : (
              <p className="muted">{t("catalog.ingestIdleBody")}</p>
            )}
            <ScanButton />
          </section>
          <section aria-labelledby="catalog-objects">
            <h2 id="catalog-objects">{t("catalog.objects")}</h2>
            {catalog.data.items.length === 0 ? (
              <Empty>{t("catalog.noObjects")}</Empty>
            ) : (
              <ul className="list">
                {catalog.data.items.map((item) => (
                  <li key={item.id}>
                    <CatalogObjectCard item={item} />
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      ) : null}
    </div>
  );
}
