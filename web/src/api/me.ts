import { useMutation, useQueryClient } from "@tanstack/react-query";
import { request } from "./client.js";
import { keys } from "./keys.js";
import { endSession, setSessionUser } from "./session.js";
import type { AccountDeletion, PasswordChange, ProfileUpdate, User } from "./types.js";

/** Display name, bio, or a new username (with the current password). */
export function useUpdateMe() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (update: ProfileUpdate) => request<User>("PATCH", "/api/me", { body: update }),
    onSuccess: (user) => {
      setSessionUser(client, user);
      // A rename shows in every prompt I wrote and on every list I am in.
      void client.invalidateQueries({ queryKey: keys.allPrompts });
      void client.invalidateQueries({ queryKey: keys.allPeople });
    },
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (change: PasswordChange) => request<void>("PUT", "/api/me/password", { body: change }),
  });
}

export function useDeleteAccount() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (deletion: AccountDeletion) => request<void>("DELETE", "/api/me", { body: deletion }),
    onSuccess: () => endSession(client),
  });
}
