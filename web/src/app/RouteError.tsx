import { useTranslation } from "react-i18next";
import { useRouteError } from "react-router";

/**
 * When a page itself fails: most often its code could not be loaded (offline, or a new release
 * replaced it), which a reload fixes.
 */
export function RouteError() {
  const { t } = useTranslation();
  const error = useRouteError();
  const chunkFailed = error instanceof TypeError && /dynamically imported module|import/i.test(error.message);
  return (
    <main id="main" className="site-main narrow">
      <h1>{t("routeError.title")}</h1>
      <p>{chunkFailed ? t("routeError.chunk") : t("routeError.body")}</p>
      <p>
        <button type="button" className="button button-primary" onClick={() => window.location.reload()}>
          {t("routeError.reload")}
        </button>
      </p>
    </main>
  );
}
