import { useTranslation } from "react-i18next";
import { useLike } from "../../api/prompts.js";
import { useSession } from "../../api/session.js";
import type { Prompt } from "../../api/types.js";
import { formatNumber } from "../../i18n/format.js";
import { InlineError } from "../../ui/states.js";

/** Like / unlike at once; the count follows the click and is corrected if the server refuses. */
export function LikeButton({ prompt }: { prompt: Pick<Prompt, "id" | "likeCount" | "likedByMe" | "text"> }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const like = useLike();
  const count = (
    <span className="like-count" data-testid="like-count">
      {t("prompts.likes", { count: prompt.likeCount, formatted: formatNumber(prompt.likeCount) })}
    </span>
  );
  if (!user) {
    return (
      <div className="like">
        <span aria-hidden="true" className="heart">
          ♡
        </span>
        {count}
      </div>
    );
  }
  return (
    <div className="like">
      <button
        type="button"
        className="button button-quiet like-button"
        aria-pressed={prompt.likedByMe}
        aria-label={t("prompts.likeLabel", { text: prompt.text })}
        onClick={() => like.mutate({ id: prompt.id, like: !prompt.likedByMe })}
      >
        <span aria-hidden="true" className="heart">
          {prompt.likedByMe ? "♥" : "♡"}
        </span>
        <span aria-hidden="true">{prompt.likedByMe ? t("prompts.liked") : t("prompts.like")}</span>
      </button>
      {count}
      {like.isError && <InlineError error={like.error} />}
    </div>
  );
}
