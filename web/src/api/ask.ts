import { useQuery } from "@tanstack/react-query";
import { askBody, type AnswerQuery } from "./answer-query.js";
import { request } from "./client.js";
import { keys } from "./keys.js";
import type { AskRequest, AskResponse } from "./types.js";

export const ask = (body: AskRequest, signal?: AbortSignal) =>
  request<AskResponse>("POST", "/api/ask", { body, signal });

/**
 * The songs for a prompt with its filters; nothing is asked for an empty prompt. Asking for
 * more songs of the same answer keeps the songs shown while the longer answer comes.
 */
export function useAsk(query: AnswerQuery) {
  return useQuery({
    queryKey: keys.ask(query.prompt, query.filters, query.k),
    queryFn: ({ signal }) => ask(askBody(query), signal),
    enabled: query.prompt.length > 0,
    placeholderData: (previous, previousQuery) => {
      const [, prompt, filters] = previousQuery?.queryKey ?? [];
      return prompt === query.prompt && JSON.stringify(filters) === JSON.stringify(query.filters)
        ? previous
        : undefined;
    },
    // An answer only changes with the catalog; the ingest banner asks again when it does.
    staleTime: 10 * 60_000,
  });
}
