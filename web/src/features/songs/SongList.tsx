import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { SongHit } from "../../api/types.js";
import { promptTerms } from "./highlight.js";
import { SongCard } from "./SongCard.js";

/**
 * The ranked songs of one answer. `from` is the answer's own address, which each song's page
 * offers to go back to. Scores are absolute when the answer has a fit (each song has one).
 */
export function SongList({ hits, prompt, from }: { hits: SongHit[]; prompt: string; from: string }) {
  const { t } = useTranslation();
  const terms = useMemo(() => promptTerms(prompt), [prompt]);
  const best = hits.reduce((max, hit) => Math.max(max, hit.score), 0);
  const absolute = hits.some((hit) => hit.fit !== undefined);
  return (
    <ol className="songs" aria-label={t("songs.listLabel", { prompt })}>
      {hits.map((hit, i) => (
        <li key={hit.song.id}>
          <SongCard hit={hit} rank={i + 1} best={best} absolute={absolute} terms={terms} from={from} />
        </li>
      ))}
    </ol>
  );
}
