import { useQuery } from "@tanstack/react-query";
import { request } from "./client.js";
import { keys } from "./keys.js";
import type { AskRequest, AskResponse } from "./types.js";

export const ask = (body: AskRequest, signal?: AbortSignal) =>
  request<AskResponse>("POST", "/api/ask", { body, signal });

/** The songs for a prompt; nothing is asked for an empty prompt. */
export function useAsk(prompt: string) {
  return useQuery({
    queryKey: keys.ask(prompt),
    queryFn: ({ signal }) => ask({ prompt }, signal),
    enabled: prompt.length > 0,
    // An answer only changes with the catalog; the ingest banner asks again when it does.
    staleTime: 10 * 60_000,
  });
}
