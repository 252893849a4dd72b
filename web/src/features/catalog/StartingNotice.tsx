import { useTranslation } from "react-i18next";

/** Said while the server answers and its roles are still starting: the page works in a moment. */
export function StartingNotice({ starting }: { starting: boolean }) {
  const { t } = useTranslation();
  if (!starting) return null;
  return (
    <section className="banner banner-info" role="status" aria-labelledby="starting-notice-title">
      <h2 id="starting-notice-title" className="banner-title">
        {t("starting.title")}
      </h2>
      <p>{t("starting.body")}</p>
    </section>
  );
}
