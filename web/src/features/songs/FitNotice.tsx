import { useTranslation } from "react-i18next";
import type { AskResponse } from "../../api/types.js";

/** Said above an answer whose best song does not fit well: the songs are the closest, not a match. */
export function FitNotice({ fit }: { fit: AskResponse["fit"] | undefined }) {
  const { t } = useTranslation();
  if (fit !== "none" && fit !== "weak") return null;
  return (
    <p className="banner banner-warning fit-notice" data-fit={fit}>
      {fit === "none" ? t("ask.fitNone") : t("ask.fitWeak")}
    </p>
  );
}
