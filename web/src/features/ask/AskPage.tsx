/**
 * Home: ask by meaning. The prompt and its filters live in the URL (/?q=…&energy=…), so an
 * answer can be shared, bookmarked and reloaded; each new prompt is a history entry, so Back
 * returns to the last one. More songs of the same answer replace the entry instead.
 */
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { answerSearch, readAnswerQuery, type AnswerQuery } from "../../api/answer-query.js";
import { useStarting } from "../../api/catalog.js";
import { PageHeading } from "../../ui/PageHeading.js";
import { IngestNotice } from "../catalog/IngestNotice.js";
import { StartingNotice } from "../catalog/StartingNotice.js";
import { useIngestWatch } from "../catalog/useIngestWatch.js";
import { Answer } from "./Answer.js";
import { PromptForm } from "./PromptForm.js";
import { SuggestedPrompts } from "./SuggestedPrompts.js";

export function AskPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const search = params.toString();
  const query = useMemo(() => readAnswerQuery(new URLSearchParams(search)), [search]);
  const catalog = useIngestWatch();
  const starting = useStarting(catalog);
  const onAsk = (next: AnswerQuery) => setParams(answerSearch(next));
  const onMore = (k: number) => setParams(answerSearch({ ...query, k }), { replace: true });
  return (
    <div className="ask">
      <PageHeading title={query.prompt || t("ask.title")}>{t("ask.title")}</PageHeading>
      <p className="lead">{t("ask.intro")}</p>
      <PromptForm query={query} onAsk={onAsk} />
      <StartingNotice starting={starting} />
      <IngestNotice catalog={catalog.data} />
      {query.prompt ? (
        <Answer
          query={query}
          ingesting={catalog.data?.ingest != null}
          catalogEmpty={catalog.data !== undefined && catalog.data.songsWithPassages === 0}
          onMore={onMore}
        />
      ) : (
        <SuggestedPrompts />
      )}
    </div>
  );
}
