import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { PageHeading } from "../ui/PageHeading.js";

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <div className="narrow">
      <PageHeading title={t("notFound.title")} />
      <p>{t("notFound.body")}</p>
      <p>
        <Link to="/">{t("notFound.home")}</Link>
      </p>
    </div>
  );
}
