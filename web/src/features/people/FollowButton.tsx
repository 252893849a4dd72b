import { useTranslation } from "react-i18next";
import { useFollow } from "../../api/people.js";
import { useSession } from "../../api/session.js";
import { InlineError } from "../../ui/states.js";

/** Follow or unfollow someone; nothing for myself or when signed out. */
export function FollowButton({
  username,
  following,
  onChange,
}: {
  username: string;
  following: boolean;
  onChange?(following: boolean): void;
}) {
  const { t } = useTranslation();
  const { user } = useSession();
  const follow = useFollow();
  if (!user || user.username === username.toLowerCase()) return null;
  return (
    <div className="follow">
      <button
        type="button"
        className={following ? "button" : "button button-primary"}
        disabled={follow.isPending}
        aria-label={
          following ? t("people.unfollowLabel", { username }) : t("people.followLabel", { username })
        }
        onClick={() =>
          follow.mutate(
            { name: username, follow: !following },
            { onSuccess: (profile) => onChange?.(profile.following) },
          )
        }
      >
        {following ? t("people.unfollow") : t("people.follow")}
      </button>
      <InlineError error={follow.error} />
    </div>
  );
}
