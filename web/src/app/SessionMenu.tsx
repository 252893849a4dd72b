import { useTranslation } from "react-i18next";
import { Link, NavLink, useNavigate } from "react-router";
import { useSession, useSignOut } from "../api/session.js";

export function SessionMenu() {
  const { t } = useTranslation();
  const { user, isPending } = useSession();
  const signOut = useSignOut();
  const navigate = useNavigate();
  if (isPending) return <div className="session" aria-hidden="true" />;
  if (!user) {
    return (
      <div className="session">
        <NavLink to="/signin" className="nav-link">
          {t("auth.signIn")}
        </NavLink>
        <Link to="/signup" className="button button-primary button-small">
          {t("auth.signUp")}
        </Link>
      </div>
    );
  }
  return (
    <div className="session">
      <NavLink to="/me" className="nav-link" aria-label={t("layout.myAccount", { username: user.username })}>
        @{user.username}
      </NavLink>
      <button
        type="button"
        className="button button-small"
        disabled={signOut.isPending}
        onClick={() =>
          signOut.mutate(undefined, {
            onSuccess: () => void navigate("/", { state: { notice: "signedOut" } }),
          })
        }
      >
        {t("auth.signOut")}
      </button>
    </div>
  );
}
