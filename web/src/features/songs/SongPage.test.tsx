import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { session, songHit } from "../../test/fixtures.js";
import { json, renderAt, stubApi } from "../../test/render.js";
import { ArtistPage } from "./ArtistPage.js";
import { SongPage } from "./SongPage.js";

const routes = [
  { path: "/songs/:id", element: <SongPage /> },
  { path: "/artists/:name", element: <ArtistPage /> },
  { path: "/", element: <h1>The answer</h1> },
];

const harbour = {
  id: "harbour",
  title: "Harbour Lights",
  artists: ["The Testers", "Ana María"],
  album: "Piers",
  genre: null,
  language: "en",
  releaseDate: "2020-01-01",
  features: songHit("x").song.features,
  listen: songHit("x").song.listen,
  lyrics: "the boats come home\n\nand the harbour lights\nare on tonight\n\nlast verse",
};

function serveSong() {
  return stubApi(({ url }) => {
    if (url === "/api/session") return json(200, session(null));
    if (url === "/api/songs/harbour") return json(200, harbour);
    if (url === "/api/songs/harbour/passages/1")
      return json(200, { ordinal: 1, text: "and the harbour lights are on tonight" });
    if (url.startsWith("/api/songs/harbour/similar")) return json(200, { results: [] });
    if (url.startsWith("/api/artists/Ana%20Mar%C3%ADa/songs"))
      return json(200, {
        items: [harbour, { ...harbour, id: "tide", title: "Low Tide", album: null, releaseDate: "2018" }],
        nextCursor: null,
      });
  });
}

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

  it("marks the passage an answer matched, and leads back to the answer", async () => {
    serveSong();
    const from = "/?q=harbour+lights&energy=0.2..";
    const { router } = renderAt(routes, `/songs/harbour?passage=1&from=${encodeURIComponent(from)}`);
    const lyrics = await screen.findByRole("region", { name: "Lyrics of Harbour Lights" });
    await waitFor(() => expect(lyrics.querySelector("mark")).not.toBeNull());
    expect(lyrics.querySelector("mark")!.textContent).toBe(
      "Passage that matched:and the harbour lights\nare on tonightEnd of the passage.",
    );
    expect(screen.getByText("The passage that matched is marked in the lyrics.")).toBeDefined();
    const back = screen.getByRole("link", { name: "Back to the answer" });
    expect(back.getAttribute("href")).toBe(from);
    await userEvent.click(back);
    await waitFor(() =>
      expect(`${router.state.location.pathname}${router.state.location.search}`).toBe(from),
    );
  });

  it("leads nowhere but this app, and marks nothing without a passage", async () => {
    serveSong();
    renderAt(routes, `/songs/harbour?from=${encodeURIComponent("//evil.example/")}`);
    const lyrics = await screen.findByRole("region", { name: "Lyrics of Harbour Lights" });
    expect(lyrics.querySelector("mark")).toBeNull();
    expect(screen.queryByRole("link", { name: /Back to/ })).toBeNull();
  });

  it("links each artist to their songs", async () => {
    serveSong();
    const { router } = renderAt(routes, "/songs/harbour");
    await screen.findByRole("heading", { level: 1, name: "Harbour Lights" });
    expect(screen.getByRole("link", { name: "The Testers" }).getAttribute("href")).toBe(
      "/artists/The%20Testers",
    );
    await userEvent.click(screen.getByRole("link", { name: "Ana María" }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/artists/Ana%20Mar%C3%ADa"));
    await screen.findByRole("heading", { level: 1, name: "Ana María" });
    const list = await screen.findByRole("list", { name: "Songs of Ana María" });
    expect(
      within(list)
        .getAllByRole("heading", { level: 3 })
        .map((h) => h.textContent),
    ).toEqual(["Harbour Lights", "Low Tide"]);
    expect(within(list).getByRole("link", { name: "Low Tide" }).getAttribute("href")).toBe("/songs/tide");
  });
});
