import { describe, expect, it } from "vitest";
import type { User, Viewer } from "../accounts/user.js";
import { likeReposts, mayDeletePrompt, mayEditPrompt, mayFollow } from "./policies.js";
import type { Prompt } from "./prompt.js";

const user = (id: number): User => ({ id, username: `user${id}`, displayName: "", bio: "", createdAt: "" });
const viewer = (id: number, isAdmin = false): Viewer => ({ user: user(id), sessionId: 1, isAdmin });
const promptBy = (authorId: number): Prompt => ({
  id: 9,
  text: "rain",
  author: { id: authorId, username: `user${authorId}` },
  createdAt: "",
  updatedAt: "",
  likeCount: 0,
  likedByMe: false,
});

describe("social policies", () => {
  it("lets only the author edit or delete a prompt, admins included", () => {
    expect(mayEditPrompt(viewer(1), promptBy(1))).toBe(true);
    expect(mayEditPrompt(viewer(2), promptBy(1))).toBe(false);
    expect(mayEditPrompt(viewer(2, true), promptBy(1))).toBe(false);
    expect(mayDeletePrompt(viewer(1), promptBy(1))).toBe(true);
    expect(mayDeletePrompt(viewer(2), promptBy(1))).toBe(false);
  });

  it("lets anyone follow anyone but themselves", () => {
    expect(mayFollow(viewer(1), user(2))).toBe(true);
    expect(mayFollow(viewer(1), user(1))).toBe(false);
  });

  it("reposts a like to followers except on one's own prompt", () => {
    expect(likeReposts(viewer(2), promptBy(1))).toBe(true);
    expect(likeReposts(viewer(1), promptBy(1))).toBe(false);
  });
});
