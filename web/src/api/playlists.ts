/**
 * Answers as playlists: the addresses of their M3U8 and XSPF files (an ask's, with the ask's
 * prompt, number of songs and filters; a published prompt's), and saving them as my playlist
 * on the catalog's music server with my own account there.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { askBody, rangeFilters, writeRange, type AnswerQuery } from "./answer-query.js";
import { request } from "./client.js";
import { keys } from "./keys.js";
import type {
  MusicServerAccount,
  MusicServerAccountInput,
  ServerPlaylist,
  ServerPlaylistInput,
} from "./types.js";

export const playlistFormats = ["m3u8", "xspf"] as const;
export type PlaylistFormat = (typeof playlistFormats)[number];

/** Where an answer is, for its playlist: an ask (as in the address), or a published prompt. */
export type PlaylistSource = { query: AnswerQuery } | { promptId: number };

function askParams(query: AnswerQuery): URLSearchParams {
  const params = new URLSearchParams({ prompt: query.prompt });
  if (query.k !== null) params.set("k", String(query.k));
  if (query.filters.language) params.set("language", query.filters.language);
  if (query.filters.genre) params.set("genre", query.filters.genre);
  for (const { name } of rangeFilters) {
    const range = query.filters[name];
    if (range && (range.min !== undefined || range.max !== undefined)) params.set(name, writeRange(range));
  }
  return params;
}

/** The address of the answer's playlist file in this format. */
export const playlistUrl = (source: PlaylistSource, format: PlaylistFormat): string =>
  "promptId" in source
    ? `/api/prompts/${source.promptId}.${format}`
    : `/api/ask.${format}?${askParams(source.query).toString()}`;

/** The catalog's music server and my user name there; asked only when someone is signed in. */
export function useMusicServer(signedIn: boolean) {
  return useQuery({
    queryKey: keys.musicServer,
    queryFn: ({ signal }) => request<MusicServerAccount>("GET", "/api/me/music-server", { signal }),
    enabled: signedIn,
    staleTime: 10 * 60_000,
  });
}

export function useSaveMusicServerAccount() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (account: MusicServerAccountInput) =>
      request<MusicServerAccount>("PUT", "/api/me/music-server", { body: account }),
    onSuccess: (account) => client.setQueryData(keys.musicServer, account),
  });
}

export function useForgetMusicServerAccount() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => request<void>("DELETE", "/api/me/music-server"),
    onSuccess: () =>
      client.setQueryData<MusicServerAccount>(keys.musicServer, (before) =>
        before ? { ...before, username: null } : before,
      ),
  });
}

const serverPlaylistBody = (source: PlaylistSource): ServerPlaylistInput =>
  "promptId" in source ? { promptId: source.promptId } : askBody(source.query);

/** Saves the answer as my playlist on the music server (again: updates it). */
export function useSaveServerPlaylist() {
  return useMutation({
    mutationFn: (source: PlaylistSource) =>
      request<ServerPlaylist>("POST", "/api/playlists", { body: serverPlaylistBody(source) }),
  });
}

/** The server's name as people know it: its host. */
export const serverName = (address: string): string => {
  try {
    return new URL(address).host;
  } catch {
    return address;
  }
};
