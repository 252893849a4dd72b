import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { FeedItem, Prompt } from "../../api/types.js";
import { formatAgo, formatDate } from "../../i18n/format.js";
import { LikeButton } from "./LikeButton.js";

const profilePath = (username: string) => `/people/${encodeURIComponent(username)}`;

/** A published prompt in a list; in the feed it may come as someone's repost. */
export function PromptCard({ prompt }: { prompt: Prompt | FeedItem }) {
  const { t } = useTranslation();
  const repostedBy = "repostedBy" in prompt ? prompt.repostedBy : null;
  return (
    <article className="card prompt-card">
      {repostedBy && (
        <p className="repost muted">
          <span aria-hidden="true">↻ </span>
          {t("prompts.repostedBy")} <Link to={profilePath(repostedBy.username)}>@{repostedBy.username}</Link>
        </p>
      )}
      <h3 className="prompt-text">
        <Link to={`/prompts/${prompt.id}`}>{prompt.text}</Link>
      </h3>
      <p className="prompt-meta muted">
        {t("prompts.by")} <Link to={profilePath(prompt.author.username)}>@{prompt.author.username}</Link>
        <span aria-hidden="true"> · </span>
        <time dateTime={prompt.createdAt} title={formatDate(prompt.createdAt)}>
          {formatAgo(prompt.createdAt)}
        </time>
      </p>
      <LikeButton prompt={prompt} />
    </article>
  );
}
