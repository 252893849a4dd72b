import { onlineManager } from "@tanstack/react-query";
import { useSyncExternalStore } from "react";
import { useTranslation } from "react-i18next";

/** The query library pauses requests while offline; this says so instead of spinning. */
export function OfflineBanner() {
  const { t } = useTranslation();
  const online = useSyncExternalStore(
    (notify) => onlineManager.subscribe(notify),
    () => onlineManager.isOnline(),
  );
  if (online) return null;
  return (
    <p className="banner banner-warning banner-page" role="status">
      {t("errors.offlineBanner")}
    </p>
  );
}
