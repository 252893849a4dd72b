/**
 * A song: its artists (each a link to their songs), its mood, where to listen to it, its lyrics
 * and the songs like it.
 * Reached from an answer, the address carries the passage that matched (`?passage=` its
 * position) and the answer (`?from=`), so the passage is marked and the answer is one link away,
 * after a reload too.
 */
import { useTranslation } from "react-i18next";
import { Link, useLocation, useNavigate, useParams, useSearchParams } from "react-router";
import { usePassage, useSong } from "../../api/songs.js";
import { PageHeading } from "../../ui/PageHeading.js";
import { ErrorState, Loading } from "../../ui/states.js";
import { safePath } from "../../app/safe-path.js";
import { ArtistLinks } from "./ArtistLinks.js";
import { ListenLinks, listenLinksOf } from "./ListenLinks.js";
import { Lyrics } from "./Lyrics.js";
import { MoodGlance } from "./MoodGlance.js";
import { SimilarSongs } from "./SimilarSongs.js";

/** The answer or prompt the song was opened from, when it is a page of this app. */
function useFrom(): string | null {
  return safePath(useSearchParams()[0].get("from"));
}

function BackLink({ from }: { from: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const openedFromIt = (useLocation().state as { fromAnswer?: boolean } | null)?.fromAnswer === true;
  return (
    <p className="back">
      <Link
        to={from}
        onClick={(event) => {
          // Opened from the answer in this tab: going back keeps its place on the page.
          if (!openedFromIt) return;
          event.preventDefault();
          void navigate(-1);
        }}
      >
        <span aria-hidden="true">← </span>
        {from.startsWith("/prompts/") ? t("songs.backToPrompt") : t("songs.backToAnswer")}
      </Link>
    </p>
  );
}

export function SongPage() {
  const { t } = useTranslation();
  const id = useParams().id ?? "";
  const [params] = useSearchParams();
  const ordinal = /^\d{1,6}$/.test(params.get("passage") ?? "") ? Number(params.get("passage")) : null;
  const from = useFrom();
  const song = useSong(id);
  const passage = usePassage(id, ordinal);
  if (song.isPending) return <Loading />;
  if (song.isError)
    return (
      <>
        {from && <BackLink from={from} />}
        <PageHeading title={t("songs.pageTitle")} />
        <ErrorState error={song.error} onRetry={() => void song.refetch()} />
      </>
    );
  const { title, artists, album, releaseDate, genre } = song.data;
  return (
    <article className="song-page">
      {from && <BackLink from={from} />}
      <PageHeading title={title} />
      <p className="song-meta lead">
        <ArtistLinks artists={artists} />
        {album && <> · {album}</>}
        {releaseDate && <> · {releaseDate.slice(0, 4)}</>}
        {genre && <> · {genre}</>}
      </p>
      <MoodGlance features={song.data.features} />
      {listenLinksOf(song.data).length > 0 && (
        <section aria-labelledby="song-listen">
          <h2 id="song-listen">{t("listen.label")}</h2>
          <ListenLinks song={song.data} />
        </section>
      )}
      <section aria-labelledby="song-lyrics">
        <h2 id="song-lyrics">{t("songs.lyrics")}</h2>
        {passage.data && <p className="muted">{t("songs.passageShown")}</p>}
        <Lyrics songId={id} {...(passage.data ? { passage: passage.data.text } : {})} />
      </section>
      <section aria-labelledby="song-similar">
        <h2 id="song-similar">{t("songs.similar")}</h2>
        <SimilarSongs songId={id} />
      </section>
    </article>
  );
}
