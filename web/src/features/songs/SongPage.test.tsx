import { screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { session } from "../../test/fixtures.js";
import { json, renderAt, stubApi } from "../../test/render.js";
import { SongPage } from "./SongPage.js";

const routes = [{ path: "/songs/:id", element: <SongPage /> }];

describe("a song's page", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("says the song is not in the catalog, without a Try again that cannot help", async () => {
    stubApi(({ url }) => {
      if (url === "/api/session") return json(200, session(null));
      if (url.startsWith("/api/songs/does-not-exist"))
        return json(404, { error: { code: "SONG_NOT_FOUND", message: "no song" } });
    });
    renderAt(routes, "/songs/does-not-exist");
    await screen.findByText("This song is not in the catalog.");
    expect(screen.queryByRole("button", { name: "Try again" })).toBeNull();
  });

  it("offers Try again when the server could not answer", async () => {
    stubApi(({ url }) => {
      if (url.startsWith("/api/songs/"))
        return json(503, { error: { code: "DEPENDENCY_UNAVAILABLE", message: "database down" } });
    });
    renderAt(routes, "/songs/abc");
    await screen.findByRole("button", { name: "Try again" });
  });
});
