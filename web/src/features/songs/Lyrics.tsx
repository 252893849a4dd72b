import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { useSong } from "../../api/songs.js";
import { Empty, ErrorState, Loading } from "../../ui/states.js";
import { locatePassage } from "./highlight.js";

/** The full lyrics, with the passage that matched marked and scrolled into view. */
export function Lyrics({ songId, passage }: { songId: string; passage?: string }) {
  const { t } = useTranslation();
  const song = useSong(songId);
  const box = useRef<HTMLDivElement>(null);
  const mark = useRef<HTMLElement>(null);
  const lyrics = song.data?.lyrics ?? null;
  const found = lyrics && passage ? locatePassage(lyrics, passage) : null;

  // The passage is scrolled into the box's view, whenever it comes (with the lyrics or after).
  useEffect(() => {
    const container = box.current;
    const marked = mark.current;
    if (!container || !marked) return;
    container.scrollTop = Math.max(0, marked.offsetTop - container.offsetTop - 24);
  }, [lyrics, found?.start]);

  if (song.isPending) return <Loading label={t("songs.lyricsLoading")} />;
  if (song.isError) return <ErrorState error={song.error} onRetry={() => void song.refetch()} />;
  if (!lyrics) return <Empty>{t("songs.noLyrics")}</Empty>;

  return (
    <div
      ref={box}
      className="lyrics"
      tabIndex={0}
      role="region"
      aria-label={t("songs.lyricsOf", { title: song.data.title })}
    >
      {found ? (
        <>
          {lyrics.slice(0, found.start)}
          <mark ref={mark} className="lyrics-passage">
            <span className="visually-hidden">{t("songs.passageStarts")}</span>
            {lyrics.slice(found.start, found.end)}
            <span className="visually-hidden">{t("songs.passageEnds")}</span>
          </mark>
          {lyrics.slice(found.end)}
        </>
      ) : (
        lyrics
      )}
    </div>
  );
}
