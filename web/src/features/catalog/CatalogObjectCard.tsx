import { useTranslation } from "react-i18next";
import type { CatalogObject } from "../../api/catalog.js";
import { formatNumber, formatPercent } from "../../i18n/format.js";

type RowReport = CatalogObject["rowErrors"][number];

/** Reports of one kind, each on its line. */
function ReportList({ reports }: { reports: RowReport[] }) {
  const { t } = useTranslation();
  return (
    <ul>
      {reports.map((row) => (
        <li key={`${row.line}-${row.reason}`}>
          {t("catalog.badRow", { line: formatNumber(row.line), reason: row.reason })}
        </li>
      ))}
    </ul>
  );
}

/**
 * One file of the bucket: how far it got, what it holds, and what went wrong: the rows that
 * could not be read (skipped), and the rows kept with a value changed or left out.
 */
export function CatalogObjectCard({ item }: { item: CatalogObject }) {
  const { t } = useTranslation();
  const name = item.key.split("/").pop() ?? item.key;
  const skipped = item.rowErrors.filter((row) => row.kind === "skipped");
  const changed = item.rowErrors.filter((row) => row.kind === "changed");
  const changedShown = new Set(changed.map((row) => row.line)).size;
  return (
    <article className={`card catalog-object status-${item.status}`}>
      <header className="catalog-object-header">
        <h3 className="catalog-object-name" title={item.key}>
          {name}
        </h3>
        <span className={`badge badge-${item.status}`}>{t(`catalog.status.${item.status}`)}</span>
      </header>
      {item.status === "processing" && (
        <progress max={1} value={item.progress} aria-label={t("catalog.objectProgress", { name })}>
          {formatPercent(item.progress)}
        </progress>
      )}
      <p className="catalog-object-counts">
        {[
          t("catalog.countSongs", { count: item.songs, formatted: formatNumber(item.songs) }),
          t("catalog.countPassages", { count: item.passages, formatted: formatNumber(item.passages) }),
          t("catalog.countSkipped", { formatted: formatNumber(item.skipped) }),
          t("catalog.countBadRows", { count: item.errors, formatted: formatNumber(item.errors) }),
          ...(item.changed > 0
            ? [t("catalog.countChanged", { count: item.changed, formatted: formatNumber(item.changed) })]
            : []),
        ].join(" · ")}
        {item.songsPerSecond !== null && item.songs > 0 && (
          <>
            {" "}
            · {t("catalog.rate", { rate: formatNumber(item.songsPerSecond, { maximumFractionDigits: 1 }) })}
          </>
        )}
      </p>
      {item.error && (
        <p className="catalog-object-error">
          <strong>{t("catalog.failedBecause")}</strong> {item.error}
        </p>
      )}
      {skipped.length > 0 && (
        <details className="row-errors">
          <summary>
            {t("catalog.badRows", { count: item.errors, formatted: formatNumber(item.errors) })}
          </summary>
          <ReportList reports={skipped} />
          {item.errors > skipped.length && (
            <p className="muted">{t("catalog.moreBadRows", { shown: skipped.length, total: item.errors })}</p>
          )}
        </details>
      )}
      {changed.length > 0 && (
        <details className="row-errors row-changes">
          <summary>
            {t("catalog.changedRows", { count: item.changed, formatted: formatNumber(item.changed) })}
          </summary>
          <ReportList reports={changed} />
          {item.changed > changedShown && (
            <p className="muted">{t("catalog.moreChangedRows", { shown: changedShown })}</p>
          )}
        </details>
      )}
    </article>
  );
}
