import { useLayoutEffect, useState, type RefObject } from "react";

/**
 * Whether the navigation's links fit on one row of the navigation's width: when they do not (a
 * phone, a language with longer words), the navigation folds behind one button rather than
 * wrap onto a second row. Measured, not guessed from a breakpoint, so English on a phone keeps
 * its row while Spanish folds. The links keep their layout while folded (hidden, not removed),
 * so their width is known in both states, and a change of language is seen as a resize.
 */
export function useFoldedNav(nav: RefObject<HTMLElement | null>): boolean {
  const [folded, setFolded] = useState(false);
  useLayoutEffect(() => {
    const element = nav.current;
    if (!element || typeof ResizeObserver === "undefined") return;
    const measure = () => {
      const links = [...element.querySelectorAll<HTMLElement>(".site-nav-row .nav-link")];
      const row = element.querySelector<HTMLElement>(".site-nav-row");
      const gap = row ? parseFloat(getComputedStyle(row).columnGap) || 0 : 0;
      const needed =
        links.reduce((sum, link) => sum + link.offsetWidth, 0) + gap * Math.max(0, links.length - 1);
      setFolded(needed > element.clientWidth);
    };
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    for (const link of element.querySelectorAll(".site-nav-row .nav-link")) observer.observe(link);
    measure();
    return () => observer.disconnect();
  }, [nav]);
  return folded;
}
