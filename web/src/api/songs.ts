import { useQuery } from "@tanstack/react-query";
import { request } from "./client.js";
import { keys } from "./keys.js";
import { usePagedList } from "./pages.js";
import type { Passage, SimilarSongs, Song, SongWithLyrics } from "./types.js";

const songPath = (id: string) => `/api/songs/${encodeURIComponent(id)}`;

export function useSong(id: string, enabled = true) {
  return useQuery({
    queryKey: keys.song(id),
    queryFn: ({ signal }) => request<SongWithLyrics>("GET", songPath(id), { signal }),
    enabled,
    staleTime: Infinity,
  });
}

export function useSimilarSongs(id: string, enabled = true, k = 5) {
  return useQuery({
    queryKey: keys.similar(id),
    queryFn: ({ signal }) => request<SimilarSongs>("GET", `${songPath(id)}/similar?k=${k}`, { signal }),
    enabled,
    staleTime: 10 * 60_000,
  });
}

/** The passage an answer matched, by its position in the song; off without one. */
export function usePassage(id: string, ordinal: number | null) {
  return useQuery({
    queryKey: keys.passage(id, ordinal ?? -1),
    queryFn: ({ signal }) => request<Passage>("GET", `${songPath(id)}/passages/${ordinal}`, { signal }),
    enabled: ordinal !== null,
    staleTime: Infinity,
  });
}

export const useArtistSongs = (name: string) =>
  usePagedList<Song>(keys.artistSongs(name), `/api/artists/${encodeURIComponent(name)}/songs`);
