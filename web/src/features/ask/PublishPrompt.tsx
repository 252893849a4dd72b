import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { usePublishPrompt } from "../../api/prompts.js";
import { useSession } from "../../api/session.js";
import { InlineError } from "../../ui/states.js";

/**
 * Publishing shares the prompt (its songs come with it) with whoever follows me. The button
 * goes once it has done its work: focus moves to the published prompt's link, not to the page.
 */
export function PublishPrompt({ prompt }: { prompt: string }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const publish = usePublishPrompt();
  const published = useRef<HTMLAnchorElement>(null);
  useEffect(() => {
    if (publish.isSuccess) published.current?.focus();
  }, [publish.isSuccess]);
  if (!user) {
    return (
      <p className="publish muted">
        <Link to={`/signin?next=${encodeURIComponent(`/?q=${encodeURIComponent(prompt)}`)}`}>
          {t("ask.signInToPublish")}
        </Link>
      </p>
    );
  }
  if (publish.isSuccess) {
    return (
      <p className="publish" role="status">
        {t("ask.published")}{" "}
        <Link ref={published} to={`/prompts/${publish.data.id}`}>
          {t("ask.seePublished")}
        </Link>
      </p>
    );
  }
  return (
    <div className="publish">
      <button
        type="button"
        className="button"
        disabled={publish.isPending}
        onClick={() => publish.mutate(prompt)}
      >
        {publish.isPending ? t("ask.publishing") : t("ask.publish")}
      </button>
      <InlineError error={publish.error} />
    </div>
  );
}
