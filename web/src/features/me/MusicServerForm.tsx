/**
 * My account on the catalog's music server, for saving answers as playlists there: shown only
 * when the catalog comes from one. The server checks the account before it is kept; the
 * password is never shown again.
 */
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import {
  serverName,
  useForgetMusicServerAccount,
  useMusicServer,
  useSaveMusicServerAccount,
} from "../../api/playlists.js";
import { errorText } from "../../i18n/error-text.js";
import { TextField } from "../../ui/Field.js";

export function MusicServerForm() {
  const { t } = useTranslation();
  const account = useMusicServer(true);
  const save = useSaveMusicServerAccount();
  const forget = useForgetMusicServerAccount();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const server = account.data?.server;
  if (!server) return null;
  const name = serverName(server);
  const failure = save.error ?? forget.error;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ username, password }, { onSuccess: () => setPassword("") });
  };
  return (
    <form className="form" id="music-server" onSubmit={submit} aria-labelledby="me-music-server" noValidate>
      <h2 id="me-music-server">{t("me.musicServerTitle")}</h2>
      <p className="muted">{t("me.musicServerIntro", { server: name })}</p>
      {account.data?.username && (
        <p role="status">
          {t("me.musicServerSaved", { username: account.data.username, server: name })}{" "}
          <button
            type="button"
            className="button"
            onClick={() => forget.mutate()}
            disabled={forget.isPending}
          >
            {t("me.musicServerForget")}
          </button>
        </p>
      )}
      <TextField
        label={t("me.musicServerUsername")}
        name="musicServerUsername"
        autoComplete="off"
        value={username}
        onChange={(event) => setUsername(event.target.value)}
      />
      <TextField
        label={t("me.musicServerPassword")}
        name="musicServerPassword"
        type="password"
        autoComplete="off"
        value={password}
        onChange={(event) => setPassword(event.target.value)}
      />
      {failure && (
        <p className="form-error" role="alert">
          {errorText(t, failure)}
        </p>
      )}
      <button
        type="submit"
        className="button button-primary"
        disabled={save.isPending || username.trim() === "" || password === ""}
      >
        {t("me.musicServerSave")}
      </button>
    </form>
  );
}
