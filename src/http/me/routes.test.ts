import { afterEach, describe, expect, it } from "vitest";
import { snapshot } from "../../../test/support/social-snapshot.js";
import { buildTestApp, PASSWORD, type TestApp, type TestAppOptions } from "../../../test/support/test-app.js";

let t: TestApp;
const start = async (options: TestAppOptions = {}) => {
  t = await buildTestApp(options);
  return t;
};
afterEach(async () => {
  await t?.close();
});

/** alice posts and likes bob's prompt; alice follows bob; carol follows alice; bob likes alice's prompt. */
async function smallNetwork() {
  const alice = await t.register("alice");
  const bob = await t.register("bob");
  const carol = await t.register("carol");
  const alicePrompt = (
    await t.call("POST", "/api/prompts", { token: alice.token, body: { text: "songs about rain" } })
  ).body;
  const bobPrompt = (
    await t.call("POST", "/api/prompts", { token: bob.token, body: { text: "songs about trains" } })
  ).body;
  await t.call("PUT", `/api/prompts/${bobPrompt.id}/like`, { token: alice.token });
  await t.call("PUT", `/api/prompts/${alicePrompt.id}/like`, { token: bob.token });
  await t.call("PUT", `/api/prompts/${alicePrompt.id}/like`, { token: carol.token });
  await t.call("PUT", "/api/users/bob/follow", { token: alice.token });
  await t.call("PUT", "/api/users/alice/follow", { token: carol.token });
  await t.call("PUT", "/api/users/alice/follow", { token: bob.token });
  return { alice, bob, carol, alicePrompt, bobPrompt };
}

describe("my profile", () => {
  it("reads and edits display name and bio, trimmed", async () => {
    await start();
    const { token } = await t.register("alice");
    const edited = await t.call("PATCH", "/api/me", {
      token,
      body: { displayName: "  Alice A.  ", bio: "I like songs about the sea." },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      username: "alice",
      displayName: "Alice A.",
      bio: "I like songs about the sea.",
    });
    expect((await t.call("GET", "/api/me", { token })).body).toEqual(edited.body);
  });

  it("refuses a bio that is too long, and a display name over two lines or reordering its text", async () => {
    await start();
    const { token } = await t.register("alice");
    const bio = await t.call("PATCH", "/api/me", { token, body: { bio: "x".repeat(281) } });
    expect(bio.status).toBe(400);
    expect(bio.body.error.code).toBe("BIO_TOO_LONG");
    const name = await t.call("PATCH", "/api/me", { token, body: { displayName: "two\nlines" } });
    expect(name.body.error.code).toBe("DISPLAY_NAME_INVALID");
    const spoof = await t.call("PATCH", "/api/me", { token, body: { displayName: "admin\u202egnp.exe" } });
    expect(spoof.body.error.code).toBe("DISPLAY_NAME_INVALID");
  });
});

describe("rename", () => {
  it("needs the current password, and a wrong one changes nothing", async () => {
    await start();
    const { token } = await t.register("alice");
    const before = await snapshot(t.db);
    const without = await t.call("PATCH", "/api/me", { token, body: { username: "alicia" } });
    expect(without.status).toBe(400);
    expect(without.body.error.code).toBe("CURRENT_PASSWORD_REQUIRED");
    const wrong = await t.call("PATCH", "/api/me", {
      token,
      body: { username: "alicia", currentPassword: "not my password" },
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body.error.code).toBe("WRONG_PASSWORD");
    expect(await snapshot(t.db)).toEqual(before);
  });

  it("refuses a taken username", async () => {
    await start();
    const { token } = await t.register("alice");
    await t.register("bob");
    const reply = await t.call("PATCH", "/api/me", {
      token,
      body: { username: "Bob", currentPassword: PASSWORD },
    });
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe("USERNAME_TAKEN");
  });

  it("keeps every prompt, like, repost, follow and follower: only the users row changes", async () => {
    await start();
    const { alice, carol, alicePrompt, bobPrompt } = await smallNetwork();
    const before = await snapshot(t.db);
    const feedBefore = (await t.call("GET", "/api/feed", { token: carol.token })).body.items;
    const profileBefore = (await t.call("GET", "/api/users/alice")).body;

    const renamed = await t.call("PATCH", "/api/me", {
      token: alice.token,
      body: { username: "Alicia", currentPassword: PASSWORD },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: alice.id, username: "alicia" });

    const after = await snapshot(t.db);
    for (const table of ["sessions", "prompts", "likes", "follows", "activities"]) {
      expect(after[table], table).toEqual(before[table]);
    }
    expect((await t.call("GET", "/api/users/alice")).status).toBe(308);
    const profileAfter = (await t.call("GET", "/api/users/alicia")).body;
    expect(profileAfter).toEqual({ ...profileBefore, username: "alicia" });
    expect(profileAfter).toMatchObject({ followerCount: 2, followingCount: 1, promptCount: 1 });

    const feedAfter = (await t.call("GET", "/api/feed", { token: carol.token })).body.items;
    expect(feedAfter.map((i: { id: number }) => i.id)).toEqual(feedBefore.map((i: { id: number }) => i.id));
    expect(feedAfter.find((i: { id: number }) => i.id === bobPrompt.id).repostedBy).toEqual({
      id: alice.id,
      username: "alicia",
    });
    expect(feedAfter.find((i: { id: number }) => i.id === alicePrompt.id).author).toEqual({
      id: alice.id,
      username: "alicia",
    });
    const liked = (await t.call("GET", `/api/prompts/${bobPrompt.id}`, { token: alice.token })).body;
    expect(liked).toMatchObject({ likeCount: 1, likedByMe: true });
    const bobFollowers = (await t.call("GET", "/api/users/bob/followers")).body.items;
    expect(bobFollowers.map((u: { username: string }) => u.username)).toEqual(["alicia"]);
    // The old name is free again, for a new account with a new id.
    const newcomer = await t.register("alice");
    expect(newcomer.id).not.toBe(alice.id);
  });

  it("limits wrong current-password attempts", async () => {
    await start();
    const { token } = await t.register("alice");
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      const reply = await t.call("PATCH", "/api/me", {
        token,
        body: { username: "alicia", currentPassword: `guess${i}` },
      });
      statuses.push(reply.status);
    }
    expect(statuses).toEqual([403, 403, 403, 403, 403, 429]);
  });
});

describe("password change", () => {
  it("ends my other sessions, keeps this one, and replaces the password", async () => {
    await start();
    const { token: current } = await t.register("alice");
    const other = (
      await t.call("POST", "/api/auth/login", { body: { username: "alice", password: PASSWORD } })
    ).body.token;
    const newPassword = "a brand new passphrase";
    const reply = await t.call("PUT", "/api/me/password", {
      token: current,
      body: { currentPassword: PASSWORD, newPassword },
    });
    expect(reply.status).toBe(204);
    expect((await t.call("GET", "/api/me", { token: current })).status).toBe(200);
    expect((await t.call("GET", "/api/me", { token: other })).status).toBe(401);
    const old = await t.call("POST", "/api/auth/login", { body: { username: "alice", password: PASSWORD } });
    expect(old.status).toBe(401);
    const fresh = await t.call("POST", "/api/auth/login", {
      body: { username: "alice", password: newPassword },
    });
    expect(fresh.status).toBe(200);
  });

  it("refuses a wrong current password or a weak new one, changing nothing", async () => {
    await start();
    const { token } = await t.register("alice");
    await t.call("POST", "/api/auth/login", { body: { username: "alice", password: PASSWORD } });
    const before = await snapshot(t.db);
    const wrong = await t.call("PUT", "/api/me/password", {
      token,
      body: { currentPassword: "not my password", newPassword: "a brand new passphrase" },
    });
    expect(wrong.status).toBe(403);
    const weak = await t.call("PUT", "/api/me/password", {
      token,
      body: { currentPassword: PASSWORD, newPassword: "iloveyou" },
    });
    expect(weak.status).toBe(400);
    expect(weak.body.error.code).toBe("PASSWORD_TOO_COMMON");
    const short = await t.call("PUT", "/api/me/password", {
      token,
      body: { currentPassword: PASSWORD, newPassword: "Alice" },
    });
    expect(short.body.error.code).toBe("PASSWORD_TOO_SHORT");
    expect(await snapshot(t.db)).toEqual(before);
  });
});

describe("account deletion", () => {
  it("leaves no row that points to me, fixes the like counts I contributed, and ends every session", async () => {
    await start();
    const { alice, bob, carol, alicePrompt, bobPrompt } = await smallNetwork();
    const secondSession = (
      await t.call("POST", "/api/auth/login", { body: { username: "alice", password: PASSWORD } })
    ).body.token;
    expect((await t.call("GET", `/api/prompts/${bobPrompt.id}`)).body.likeCount).toBe(1);

    const reply = await t.call("DELETE", "/api/me", { token: alice.token, body: { password: PASSWORD } });
    expect(reply.status).toBe(204);

    const rows = await snapshot(t.db);
    const pointsToAlice = (row: Record<string, unknown>) =>
      ["user_id", "author_id", "actor_id", "follower_id", "followee_id"].some(
        (column) => row[column] === alice.id,
      ) || row.prompt_id === alicePrompt.id;
    for (const [table, tableRows] of Object.entries(rows)) {
      expect(
        tableRows.filter((row) => pointsToAlice(row as Record<string, unknown>)),
        table,
      ).toEqual([]);
    }
    expect(rows.users?.map((u) => (u as { id: number }).id)).toEqual([bob.id, carol.id]);
    expect(rows.prompts?.map((p) => (p as { id: number }).id)).toEqual([bobPrompt.id]);

    expect((await t.call("GET", `/api/prompts/${bobPrompt.id}`)).body.likeCount).toBe(0);
    expect((await t.call("GET", `/api/prompts/${alicePrompt.id}`)).status).toBe(404);
    expect((await t.call("GET", "/api/prompts?q=rain")).body.items).toEqual([]);
    expect((await t.call("GET", "/api/users/bob")).body).toMatchObject({
      followerCount: 0,
      followingCount: 0,
    });
    for (const token of [alice.token, secondSession]) {
      expect((await t.call("GET", "/api/me", { token })).status).toBe(401);
    }
    expect(
      (await t.call("POST", "/api/auth/login", { body: { username: "alice", password: PASSWORD } })).status,
    ).toBe(401);
    const carolFeed = (await t.call("GET", "/api/feed", { token: carol.token })).body.items;
    expect(carolFeed).toEqual([]);
  });

  it("needs the password, and a wrong one changes nothing", async () => {
    await start();
    const { alice } = await smallNetwork();
    const before = await snapshot(t.db);
    const reply = await t.call("DELETE", "/api/me", {
      token: alice.token,
      body: { password: "not my password" },
    });
    expect(reply.status).toBe(403);
    expect(reply.body.error.code).toBe("WRONG_PASSWORD");
    expect(await snapshot(t.db)).toEqual(before);
  });
});
