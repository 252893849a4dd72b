import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { usePeopleSearch } from "../../api/people.js";
import type { User } from "../../api/types.js";
import { InfiniteList } from "../../ui/InfiniteList.js";
import { PageHeading } from "../../ui/PageHeading.js";
import { Suggestions } from "./Suggestions.js";
import { UserCard } from "./UserCard.js";

function SearchResults({ q }: { q: string }) {
  const { t } = useTranslation();
  const people = usePeopleSearch(q);
  return (
    <InfiniteList<User>
      query={people}
      label={t("people.matching", { q })}
      itemKey={(user) => String(user.id)}
      renderItem={(user) => <UserCard user={user} />}
      empty={<p>{t("people.noneMatching", { q })}</p>}
    />
  );
}

export function PeoplePage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = (params.get("q") ?? "").trim();
  const [text, setText] = useState(q);
  useEffect(() => setText(q), [q]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setParams(text.trim() ? { q: text.trim() } : {});
  };
  return (
    <div>
      <PageHeading title={t("people.title")} />
      <form className="search-form" role="search" onSubmit={submit}>
        <label htmlFor="people-search">{t("people.searchLabel")}</label>
        <div className="search-row">
          <input
            id="people-search"
            className="input"
            type="search"
            value={text}
            maxLength={100}
            onChange={(event) => setText(event.target.value)}
          />
          <button type="submit" className="button button-primary">
            {t("common.search")}
          </button>
        </div>
      </form>
      <h2>{q ? t("people.matching", { q }) : t("people.suggestions")}</h2>
      {q ? <SearchResults q={q} /> : <Suggestions />}
    </div>
  );
}
