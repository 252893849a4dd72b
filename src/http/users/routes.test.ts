import { afterEach, describe, expect, it } from "vitest";
import { buildTestApp, PASSWORD, type TestApp } from "../../../test/support/test-app.js";

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

const usernames = (items: { username: string }[]) => items.map((u) => u.username);

describe("finding people", () => {
  it("matches case-insensitively, usernames starting with the text first, then alphabetically", async () => {
    t = await buildTestApp();
    for (const name of ["zed.ann", "anna", "bob", "joanne", "annabel", "ann-marie"]) await t.register(name);
    const carol = await t.register("carol");
    await t.call("PATCH", "/api/me", { token: carol.token, body: { displayName: "Carol Anne" } });
    const reply = await t.call("GET", "/api/users?q=ANN");
    expect(reply.status).toBe(200);
    expect(usernames(reply.body.items)).toEqual([
      "ann-marie",
      "anna",
      "annabel",
      "carol",
      "joanne",
      "zed.ann",
    ]);
    expect(reply.body.nextCursor).toBeNull();
  });

  it("pages through matches with cursors across the prefix/other boundary", async () => {
    t = await buildTestApp();
    for (const name of ["ann1", "ann2", "ann3", "xann1", "xann2"]) await t.register(name);
    const first = await t.call("GET", "/api/users?q=ann&limit=2");
    const second = await t.call("GET", `/api/users?q=ann&limit=2&cursor=${first.body.nextCursor}`);
    const third = await t.call("GET", `/api/users?q=ann&limit=2&cursor=${second.body.nextCursor}`);
    expect([...first.body.items, ...second.body.items, ...third.body.items].map((u) => u.username)).toEqual([
      "ann1",
      "ann2",
      "ann3",
      "xann1",
      "xann2",
    ]);
    expect(third.body.nextCursor).toBeNull();
  });

  it("takes LIKE wildcards in the query literally", async () => {
    t = await buildTestApp();
    await t.register("a_b");
    await t.register("axb");
    expect(usernames((await t.call("GET", "/api/users?q=a_")).body.items)).toEqual(["a_b"]);
    expect(usernames((await t.call("GET", "/api/users?q=%25")).body.items)).toEqual([]);
  });

  it("suggests random people, never me nor those I follow", async () => {
    t = await buildTestApp();
    const me = await t.register("me.myself");
    const names = Array.from({ length: 30 }, (_, i) => `person${i}`);
    for (const name of names) await t.register(name);
    for (const name of names.slice(0, 25))
      await t.call("PUT", `/api/users/${name}/follow`, { token: me.token });
    const reply = await t.call("GET", "/api/users/random?n=20", { token: me.token });
    expect(reply.status).toBe(200);
    expect(usernames(reply.body.items).sort()).toEqual(names.slice(25).sort());
    const anonymous = await t.call("GET", "/api/users/random?n=20");
    expect(anonymous.body.items).toHaveLength(20);
    expect(new Set(usernames(anonymous.body.items)).size).toBe(20);
  });

  it("answers a few suggestions from the probe when many users qualify, all distinct and eligible", async () => {
    t = await buildTestApp();
    const me = await t.register("viewer");
    for (let i = 0; i < 200; i += 1) await t.register(`user${i}`);
    await t.call("PUT", "/api/users/user0/follow", { token: me.token });
    for (let round = 0; round < 5; round += 1) {
      const items = usernames(
        (await t.call("GET", "/api/users/random?n=20", { token: me.token })).body.items,
      );
      expect(items).toHaveLength(20);
      expect(new Set(items).size).toBe(20);
      expect(items).not.toContain("viewer");
      expect(items).not.toContain("user0");
    }
  });
});

describe("profiles and the follow graph", () => {
  it("shows counts and whether I follow them; follow and unfollow are idempotent", async () => {
    t = await buildTestApp();
    const alice = await t.register("alice");
    const bob = await t.register("bob");
    await t.call("POST", "/api/prompts", { token: bob.token, body: { text: "songs about trains" } });
    for (let i = 0; i < 2; i += 1) {
      const followed = await t.call("PUT", "/api/users/BOB/follow", { token: alice.token });
      expect(followed.status).toBe(200);
      expect(followed.body).toMatchObject({ username: "bob", followerCount: 1, following: true });
    }
    const asAlice = await t.call("GET", "/api/users/bob", { token: alice.token });
    expect(asAlice.body).toEqual({
      id: bob.id,
      username: "bob",
      displayName: "",
      bio: "",
      createdAt: expect.any(String),
      followerCount: 1,
      followingCount: 0,
      promptCount: 1,
      following: true,
    });
    expect((await t.call("GET", "/api/users/bob")).body.following).toBe(false);
    expect((await t.call("GET", "/api/users/alice")).body.followingCount).toBe(1);
    for (let i = 0; i < 2; i += 1) {
      const unfollowed = await t.call("DELETE", "/api/users/bob/follow", { token: alice.token });
      expect(unfollowed.body).toMatchObject({ followerCount: 0, following: false });
    }
    expect(await t.db.selectFrom("follows").selectAll().execute()).toEqual([]);
  });

  it("refuses following myself", async () => {
    t = await buildTestApp();
    const alice = await t.register("alice");
    const reply = await t.call("PUT", "/api/users/alice/follow", { token: alice.token });
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("CANNOT_FOLLOW_SELF");
    expect(await t.db.selectFrom("follows").selectAll().execute()).toEqual([]);
  });

  it("lists following and followers newest first, page by page", async () => {
    t = await buildTestApp();
    const star = await t.register("star");
    const fans = [];
    for (let i = 0; i < 7; i += 1) fans.push(await t.register(`fan${i}`));
    for (const fan of fans) await t.call("PUT", "/api/users/star/follow", { token: fan.token });
    for (const fan of fans.slice(0, 3))
      await t.call("PUT", `/api/users/${fan.username}/follow`, { token: star.token });

    const collect = async (url: string) => {
      const names: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: { username: string }[]; nextCursor: string | null } } = await t.call(
          "GET",
          cursor ? `${url}&cursor=${cursor}` : url,
        );
        names.push(...usernames(page.body.items));
        cursor = page.body.nextCursor;
      } while (cursor);
      return names;
    };
    expect(await collect("/api/users/star/followers?limit=3")).toEqual(fans.map((f) => f.username).reverse());
    expect(await collect("/api/users/star/following?limit=2")).toEqual(["fan2", "fan1", "fan0"]);
    expect(await collect("/api/users/fan0/followers?limit=5")).toEqual(["star"]);
  });

  it("answers 404 for people who do not exist", async () => {
    t = await buildTestApp();
    const alice = await t.register("alice");
    for (const url of [
      "/api/users/nobody",
      "/api/users/nobody/prompts",
      "/api/users/nobody/following",
      "/api/users/nobody/followers",
      "/api/users/not%20a%20name",
    ]) {
      const reply = await t.call("GET", url);
      expect(reply.status, url).toBe(404);
      expect(reply.body.error.code).toBe("USER_NOT_FOUND");
    }
    const follow = await t.call("PUT", "/api/users/nobody/follow", { token: alice.token });
    expect(follow.status).toBe(404);
  });
});

describe("a former username", () => {
  const rename = async (token: string, username: string) => {
    const reply = await t.call("PATCH", "/api/me", { token, body: { username, currentPassword: PASSWORD } });
    expect(reply.status).toBe(200);
  };

  it("answers a permanent redirect to the profile under the name now, from every earlier name, until the account goes", async () => {
    t = await buildTestApp();
    const ana = await t.register("ana");
    await rename(ana.token, "ana.b");
    await rename(ana.token, "ana.c");
    for (const old of ["ana", "ANA", "ana.b"]) {
      const reply = await t.call("GET", `/api/users/${old}`);
      expect(reply.status, old).toBe(308);
      expect(reply.headers.location).toBe("/api/users/ana.c");
      expect(reply.body).toEqual({ movedTo: "ana.c" });
    }
    const now = await t.call("GET", "/api/users/ana.c");
    expect(now.body).toMatchObject({ id: ana.id, username: "ana.c" });

    const deleted = await t.call("DELETE", "/api/me", { token: ana.token, body: { password: PASSWORD } });
    expect(deleted.status).toBe(204);
    expect((await t.call("GET", "/api/users/ana")).status).toBe(404);
  });

  it("leads nowhere once someone else takes it, and is the owner's again when they take it back", async () => {
    t = await buildTestApp();
    const ana = await t.register("ana");
    await rename(ana.token, "ana.new");
    const other = await t.register("ana");
    const taken = await t.call("GET", "/api/users/ana");
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({ id: other.id, username: "ana" });
    // The newcomer moves on: the name now leads to them, never back to the first owner.
    await rename(other.token, "not.ana");
    expect((await t.call("GET", "/api/users/ana")).headers.location).toBe("/api/users/not.ana");

    const bea = await t.register("bea");
    await rename(bea.token, "bea.x");
    await rename(bea.token, "bea");
    expect((await t.call("GET", "/api/users/bea")).body).toMatchObject({ id: bea.id, username: "bea" });
    expect((await t.call("GET", "/api/users/bea.x")).headers.location).toBe("/api/users/bea");
  });
});
