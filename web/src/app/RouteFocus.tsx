import { useEffect, useRef } from "react";
import { useLocation } from "react-router";

/**
 * After moving to another page, focus goes to its heading, as a full page load would put a
 * screen reader at the top of the new page. The first load keeps the browser's own focus.
 */
export function RouteFocus() {
  const { pathname } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const frame = requestAnimationFrame(() => {
      const heading = document.querySelector<HTMLElement>("main h1");
      (heading ?? document.querySelector<HTMLElement>("main"))?.focus({ preventScroll: true });
    });
    return () => cancelAnimationFrame(frame);
  }, [pathname]);
  return null;
}
