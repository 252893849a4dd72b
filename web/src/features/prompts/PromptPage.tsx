import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { usePrompt } from "../../api/prompts.js";
import { ApiError } from "../../api/errors.js";
import { formatDate } from "../../i18n/format.js";
import { PageHeading } from "../../ui/PageHeading.js";
import { Empty, ErrorState, Loading } from "../../ui/states.js";
import { IngestNotice } from "../catalog/IngestNotice.js";
import { useIngestWatch } from "../catalog/useIngestWatch.js";
import { ShareButton } from "../../ui/ShareButton.js";
import { SavePlaylist } from "../playlists/SavePlaylist.js";
import { FitNotice } from "../songs/FitNotice.js";
import { SongList } from "../songs/SongList.js";
import { LikeButton } from "./LikeButton.js";

export function PromptPage() {
  const { t } = useTranslation();
  const id = Number(useParams().id);
  const prompt = usePrompt(id);
  const catalog = useIngestWatch();
  if (prompt.isPending) return <Loading />;
  if (prompt.isError) {
    return (
      <>
        <PageHeading title={t("prompts.one")} />
        <ErrorState error={prompt.error} onRetry={() => void prompt.refetch()} />
      </>
    );
  }
  const { text, author, createdAt, results, resultsError } = prompt.data;
  return (
    <article className="prompt-page">
      <p className="eyebrow">{t("prompts.one")}</p>
      <PageHeading title={text} />
      <p className="prompt-meta muted">
        {t("prompts.by")}{" "}
        <Link to={`/people/${encodeURIComponent(author.username)}`}>@{author.username}</Link>
        <span aria-hidden="true"> · </span>
        <time dateTime={createdAt}>{formatDate(createdAt)}</time>
      </p>
      <div className="prompt-actions">
        <LikeButton prompt={prompt.data} />
        <ShareButton
          url={`${window.location.origin}/prompts/${prompt.data.id}`}
          title={text}
          what={t("prompts.shareWhat")}
        />
        {results.length > 0 && <SavePlaylist source={{ promptId: prompt.data.id }} />}
      </div>
      <p>
        <Link to={`/?q=${encodeURIComponent(text)}`}>{t("prompts.askAgain")}</Link>
      </p>
      <IngestNotice catalog={catalog.data} />
      <section aria-labelledby="prompt-songs">
        <h2 id="prompt-songs">{t("prompts.songs")}</h2>
        {resultsError ? (
          <ErrorState
            error={new ApiError(503, resultsError.code as ApiError["code"], resultsError.message)}
            onRetry={() => void prompt.refetch()}
          />
        ) : results.length === 0 ? (
          <Empty>{t("ask.noResults")}</Empty>
        ) : (
          <>
            <FitNotice fit={results[0]?.fit} />
            <SongList hits={results} prompt={text} from={`/prompts/${prompt.data.id}`} />
          </>
        )}
      </section>
    </article>
  );
}
