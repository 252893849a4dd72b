import { useQuery } from "@tanstack/react-query";
import { request } from "./client.js";
import { keys } from "./keys.js";
import type { SimilarSongs, SongWithLyrics } from "./types.js";

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
