import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { query, request } from "./client.js";
import { keys } from "./keys.js";
import { usePagedList } from "./pages.js";
import { patchPrompt, removePrompt } from "./prompt-cache.js";
import type { Prompt, PromptWithSongs } from "./types.js";

export const usePromptSearch = (q: string) =>
  usePagedList<Prompt>(keys.promptSearch(q), `/api/prompts${query({ q })}`);

export const usePromptsBy = (name: string) =>
  usePagedList<Prompt>(keys.promptsBy(name), `/api/users/${encodeURIComponent(name)}/prompts`);

export function usePrompt(id: number) {
  return useQuery({
    queryKey: keys.prompt(id),
    queryFn: ({ signal }) => request<PromptWithSongs>("GET", `/api/prompts/${id}`, { signal }),
    enabled: Number.isSafeInteger(id) && id > 0,
  });
}

export function usePublishPrompt() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (text: string) => request<Prompt>("POST", "/api/prompts", { body: { text } }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.allPrompts }),
  });
}

export function useEditPrompt() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, text }: { id: number; text: string }) =>
      request<Prompt>("PATCH", `/api/prompts/${id}`, { body: { text } }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.allPrompts }),
  });
}

export function useDeletePrompt() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => request<void>("DELETE", `/api/prompts/${id}`),
    onSuccess: (_nothing, id) => {
      removePrompt(client, id);
      client.removeQueries({ queryKey: keys.prompt(id) });
      void client.invalidateQueries({ queryKey: keys.allPrompts });
    },
  });
}

export interface LikeChange {
  id: number;
  like: boolean;
}

/**
 * Like or unlike, shown at once everywhere the prompt is; the server's count replaces the
 * guess when it answers, and a failure puts every list back as it was.
 */
export function useLike() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, like }: LikeChange) =>
      request<Prompt>(like ? "PUT" : "DELETE", `/api/prompts/${id}/like`),
    onMutate: async ({ id, like }) => {
      await client.cancelQueries({ queryKey: keys.allPrompts });
      const before = client.getQueriesData({ queryKey: keys.allPrompts });
      patchPrompt(client, id, (prompt) =>
        prompt.likedByMe === like
          ? prompt
          : { ...prompt, likedByMe: like, likeCount: Math.max(0, prompt.likeCount + (like ? 1 : -1)) },
      );
      return { before };
    },
    onError: (_error, _change, context) => {
      for (const [key, data] of context?.before ?? []) client.setQueryData(key, data);
    },
    onSuccess: (prompt) =>
      patchPrompt(client, prompt.id, (cached) => ({
        ...cached,
        likeCount: prompt.likeCount,
        likedByMe: prompt.likedByMe,
      })),
  });
}
