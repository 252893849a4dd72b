/**
 * Home: ask by meaning. The prompt lives in the URL (/?q=…), so an answer can be shared,
 * bookmarked and reloaded; each new prompt is a history entry, so Back returns to the last one.
 */
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useAsk } from "../../api/ask.js";
import { PageHeading } from "../../ui/PageHeading.js";
import { Empty, ErrorState, Loading } from "../../ui/states.js";
import { IngestNotice } from "../catalog/IngestNotice.js";
import { useIngestWatch } from "../catalog/useIngestWatch.js";
import { SongList } from "../songs/SongList.js";
import { PromptForm } from "./PromptForm.js";
import { PublishPrompt } from "./PublishPrompt.js";
import { SuggestedPrompts } from "./SuggestedPrompts.js";

function Answer({
  prompt,
  ingesting,
  catalogEmpty,
}: {
  prompt: string;
  ingesting: boolean;
  catalogEmpty: boolean;
}) {
  const { t } = useTranslation();
  const answer = useAsk(prompt);
  // Offline, the query waits for the network instead of failing: say so rather than spin.
  if (answer.isPending && answer.fetchStatus === "paused") return <Empty>{t("errors.offline")}</Empty>;
  if (answer.isPending) return <Loading label={t("ask.searching")} />;
  if (answer.isError) return <ErrorState error={answer.error} onRetry={() => void answer.refetch()} />;
  const hits = answer.data.results;
  return (
    <section aria-labelledby="answer-title" className="answer" aria-busy={answer.isFetching}>
      <div className="answer-header">
        <h2 id="answer-title" aria-live="polite">
          {hits.length === 0
            ? t("ask.noResultsTitle")
            : ingesting
              ? t("ask.resultsSoFar", { count: hits.length })
              : t("ask.results", { count: hits.length })}
        </h2>
        <PublishPrompt key={prompt} prompt={prompt} />
      </div>
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
        <SongList hits={hits} prompt={prompt} />
      )}
    </section>
  );
}

export function AskPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const prompt = (params.get("q") ?? "").trim();
  const catalog = useIngestWatch();
  const onAsk = (next: string) => setParams(next ? { q: next } : {});
  return (
    <div className="ask">
      <PageHeading title={prompt || t("ask.title")}>{t("ask.title")}</PageHeading>
      <p className="lead">{t("ask.intro")}</p>
      <PromptForm prompt={prompt} onAsk={onAsk} />
      <IngestNotice catalog={catalog.data} />
      {prompt ? (
        <Answer
          prompt={prompt}
          ingesting={catalog.data?.ingest != null}
          catalogEmpty={catalog.data !== undefined && catalog.data.songsWithPassages === 0}
        />
      ) : (
        <SuggestedPrompts />
      )}
    </div>
  );
}
