import { screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Profile } from "../../api/types.js";
import { session } from "../../test/fixtures.js";
import { json, renderAt, stubApi } from "../../test/render.js";
import { ProfileFollowers, ProfilePage, ProfilePrompts } from "./ProfilePage.js";

const routes = [
  {
    path: "/people/:name",
    element: <ProfilePage />,
    children: [
      { index: true, element: <ProfilePrompts /> },
      { path: "followers", element: <ProfileFollowers /> },
    ],
  },
];

const profile = (username: string): Profile => ({
  id: 4,
  username,
  displayName: "Ana",
  bio: "",
  createdAt: "2026-01-01T10:00:00.000Z",
  followerCount: 0,
  followingCount: 0,
  promptCount: 0,
  following: false,
});

const empty = { items: [], nextCursor: null };

describe("a person's page", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("says nobody has the name, without a Try again that cannot help", async () => {
    stubApi(({ url }) => {
      if (url === "/api/session") return json(200, session(null));
      if (url === "/api/users/nobody-here")
        return json(404, { error: { code: "USER_NOT_FOUND", message: "no user nobody-here" } });
    });
    renderAt(routes, "/people/nobody-here");
    await screen.findByText("Nobody has this username.");
    expect(screen.queryByRole("button", { name: "Try again" })).toBeNull();
  });

  it("follows a rename the API answers with movedTo, to the same tab of the new name", async () => {
    const calls = stubApi(({ url }) => {
      if (url === "/api/session") return json(200, session(null));
      if (url === "/api/users/ana_old") return json(301, { movedTo: "ana_new" });
      if (url === "/api/users/ana_new") return json(200, profile("ana_new"));
      if (url.startsWith("/api/users/ana_new/followers")) return json(200, empty);
    });
    const { router } = renderAt(routes, "/people/ana_old/followers");
    await screen.findByRole("heading", { level: 1, name: "Ana" });
    await waitFor(() => expect(router.state.location.pathname).toBe("/people/ana_new/followers"));
    await screen.findByText("No followers yet.");
    expect(calls.some((call) => call.url.startsWith("/api/users/ana_old/"))).toBe(false);
  });

  it("follows a rename the browser followed itself (a 301 with Location)", async () => {
    // fetch follows a redirect with a Location: the old name answers the new profile.
    stubApi(({ url }) => {
      if (url === "/api/session") return json(200, session(null));
      if (url === "/api/users/ana_old" || url === "/api/users/ana_new") return json(200, profile("ana_new"));
      if (url.startsWith("/api/users/ana_new/prompts")) return json(200, empty);
    });
    const { router } = renderAt(routes, "/people/ana_old");
    await waitFor(() => expect(router.state.location.pathname).toBe("/people/ana_new"));
    await screen.findByText("No prompts published yet.");
  });
});
