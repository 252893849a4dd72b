/**
 * Who is signed in. The session itself is an HttpOnly cookie the app never sees: the answer of
 * `GET /api/session` is the only truth (a visitor gets `user: null`, never a 401 that the
 * browser would log as an error), and a 401 anywhere else means "signed out".
 */
import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";
import { request } from "./client.js";
import { hasCode } from "./errors.js";
import { keys } from "./keys.js";
import type { Credentials, Session, SignedIn, User } from "./types.js";

export const signedOut: Session = { user: null, isAdmin: false };

export function useSession() {
  const query = useQuery({
    queryKey: keys.session,
    queryFn: ({ signal }) => request<Session>("GET", "/api/session", { signal }),
    staleTime: 5 * 60_000,
  });
  const session = query.data ?? signedOut;
  return { user: session.user, isAdmin: session.isAdmin, isPending: query.isPending, error: query.error };
}

/**
 * The signed-in user changed (signed in, renamed, signed out): administration stays with the
 * same account only, and is asked again for another.
 */
export function setSessionUser(client: QueryClient, user: User | null): void {
  client.setQueryData<Session>(keys.session, (before) =>
    user ? { user, isAdmin: before?.user?.id === user.id && before.isAdmin } : signedOut,
  );
}

/** Everything depends on who asks (likedByMe, following, administration): fetch it again. */
export function startSession(client: QueryClient, user: User | null): void {
  setSessionUser(client, user);
  void client.invalidateQueries();
}

/** Forgets everything fetched for the person who was signed in. */
export function endSession(client: QueryClient): void {
  client.removeQueries({ predicate: (query) => query.queryKey[0] !== keys.session[0] });
  client.setQueryData(keys.session, signedOut);
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
      if (!error || hasCode(error, "AUTH_REQUIRED")) endSession(client);
    },
  });
}
