import { useTranslation } from "react-i18next";
import { useLocation } from "react-router";

export type Notice = "accountDeleted" | "signedOut";

/** A one-time message carried by a navigation (after signing out, after deleting the account). */
export function FlashNotice() {
  const { t } = useTranslation();
  const notice = (useLocation().state as { notice?: Notice } | null)?.notice;
  if (!notice) return null;
  return (
    <p className="banner banner-info" role="status">
      {t(`layout.notice.${notice}`)}
    </p>
  );
}
