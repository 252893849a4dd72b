import { useTranslation } from "react-i18next";
import { useScan } from "../../api/catalog.js";
import { useSession } from "../../api/session.js";
import { formatNumber } from "../../i18n/format.js";
import { InlineError } from "../../ui/states.js";

/**
 * "Scan now" lists the bucket at once instead of at the next crawl: for administrators only, so
 * nobody else is offered a button that can only be refused. A visitor is told who may scan.
 */
export function ScanButton() {
  const { t } = useTranslation();
  const { user, isAdmin } = useSession();
  const scan = useScan();
  if (!user) return <p className="muted">{t("catalog.scanSignIn")}</p>;
  if (!isAdmin) return null;
  return (
    <div className="scan">
      <button
        type="button"
        className="button button-primary"
        disabled={scan.isPending}
        onClick={() => scan.mutate()}
      >
        {scan.isPending ? t("catalog.scanning") : t("catalog.scan")}
      </button>
      {scan.isSuccess && (
        <p role="status">
          {t("catalog.scanned", {
            listed: formatNumber(scan.data.listed),
            queued: formatNumber(scan.data.queued),
            count: scan.data.queued,
          })}
        </p>
      )}
      <InlineError error={scan.error} />
    </div>
  );
}
