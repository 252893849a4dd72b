/** The JSON shape clients rely on for a user (design §5). */
import type { User } from "./user.js";

export interface UserView {
  id: number;
  username: string;
  displayName: string;
  bio: string;
  createdAt: string;
}

export const presentUser = (user: User): UserView => ({
  id: user.id,
  username: user.username,
  displayName: user.displayName,
  bio: user.bio,
  createdAt: user.createdAt,
});
