import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { useArtistSongs } from "../../api/songs.js";
import type { Song } from "../../api/types.js";
import { InfiniteList } from "../../ui/InfiniteList.js";
import { PageHeading } from "../../ui/PageHeading.js";

/** An artist: their songs in the catalog, newest first, a page at a time. */
export function ArtistPage() {
  const { t } = useTranslation();
  const name = useParams().name ?? "";
  const songs = useArtistSongs(name);
  return (
    <div className="artist-page">
      <p className="eyebrow">{t("artist.eyebrow")}</p>
      <PageHeading title={name} />
      <h2>{t("artist.songs")}</h2>
      <InfiniteList<Song>
        query={songs}
        label={t("artist.songsOf", { name })}
        itemKey={(song) => song.id}
        renderItem={(song) => (
          <article className="card artist-song">
            <h3 className="song-title">
              <Link to={`/songs/${encodeURIComponent(song.id)}`}>{song.title}</Link>
            </h3>
            {(song.releaseDate || song.album || song.genre) && (
              <p className="song-meta">
                {[song.releaseDate?.slice(0, 4), song.album, song.genre].filter(Boolean).join(" · ")}
              </p>
            )}
          </article>
        )}
        empty={<p>{t("artist.none")}</p>}
      />
    </div>
  );
}
