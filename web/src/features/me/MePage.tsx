import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useSession } from "../../api/session.js";
import { PageHeading } from "../../ui/PageHeading.js";
import { RequireSignIn } from "../session/RequireSignIn.js";
import { DeleteAccount } from "./DeleteAccount.js";
import { MusicServerForm } from "./MusicServerForm.js";
import { MyPrompts } from "./MyPrompts.js";
import { PasswordForm } from "./PasswordForm.js";
import { ProfileForm } from "./ProfileForm.js";
import { RenameForm } from "./RenameForm.js";

function Account() {
  const { t } = useTranslation();
  const { user } = useSession();
  if (!user) return null;
  return (
    <>
      <p className="lead">
        {t("me.signedInAs")} <Link to={`/people/${encodeURIComponent(user.username)}`}>@{user.username}</Link>
      </p>
      <div className="me-grid">
        <ProfileForm key={`profile-${user.id}`} me={user} />
        <RenameForm key={`rename-${user.id}`} me={user} />
        <PasswordForm />
        <MusicServerForm key={`music-server-${user.id}`} />
      </div>
      <MyPrompts me={user} />
      <DeleteAccount />
    </>
  );
}

export function MePage() {
  const { t } = useTranslation();
  return (
    <div>
      <PageHeading title={t("me.title")} />
      <RequireSignIn reason={t("me.signIn")}>
        <Account />
      </RequireSignIn>
    </div>
  );
}
