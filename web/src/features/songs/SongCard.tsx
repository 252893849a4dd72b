/**
 * One song of an answer: what it is, how well it fits, the passage that matched with the
 * prompt's words marked, its mood, and on demand its full lyrics, the songs like it and where to
 * listen to it.
 */
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { SongHit } from "../../api/types.js";
import { ArtistLinks } from "./ArtistLinks.js";
import { Highlighted } from "./Highlighted.js";
import { ListenLinks, listenLinksOf } from "./ListenLinks.js";
import { Lyrics } from "./Lyrics.js";
import { MoodGlance } from "./MoodGlance.js";
import { ScoreBar } from "./ScoreBar.js";
import { SimilarSongs } from "./SimilarSongs.js";

export interface SongCardProps {
  hit: SongHit;
  rank: number;
  best: number;
  /** Whether the score is the song's own fit (0 to 1) rather than a share of the best song's. */
  absolute: boolean;
  terms: ReadonlySet<string>;
  /** The answer's address, for the song's page to lead back to. */
  from: string;
}

/** The song's page, marking the passage that matched and leading back to the answer. */
export const songPagePath = (hit: SongHit, from: string) =>
  `/songs/${encodeURIComponent(hit.song.id)}?passage=${hit.passage.ordinal}&from=${encodeURIComponent(from)}`;

/** What a song of an answer shows on demand, one at a time. */
type Panel = "lyrics" | "similar" | "listen";

const panelNames = { lyrics: "songs.lyrics", similar: "songs.similar", listen: "listen.label" } as const;

export function SongCard({ hit, rank, best, absolute, terms, from }: SongCardProps) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<Panel | null>(null);
  const panelId = useId();
  const { song } = hit;
  /** A button that shows its panel, or hides it when it is open. */
  const panelButton = (panel: Panel) => ({
    className: "button button-quiet",
    "aria-expanded": open === panel,
    "aria-controls": open === panel ? `${panelId}-panel` : undefined,
    onClick: () => setOpen((current) => (current === panel ? null : panel)),
  });

  return (
    <article className="card song" aria-labelledby={`${panelId}-title`}>
      <header className="song-header">
        <span className="song-rank" aria-hidden="true">
          {rank}
        </span>
        <div className="song-identity">
          <h3 id={`${panelId}-title`} className="song-title">
            <Link to={songPagePath(hit, from)} state={{ fromAnswer: true }}>
              {song.title}
            </Link>
          </h3>
          {(hit.fit === "weak" || hit.fit === "none") && (
            <p className="song-loose">
              <span className="badge badge-loose" data-fit={hit.fit}>
                {t("songs.loose")}
              </span>
            </p>
          )}
          <p className="song-meta">
            <span>
              <ArtistLinks artists={song.artists} />
            </span>
            {song.album && (
              <>
                <span aria-hidden="true"> · </span>
                <span className="visually-hidden">{t("songs.album")} </span>
                <span>{song.album}</span>
              </>
            )}
          </p>
        </div>
        <ScoreBar score={hit.score} best={best} absolute={absolute} />
      </header>
      <blockquote className="passage">
        <Highlighted text={hit.passage.text} terms={terms} language={song.language} />
      </blockquote>
      <MoodGlance features={song.features} />
      <div className="song-actions">
        <button type="button" {...panelButton("lyrics")}>
          {open === "lyrics" ? t("songs.hideLyrics") : t("songs.showLyrics")}
        </button>
        <button type="button" {...panelButton("similar")}>
          {t("songs.similar")}
        </button>
        {listenLinksOf(song).length > 0 && (
          <button type="button" {...panelButton("listen")}>
            {t("listen.label")}
          </button>
        )}
      </div>
      {open && (
        <section id={`${panelId}-panel`} className="song-panel" aria-label={t(panelNames[open])}>
          {open === "lyrics" && <Lyrics songId={song.id} passage={hit.passage.text} />}
          {open === "similar" && <SimilarSongs songId={song.id} />}
          {open === "listen" && <ListenLinks song={song} />}
        </section>
      )}
    </article>
  );
}
