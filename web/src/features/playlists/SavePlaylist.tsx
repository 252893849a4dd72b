/**
 * "Save as playlist" beside an answer: its M3U8 and XSPF files to download, and, when the
 * catalog comes from a music server, the answer saved as my playlist there (with my account
 * there, set up on my account's page).
 */
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import {
  playlistFormats,
  playlistUrl,
  serverName,
  useMusicServer,
  useSaveServerPlaylist,
  type PlaylistSource,
} from "../../api/playlists.js";
import { useSession } from "../../api/session.js";
import { errorText } from "../../i18n/error-text.js";

const formatNames = { m3u8: "M3U8", xspf: "XSPF" } as const;

function SaveToServer({ source }: { source: PlaylistSource }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const account = useMusicServer(user !== null);
  const save = useSaveServerPlaylist();
  const server = account.data?.server;
  if (!user || !server) return null;
  const name = serverName(server);
  if (!account.data?.username) {
    return (
      <p className="muted">
        <Link to="/me#music-server">{t("playlist.setUp", { server: name })}</Link>
      </p>
    );
  }
  return (
    <>
      <button
        type="button"
        className="button"
        aria-disabled={save.isPending}
        onClick={() => {
          if (!save.isPending) save.mutate(source);
        }}
      >
        {save.isPending ? t("playlist.saving") : t("playlist.saveTo", { server: name })}
      </button>
      <p role="status">
        {save.isSuccess
          ? t(save.data.created ? "playlist.savedTo" : "playlist.updatedOn", {
              server: name,
              count: save.data.songIds.length,
            })
          : null}
      </p>
      {save.isError && (
        <p className="form-error" role="alert">
          {errorText(t, save.error)}
        </p>
      )}
    </>
  );
}

export function SavePlaylist({ source }: { source: PlaylistSource }) {
  const { t } = useTranslation();
  return (
    <details className="save-playlist">
      <summary className="button">{t("playlist.save")}</summary>
      <div className="save-playlist-menu">
        {playlistFormats.map((format) => (
          <a key={format} className="button" href={playlistUrl(source, format)} download>
            {t("playlist.download", { format: formatNames[format] })}
          </a>
        ))}
        <SaveToServer source={source} />
      </div>
    </details>
  );
}
