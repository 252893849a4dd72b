import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { usePromptSearch } from "../../api/prompts.js";
import type { Prompt } from "../../api/types.js";
import { InfiniteList } from "../../ui/InfiniteList.js";
import { PageHeading } from "../../ui/PageHeading.js";
import { PromptCard } from "./PromptCard.js";
import { promptKey } from "./promptKey.js";

export function PromptsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = (params.get("q") ?? "").trim();
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  const prompts = usePromptSearch(q);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setParams(text.trim() ? { q: text.trim() } : {});
  };
  return (
    <div>
      <PageHeading title={t("prompts.title")} />
      <form className="search-form" role="search" onSubmit={submit}>
        <label htmlFor="prompt-search">{t("prompts.searchLabel")}</label>
        <div className="search-row">
          <input
            id="prompt-search"
            className="input"
            type="search"
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
          <button type="submit" className="button button-primary">
            {t("common.search")}
          </button>
        </div>
      </form>
      <h2>{q ? t("prompts.matching", { q }) : t("prompts.newest")}</h2>
      <InfiniteList<Prompt>
        query={prompts}
        label={q ? t("prompts.matching", { q }) : t("prompts.newest")}
        itemKey={promptKey}
        renderItem={(prompt) => <PromptCard prompt={prompt} />}
        empty={<p>{q ? t("prompts.noneMatching") : t("prompts.none")}</p>}
      />
    </div>
  );
}
