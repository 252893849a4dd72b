import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation } from "react-router";
import { useSession } from "../../api/session.js";
import { Loading } from "../../ui/states.js";

/** Pages that are about "me": without a session they say how to get one, then come back. */
export function RequireSignIn({ children, reason }: { children: ReactNode; reason: string }) {
  const { t } = useTranslation();
  const { user, isPending } = useSession();
  const location = useLocation();
  if (isPending) return <Loading />;
  if (user) return <>{children}</>;
  const next = encodeURIComponent(`${location.pathname}${location.search}`);
  return (
    <div className="state state-empty">
      <p>{reason}</p>
      <p>
        <Link className="button button-primary" to={`/signin?next=${next}`}>
          {t("auth.signIn")}
        </Link>{" "}
        <Link className="button" to={`/signup?next=${next}`}>
          {t("auth.signUp")}
        </Link>
      </p>
    </div>
  );
}
