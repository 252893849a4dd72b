/**
 * The songs for a prompt: how many, how well they fit (said above them when nothing fits
 * well), how much of the catalog they come from while it is being re-embedded, the way to share, publish or save them as a playlist, and more songs on request, up to the API's most.
 */
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useAsk } from "../../api/ask.js";
import { answerSearch, type AnswerQuery } from "../../api/answer-query.js";
import { bounds } from "../../api/bounds.js";
import { ShareButton } from "../../ui/ShareButton.js";
import { Empty, ErrorState, Loading } from "../../ui/states.js";
import { SavePlaylist } from "../playlists/SavePlaylist.js";
import { FitNotice } from "../songs/FitNotice.js";
import { SongList } from "../songs/SongList.js";
import { PublishPrompt } from "./PublishPrompt.js";
import { ReembeddingNotice } from "./ReembeddingNotice.js";

/** How many more songs each "More songs" asks for. */
const MORE = 10;

export interface AnswerProps {
  query: AnswerQuery;
  ingesting: boolean;
  catalogEmpty: boolean;
  /** Ask again for this many songs. */
  onMore(k: number): void;
}

export function Answer({ query, ingesting, catalogEmpty, onMore }: AnswerProps) {
  const { t } = useTranslation();
  const answer = useAsk(query);
  const section = useRef<HTMLElement>(null);
  /** Where the songs asked for by "More songs" start, until they have come and have the focus. */
  const firstNew = useRef<number | null>(null);
  const shown = answer.data?.results.length ?? 0;
  const loadingMore = answer.isPlaceholderData && answer.isFetching;

  useEffect(() => {
    const from = firstNew.current;
    if (from === null || loadingMore || !section.current) return;
    firstNew.current = null;
    const songs = section.current.querySelectorAll<HTMLElement>(".songs > li .song-title a");
    // The first new song; or, when none came, the answer's heading rather than the lost button.
    (songs[from] ?? section.current.querySelector<HTMLElement>("#answer-title"))?.focus();
  }, [loadingMore, shown]);

  // Offline, the query waits for the network instead of failing: say so rather than spin.
  if (answer.isPending && answer.fetchStatus === "paused") return <Empty>{t("errors.offline")}</Empty>;
  if (answer.isPending) return <Loading label={t("ask.searching")} />;
  if (answer.isError) return <ErrorState error={answer.error} onRetry={() => void answer.refetch()} />;
  const { results: hits, k, fit, reembedding } = answer.data;
  const address = `/${answerSearch(query)}`;
  const more = !answer.isPlaceholderData && hits.length >= k && k < bounds.maxK;
  return (
    <section ref={section} aria-labelledby="answer-title" className="answer" aria-busy={answer.isFetching}>
      <div className="answer-header">
        <h2 id="answer-title" aria-live="polite" tabIndex={-1}>
          {hits.length === 0
            ? t("ask.noResultsTitle")
            : ingesting
              ? t("ask.resultsSoFar", { count: hits.length })
              : t("ask.results", { count: hits.length })}
        </h2>
        <div className="answer-actions">
          <ShareButton
            url={`${window.location.origin}${address}`}
            title={query.prompt}
            what={t("ask.shareAnswer")}
          />
          <PublishPrompt key={query.prompt} prompt={query.prompt} />
          {hits.length > 0 && <SavePlaylist source={{ query }} />}
        </div>
      </div>
      <ReembeddingNotice reembedding={reembedding} />
      {hits.length > 0 && <FitNotice fit={fit} />}
      {hits.length === 0 ? (
        <Empty>
          {ingesting ? (
            <p>{t("ask.noResultsYet")}</p>
          ) : catalogEmpty ? (
            <p>
              {t("ask.catalogEmpty")} <Link to="/catalog">{t("ask.catalogLink")}</Link>
            </p>
          ) : (
            <p>{t("ask.noResults")}</p>
          )}
        </Empty>
      ) : (
        <SongList hits={hits} prompt={query.prompt} from={address} />
      )}
      {(more || loadingMore) && (
        <div className="list-end">
          <button
            type="button"
            className="button"
            aria-disabled={loadingMore}
            onClick={() => {
              if (loadingMore) return;
              firstNew.current = hits.length;
              onMore(Math.min(bounds.maxK, k + MORE));
            }}
          >
            {loadingMore ? t("ask.moreSongsLoading") : t("ask.moreSongs")}
          </button>
        </div>
      )}
    </section>
  );
}
