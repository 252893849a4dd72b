/**
 * A person's page: who they are, their counts, follow / unfollow, and three tabs (their
 * prompts, whom they follow, who follows them), each its own URL.
 */
import { useTranslation } from "react-i18next";
import { Navigate, NavLink, Outlet, useLocation, useParams } from "react-router";
import { isApiError } from "../../api/errors.js";
import { useFollowers, useFollowing, useProfile } from "../../api/people.js";
import { usePromptsBy } from "../../api/prompts.js";
import type { Prompt, User } from "../../api/types.js";
import { formatNumber } from "../../i18n/format.js";
import { InfiniteList } from "../../ui/InfiniteList.js";
import { PageHeading } from "../../ui/PageHeading.js";
import { ErrorState, Loading } from "../../ui/states.js";
import { PromptCard } from "../prompts/PromptCard.js";
import { promptKey } from "../prompts/promptKey.js";
import { FollowButton } from "./FollowButton.js";
import { UserCard } from "./UserCard.js";

const useName = () => useParams().name ?? "";

/**
 * The name a person goes by now, when the address holds an older one: the API answers
 * `{"movedTo"}` (or the browser followed its redirect and got the profile of the new name).
 */
function renamedTo(name: string, profile: ReturnType<typeof useProfile>): string | null {
  if (profile.data) return profile.data.username === name.toLowerCase() ? null : profile.data.username;
  return isApiError(profile.error) ? profile.error.movedTo : null;
}

export function ProfilePage() {
  const { t } = useTranslation();
  const name = useName();
  const location = useLocation();
  const profile = useProfile(name);
  const moved = renamedTo(name, profile);
  if (moved) {
    const tab = location.pathname.split("/").slice(3).join("/");
    const to = `/people/${encodeURIComponent(moved)}${tab ? `/${tab}` : ""}${location.search}`;
    return <Navigate replace to={to} />;
  }
  if (profile.isPending) return <Loading />;
  if (profile.isError)
    return (
      <>
        <PageHeading title={`@${name}`} />
        <ErrorState error={profile.error} onRetry={() => void profile.refetch()} />
      </>
    );
  const person = profile.data;
  const base = `/people/${encodeURIComponent(person.username)}`;
  const tab = ({ isActive }: { isActive: boolean }) => (isActive ? "tab tab-active" : "tab");
  return (
    <div className="profile">
      <header className="profile-header">
        <div>
          <PageHeading title={person.displayName || `@${person.username}`} />
          {person.displayName && <p className="muted">@{person.username}</p>}
          {person.bio && <p className="profile-bio">{person.bio}</p>}
        </div>
        <FollowButton username={person.username} following={person.following} />
      </header>
      <nav aria-label={t("profile.sections")}>
        <ul className="tabs">
          <li>
            <NavLink end to={base} className={tab}>
              {t("profile.prompts", {
                count: person.promptCount,
                formatted: formatNumber(person.promptCount),
              })}
            </NavLink>
          </li>
          <li>
            <NavLink to={`${base}/following`} className={tab}>
              {t("profile.following", {
                count: person.followingCount,
                formatted: formatNumber(person.followingCount),
              })}
            </NavLink>
          </li>
          <li>
            <NavLink to={`${base}/followers`} className={tab}>
              {t("profile.followers", {
                count: person.followerCount,
                formatted: formatNumber(person.followerCount),
              })}
            </NavLink>
          </li>
        </ul>
      </nav>
      <Outlet />
    </div>
  );
}

export function ProfilePrompts() {
  const { t } = useTranslation();
  const name = useName();
  const prompts = usePromptsBy(name);
  return (
    <InfiniteList<Prompt>
      query={prompts}
      label={t("profile.promptsOf", { name })}
      itemKey={promptKey}
      renderItem={(prompt) => <PromptCard prompt={prompt} />}
      empty={<p>{t("profile.noPrompts")}</p>}
    />
  );
}

function People({
  list,
  label,
  empty,
}: {
  list: ReturnType<typeof useFollowing>;
  label: string;
  empty: string;
}) {
  return (
    <InfiniteList<User>
      query={list}
      label={label}
      itemKey={(user) => String(user.id)}
      renderItem={(user) => <UserCard user={user} />}
      empty={<p>{empty}</p>}
      className="list"
    />
  );
}

export function ProfileFollowing() {
  const { t } = useTranslation();
  const name = useName();
  return (
    <People
      list={useFollowing(name)}
      label={t("profile.followingOf", { name })}
      empty={t("profile.noFollowing")}
    />
  );
}

export function ProfileFollowers() {
  const { t } = useTranslation();
  const name = useName();
  return (
    <People
      list={useFollowers(name)}
      label={t("profile.followersOf", { name })}
      empty={t("profile.noFollowers")}
    />
  );
}
