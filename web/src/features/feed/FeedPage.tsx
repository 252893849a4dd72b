import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useFeed } from "../../api/feed.js";
import { useSession } from "../../api/session.js";
import type { FeedItem } from "../../api/types.js";
import { InfiniteList } from "../../ui/InfiniteList.js";
import { PageHeading } from "../../ui/PageHeading.js";
import { RequireSignIn } from "../session/RequireSignIn.js";
import { PromptCard } from "../prompts/PromptCard.js";
import { promptKey } from "../prompts/promptKey.js";

function Feed() {
  const { t } = useTranslation();
  const { user } = useSession();
  const feed = useFeed(user !== null);
  return (
    <InfiniteList<FeedItem>
      query={feed}
      label={t("feed.title")}
      itemKey={promptKey}
      renderItem={(item) => <PromptCard prompt={item} />}
      empty={
        <>
          <p>{t("feed.empty")}</p>
          <p>
            <Link to="/people">{t("feed.findPeople")}</Link>
          </p>
        </>
      }
    />
  );
}

export function FeedPage() {
  const { t } = useTranslation();
  return (
    <div>
      <PageHeading title={t("feed.title")} />
      <p className="lead">{t("feed.intro")}</p>
      <RequireSignIn reason={t("feed.signIn")}>
        <Feed />
      </RequireSignIn>
    </div>
  );
}
