import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { query, request } from "./client.js";
import { keys } from "./keys.js";
import { usePagedList } from "./pages.js";
import type { Profile, Suggestions, User } from "./types.js";

const userPath = (name: string) => `/api/users/${encodeURIComponent(name)}`;

export function useProfile(name: string) {
  return useQuery({
    queryKey: keys.profile(name),
    queryFn: ({ signal }) => request<Profile>("GET", userPath(name), { signal }),
  });
}

export const usePeopleSearch = (q: string) =>
  usePagedList<User>(keys.peopleSearch(q), `/api/users${query({ q })}`, q.length > 0);

export const useFollowing = (name: string) =>
  usePagedList<User>(keys.following(name), `${userPath(name)}/following`);

export const useFollowers = (name: string) =>
  usePagedList<User>(keys.followers(name), `${userPath(name)}/followers`);

export function useSuggestions(n = 12) {
  return useQuery({
    queryKey: keys.suggestions,
    queryFn: ({ signal }) => request<Suggestions>("GET", `/api/users/random?n=${n}`, { signal }),
    staleTime: 5 * 60_000,
  });
}

/** Follow or unfollow; the answer is their profile, with the new counts. */
export function useFollow() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ name, follow }: { name: string; follow: boolean }) =>
      request<Profile>(follow ? "PUT" : "DELETE", `${userPath(name)}/follow`),
    onSuccess: (profile) => {
      client.setQueryData(keys.profile(profile.username), profile);
      const theirs = keys.profile(profile.username);
      // Their follower list, my following list and my profile's counts changed too; the
      // suggestions stay as they are so the card just followed does not jump away.
      void client.invalidateQueries({
        predicate: ({ queryKey }) =>
          queryKey[0] === keys.allPeople[0] &&
          queryKey[1] !== keys.suggestions[1] &&
          !(queryKey[1] === theirs[1] && queryKey[2] === theirs[2]),
      });
      void client.invalidateQueries({ queryKey: keys.feed });
    },
  });
}
