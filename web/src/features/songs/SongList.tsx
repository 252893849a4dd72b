import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { SongHit } from "../../api/types.js";
import { promptTerms } from "./highlight.js";
import { SongCard } from "./SongCard.js";

/** The ranked songs of one answer. */
export function SongList({ hits, prompt }: { hits: SongHit[]; prompt: string }) {
  const { t } = useTranslation();
  const terms = useMemo(() => promptTerms(prompt), [prompt]);
  const best = hits.reduce((max, hit) => Math.max(max, hit.score), 0);
  return (
    <ol className="songs" aria-label={t("songs.listLabel", { prompt })}>
      {hits.map((hit, i) => (
        <li key={hit.song.id}>
          <SongCard hit={hit} rank={i + 1} best={best} terms={terms} />
        </li>
      ))}
    </ol>
  );
}
