import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { useDeleteAccount } from "../../api/me.js";
import { errorText } from "../../i18n/error-text.js";
import { ConfirmDialog } from "../../ui/ConfirmDialog.js";
import { TextField } from "../../ui/Field.js";

/** Deleting the account asks twice: a confirmation, and the password. */
export function DeleteAccount() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const remove = useDeleteAccount();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState("");
  return (
    <section aria-labelledby="me-delete" className="danger-zone">
      <h2 id="me-delete">{t("me.deleteTitle")}</h2>
      <p>{t("me.deleteBody")}</p>
      <button type="button" className="button button-danger" onClick={() => setOpen(true)}>
        {t("me.deleteAccount")}
      </button>
      <ConfirmDialog
        open={open}
        title={t("me.deleteConfirmTitle")}
        confirmLabel={t("me.deleteForever")}
        busy={remove.isPending}
        onCancel={() => {
          setOpen(false);
          setPassword("");
          remove.reset();
        }}
        onConfirm={() =>
          remove.mutate(
            { password },
            { onSuccess: () => void navigate("/", { replace: true, state: { notice: "accountDeleted" } }) },
          )
        }
      >
        <p>{t("me.deleteConfirmBody")}</p>
        <TextField
          label={t("me.currentPassword")}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={remove.error ? errorText(t, remove.error) : null}
        />
      </ConfirmDialog>
    </section>
  );
}
