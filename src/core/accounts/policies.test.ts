import { describe, expect, it } from "vitest";
import { isAdmin, mayRename } from "./policies.js";
import type { User } from "./user.js";

const user = (username: string): User => ({ id: 1, username, displayName: "", bio: "", createdAt: "" });

describe("account policies", () => {
  it("makes admins of the configured usernames, in any letter case", () => {
    expect(isAdmin(user("root"), ["Root"])).toBe(true);
    expect(isAdmin(user("rooter"), ["root"])).toBe(false);
    expect(isAdmin(user("root"), [])).toBe(false);
  });

  it("lets anyone rename, except into an admin's name or out of one", () => {
    expect(mayRename(user("bob"), "robert", ["root"])).toBe(true);
    expect(mayRename(user("bob"), "root", ["ROOT"])).toBe(false);
    expect(mayRename(user("root"), "groot", ["root"])).toBe(false);
    expect(mayRename(user("bob"), "robert", [])).toBe(true);
  });
});
