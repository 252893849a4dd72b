/**
 * Who is signed in. The session itself is an HttpOnly cookie the app never sees: the answer of
 * `GET /api/me` is the only truth, and a 401 anywhere means "signed out".
 */
import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { request } from "./client.js";
import { hasCode } from "./errors.js";
import { keys } from "./keys.js";
import type { Credentials, SignedIn, User } from "./types.js";

async function fetchMe(signal: AbortSignal): Promise<User | null> {
  try {
    return await request<User>("GET", "/api/me", { signal });
  } catch (error) {
    if (hasCode(error, "AUTH_REQUIRED")) return null;
    throw error;
  }
}

export function useSession() {
  const query = useQuery({
    queryKey: keys.me,
    queryFn: ({ signal }) => fetchMe(signal),
    staleTime: 5 * 60_000,
  });
  return { user: query.data ?? null, isPending: query.isPending, error: query.error };
}

/** Everything but the session depends on who asks (likedByMe, following): fetch it again. */
export function startSession(client: QueryClient, user: User | null): void {
  client.setQueryData(keys.me, user);
  void client.invalidateQueries({ predicate: (query) => query.queryKey[0] !== keys.me[0] });
}

export function useSignIn(kind: "login" | "register") {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (credentials: Credentials) =>
      request<SignedIn>("POST", `/api/auth/${kind}`, { body: credentials }),
    onSuccess: ({ user }) => startSession(client, user),
  });
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => request<void>("POST", "/api/auth/logout"),
    onSettled: (_data, error) => {
      // Signed out either way when the server no longer knows the session.
      if (!error || hasCode(error, "AUTH_REQUIRED")) {
        client.removeQueries({ predicate: (query) => query.queryKey[0] !== keys.me[0] });
        client.setQueryData(keys.me, null);
      }
    },
  });
}
