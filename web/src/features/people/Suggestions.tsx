import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useSuggestions } from "../../api/people.js";
import { Empty, ErrorState, Loading } from "../../ui/states.js";
import { FollowButton } from "./FollowButton.js";
import { UserCard } from "./UserCard.js";

/** People to discover; the API leaves out me and those I follow already. */
export function Suggestions() {
  const { t } = useTranslation();
  const suggestions = useSuggestions();
  const [followed, setFollowed] = useState<Record<string, boolean>>({});
  if (suggestions.isPending) return <Loading />;
  if (suggestions.isError)
    return <ErrorState error={suggestions.error} onRetry={() => void suggestions.refetch()} />;
  if (suggestions.data.items.length === 0) return <Empty>{t("people.noSuggestions")}</Empty>;
  return (
    <ul className="grid" aria-label={t("people.suggestions")}>
      {suggestions.data.items.map((user) => (
        <li key={user.id}>
          <UserCard
            user={user}
            action={
              <FollowButton
                username={user.username}
                following={followed[user.username] ?? false}
                onChange={(now) => setFollowed((all) => ({ ...all, [user.username]: now }))}
              />
            }
          />
        </li>
      ))}
    </ul>
  );
}
