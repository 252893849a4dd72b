import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { hasCode, isApiError } from "../api/errors.js";
import { keys } from "../api/keys.js";
import { setSessionUser } from "../api/session.js";
import type { Session } from "../api/types.js";

/**
 * Failures worth a second try are retried (a flaky network, a server restarting); answers
 * that will not change (4xx) are not. A 401 anywhere means the session is gone.
 */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (error) => signedOutBy(error) }),
    mutationCache: new MutationCache({ onError: (error) => signedOutBy(error) }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (failures, error) => failures < 2 && (!isApiError(error) || error.isTransient),
        retryDelay: (attempt) => Math.min(1000 * 2 ** attempt, 8000),
      },
      mutations: { retry: false },
    },
  });
  function signedOutBy(error: unknown) {
    if (hasCode(error, "AUTH_REQUIRED") && client.getQueryData<Session>(keys.session)?.user)
      setSessionUser(client, null);
  }
  return client;
}
