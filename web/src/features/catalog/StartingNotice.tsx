import { useTranslation } from "react-i18next";
import { isStarting } from "../../api/catalog.js";

/** Said while the server answers and its roles are still starting: the page works in a moment. */
export function StartingNotice({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!isStarting(error)) return null;
  return (
    <section className="banner banner-info" role="status" aria-labelledby="starting-notice-title">
      <h2 id="starting-notice-title" className="banner-title">
        {t("starting.title")}
      </h2>
      <p>{t("starting.body")}</p>
    </section>
  );
}
