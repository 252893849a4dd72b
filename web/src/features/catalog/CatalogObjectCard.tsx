import { useTranslation } from "react-i18next";
import type { CatalogObject } from "../../api/catalog.js";
import { formatNumber, formatPercent } from "../../i18n/format.js";

/** One file of the bucket: how far it got, what it holds, and what went wrong. */
export function CatalogObjectCard({ item }: { item: CatalogObject }) {
  const { t } = useTranslation();
  const name = item.key.split("/").pop() ?? item.key;
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
      {item.rowErrors.length > 0 && (
        <details className="row-errors">
          <summary>
            {t("catalog.badRows", { count: item.errors, formatted: formatNumber(item.errors) })}
          </summary>
          <ul>
            {item.rowErrors.map((row) => (
              <li key={`${row.line}-${row.reason}`}>
                {t("catalog.badRow", { line: formatNumber(row.line), reason: row.reason })}
              </li>
            ))}
          </ul>
          {item.errors > item.rowErrors.length && (
            <p className="muted">
              {t("catalog.moreBadRows", { shown: item.rowErrors.length, total: item.errors })}
            </p>
          )}
        </details>
      )}
    </article>
  );
}
