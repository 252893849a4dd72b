import { useTranslation } from "react-i18next";
import { useScan } from "../../api/catalog.js";
import { useSession } from "../../api/session.js";
import { formatNumber } from "../../i18n/format.js";
import { InlineError } from "../../ui/states.js";

/**
 * "Scan now" lists the bucket at once instead of at the next crawl. The API does not say who
 * is an administrator, so every signed-in person sees the button and others are told why not.
 */
export function ScanButton() {
  const { t } = useTranslation();
  const { user } = useSession();
  const scan = useScan();
  if (!user) return <p className="muted">{t("catalog.scanSignIn")}</p>;
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
