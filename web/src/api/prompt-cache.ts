/**
 * One prompt can be on screen in many lists at once (a search, the feed twice as post and
 * repost, a profile, its own page). These helpers change it in every cached query at once.
 */
import type { InfiniteData, QueryClient } from "@tanstack/react-query";
import { keys } from "./keys.js";
import type { Page, Prompt } from "./types.js";

type PromptLike = Pick<Prompt, "id" | "likeCount" | "likedByMe">;

const isPrompt = (value: unknown): value is PromptLike =>
  typeof value === "object" &&
  value !== null &&
  "id" in value &&
  "likeCount" in value &&
  "likedByMe" in value;

const isInfinite = (value: unknown): value is InfiniteData<Page<unknown>> =>
  typeof value === "object" && value !== null && Array.isArray((value as InfiniteData<unknown>).pages);

function patchData(data: unknown, id: number, change: <P extends PromptLike>(prompt: P) => P): unknown {
  if (isInfinite(data)) {
    let changed = false;
    const pages = data.pages.map((page) => {
      if (!page.items.some((item) => isPrompt(item) && item.id === id)) return page;
      changed = true;
      return {
        ...page,
        items: page.items.map((item) => (isPrompt(item) && item.id === id ? change(item) : item)),
      };
    });
    return changed ? { ...data, pages } : data;
  }
  if (isPrompt(data) && data.id === id) return change(data);
  return data;
}

export function patchPrompt(
  client: QueryClient,
  id: number,
  change: <P extends PromptLike>(prompt: P) => P,
): void {
  client.setQueriesData({ queryKey: keys.allPrompts }, (data: unknown) => patchData(data, id, change));
}

export function removePrompt(client: QueryClient, id: number): void {
  client.setQueriesData({ queryKey: keys.allPrompts }, (data: unknown) => {
    if (!isInfinite(data)) return data;
    return {
      ...data,
      pages: data.pages.map((page) => ({
        ...page,
        items: page.items.filter((item) => !(isPrompt(item) && item.id === id)),
      })),
    };
  });
}
