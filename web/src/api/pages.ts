import { useInfiniteQuery, type QueryKey } from "@tanstack/react-query";
import { query, request } from "./client.js";
import type { Page } from "./types.js";

export const PAGE_SIZE = 20;

/**
 * A list the API pages with opaque cursors, loaded one page at a time as the reader asks for
 * more. `path` may already carry a query string.
 */
export function usePagedList<Item>(queryKey: QueryKey, path: string, enabled = true) {
  return useInfiniteQuery({
    queryKey,
    queryFn: ({ pageParam, signal }) => {
      const glue = path.includes("?") ? "&" : "?";
      const params = query({ cursor: pageParam, limit: PAGE_SIZE }).slice(1);
      return request<Page<Item>>("GET", `${path}${glue}${params}`, { signal });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled,
  });
}
