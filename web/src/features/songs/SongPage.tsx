import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { useSong } from "../../api/songs.js";
import { PageHeading } from "../../ui/PageHeading.js";
import { ErrorState, Loading } from "../../ui/states.js";
import { Lyrics } from "./Lyrics.js";
import { MoodGlance } from "./MoodGlance.js";
import { SimilarSongs } from "./SimilarSongs.js";

export function SongPage() {
  const { t } = useTranslation();
  const id = useParams().id ?? "";
  const song = useSong(id);
  if (song.isPending) return <Loading />;
  if (song.isError)
    return (
      <>
        <PageHeading title={t("songs.pageTitle")} />
        <ErrorState error={song.error} onRetry={() => void song.refetch()} />
      </>
    );
  const { title, artists, album, releaseDate, genre } = song.data;
  return (
    <article className="song-page">
      <PageHeading title={title} />
      <p className="song-meta lead">
        {artists.join(", ")}
        {album && <> · {album}</>}
        {releaseDate && <> · {releaseDate.slice(0, 4)}</>}
        {genre && <> · {genre}</>}
      </p>
      <MoodGlance features={song.data.features} />
      <section aria-labelledby="song-lyrics">
        <h2 id="song-lyrics">{t("songs.lyrics")}</h2>
        <Lyrics songId={id} />
      </section>
      <section aria-labelledby="song-similar">
        <h2 id="song-similar">{t("songs.similar")}</h2>
        <SimilarSongs songId={id} />
      </section>
    </article>
  );
}
