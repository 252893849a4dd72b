import { useEffect, type ReactNode } from "react";

/**
 * The page's h1, which also names the browser tab. It can take focus, so that after a
 * navigation a screen reader starts reading at the new page (see RouteFocus).
 */
export function PageHeading({ title, children }: { title: string; children?: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · Verso`;
  }, [title]);
  return (
    <h1 tabIndex={-1} className="page-heading">
      {children ?? title}
    </h1>
  );
}
