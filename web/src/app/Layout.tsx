import { useTranslation } from "react-i18next";
import { Link, NavLink, Outlet, ScrollRestoration, useNavigation } from "react-router";
import { OfflineBanner } from "../ui/OfflineBanner.js";
import { FlashNotice } from "./FlashNotice.js";
import { LanguageSwitch } from "./LanguageSwitch.js";
import { RouteFocus } from "./RouteFocus.js";
import { SessionMenu } from "./SessionMenu.js";

const sections = [
  ["/", "layout.ask"],
  ["/prompts", "layout.prompts"],
  ["/feed", "layout.feed"],
  ["/people", "layout.people"],
  ["/catalog", "layout.catalog"],
] as const;

export function Layout() {
  const { t } = useTranslation();
  const navigation = useNavigation();
  return (
    <>
      <a className="skip-link" href="#main">
        {t("layout.skip")}
      </a>
      <header className="site-header">
        <div className="site-header-inner">
          <Link to="/" className="brand">
            <span aria-hidden="true" className="brand-mark">
              ❝
            </span>
            Verso
          </Link>
          <nav aria-label={t("layout.sections")} className="site-nav">
            <ul>
              {sections.map(([to, label]) => (
                <li key={to}>
                  <NavLink to={to} end={to === "/"} className="nav-link">
                    {t(label)}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <SessionMenu />
        </div>
        {navigation.state === "loading" && (
          <div className="page-loading" role="progressbar" aria-label={t("common.loading")} />
        )}
      </header>
      <OfflineBanner />
      <main id="main" tabIndex={-1} className="site-main">
        <FlashNotice />
        <Outlet />
      </main>
      <footer className="site-footer">
        <LanguageSwitch />
        <p>
          <a href="/api/docs">{t("layout.apiDocs")}</a>
        </p>
      </footer>
      <RouteFocus />
      <ScrollRestoration />
    </>
  );
}
