import { useTranslation } from "react-i18next";
import type { IngestRun } from "../../api/catalog.js";
import { formatNumber, formatPercent } from "../../i18n/format.js";

/** A progress bar with the run's numbers, for the catalog page and the answers alike. */
export function IngestProgress({ run, label }: { run: IngestRun; label: string }) {
  const { t } = useTranslation();
  return (
    <div className="ingest-progress">
      <progress max={1} value={run.progress} aria-label={label} data-progress={run.progress.toFixed(4)}>
        {formatPercent(run.progress)}
      </progress>
      <p className="ingest-numbers">
        {t("catalog.runNumbers", {
          percent: formatPercent(run.progress),
          done: formatNumber(run.objects.done),
          total: formatNumber(run.objects.total),
          songs: formatNumber(run.songs),
          count: run.songs,
        })}
      </p>
    </div>
  );
}
