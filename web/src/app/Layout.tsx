import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, NavLink, Outlet, ScrollRestoration, useLocation, useNavigation } from "react-router";
import { OfflineBanner } from "../ui/OfflineBanner.js";
import { FlashNotice } from "./FlashNotice.js";
import { LanguageSwitch } from "./LanguageSwitch.js";
import { RouteFocus } from "./RouteFocus.js";
import { SessionMenu } from "./SessionMenu.js";
import { useFoldedNav } from "./useFoldedNav.js";

const sections = [
  ["/", "layout.ask"],
  ["/prompts", "layout.prompts"],
  ["/feed", "layout.feed"],
  ["/people", "layout.people"],
  ["/catalog", "layout.catalog"],
] as const;

/**
 * The sections on one row; where they do not fit, behind a Menu button that opens them one
 * under the other and closes on a choice or Escape.
 */
function SiteNav() {
  const { t } = useTranslation();
  const nav = useRef<HTMLElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);
  const folded = useFoldedNav(nav);
  const [open, setOpen] = useState(false);
  const listId = useId();
  const { pathname } = useLocation();
  useEffect(() => setOpen(false), [pathname, folded]);
  return (
    <nav
      ref={nav}
      aria-label={t("layout.sections")}
      className={folded ? "site-nav site-nav-folded" : "site-nav"}
      onKeyDown={(event) => {
        if (event.key === "Escape" && open) {
          setOpen(false);
          toggle.current?.focus();
        }
      }}
    >
      {folded && (
        <button
          ref={toggle}
          type="button"
          className="button button-quiet nav-toggle"
          aria-expanded={open}
          aria-controls={listId}
          onClick={() => setOpen((now) => !now)}
        >
          <span aria-hidden="true">☰</span> {t("layout.menu")}
        </button>
      )}
      <ul
        id={listId}
        className="site-nav-row"
        data-open={folded ? open : undefined}
        onClick={(event) => {
          // A choice closes the menu, the page already shown included.
          if (event.target instanceof Element && event.target.closest("a")) setOpen(false);
        }}
      >
        {sections.map(([to, label]) => (
          <li key={to}>
            <NavLink to={to} end={to === "/"} className="nav-link">
              {t(label)}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

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
          <SiteNav />
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
