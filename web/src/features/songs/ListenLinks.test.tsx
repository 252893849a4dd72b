import { act, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Song } from "../../api/types.js";
import { chooseLanguage } from "../../i18n/i18n.js";
import { session, songHit } from "../../test/fixtures.js";
import { json, renderAt, renderWithApp, stubApi } from "../../test/render.js";
import { SongCard } from "./SongCard.js";
import { SongPage } from "./SongPage.js";

const hostile = `"><img src=x onerror=alert(1)>`;

const listen: Song["listen"] = [
  { service: "Spotify", kind: "song", url: "https://open.spotify.com/track/1vrMGV0cxKxujjkhKiFMUe" },
  { service: "YouTube Music", kind: "search", url: "https://music.youtube.com/search?q=%22%3E%3Cimg" },
  { service: "Catalog", kind: "song", url: "javascript:alert(1)" },
];

const hit = songHit("1", {});
const song = { ...hit.song, title: hostile, listen };

const renderCard = () =>
  renderWithApp(
    <SongCard hit={{ ...hit, song }} rank={1} best={0.5} absolute={false} terms={new Set()} from="/" />,
  );

function expectOpensInNewTab(link: HTMLElement, href: string) {
  expect(link.getAttribute("href")).toBe(href);
  expect(link.getAttribute("target")).toBe("_blank");
  expect(link.getAttribute("rel")).toBe("noopener noreferrer");
}

describe("listening to a song", () => {
  afterEach(async () => {
    vi.unstubAllGlobals();
    await act(() => chooseLanguage("en"));
  });

  it("opens a Listen panel on a song of an answer, by keyboard, with a link to each service", async () => {
    renderCard();
    const listenButton = screen.getByRole("button", { name: "Listen", expanded: false });
    expect(screen.queryByRole("link", { name: /^Listen to/ })).toBeNull();
    listenButton.focus();
    await userEvent.keyboard("{Enter}");
    expect(listenButton.getAttribute("aria-expanded")).toBe("true");
    expect(screen.getByRole("region", { name: "Listen" }).id).toBe(
      listenButton.getAttribute("aria-controls"),
    );
    expectOpensInNewTab(
      screen.getByRole("link", { name: `Listen to ${hostile} on Spotify` }),
      "https://open.spotify.com/track/1vrMGV0cxKxujjkhKiFMUe",
    );
    const search = screen.getByRole("link", { name: `Listen to ${hostile} on YouTube Music (search)` });
    expectOpensInNewTab(search, "https://music.youtube.com/search?q=%22%3E%3Cimg");
    expect(search.textContent).toBe("YouTube Music (search)");
    // The title is text, never markup; an address that is no web address is no link.
    expect(document.querySelector("img")).toBeNull();
    expect(screen.queryByRole("link", { name: /Catalog/ })).toBeNull();
  });

  it("names the links in Spanish", async () => {
    await act(() => chooseLanguage("es"));
    renderCard();
    screen.getByRole("button", { name: "Escuchar" }).focus();
    await userEvent.keyboard("{Enter}");
    expect(screen.getByRole("link", { name: `Escuchar ${hostile} en Spotify` })).toBeDefined();
    expect(
      screen.getByRole("link", { name: `Escuchar ${hostile} en YouTube Music (búsqueda)` }),
    ).toBeDefined();
  });

  it("lists where to listen on a song's page", async () => {
    stubApi(({ url }) => {
      if (url === "/api/session") return json(200, session(null));
      if (url === "/api/songs/1") return json(200, { ...song, title: "Harbour Lights", lyrics: null });
      if (url.startsWith("/api/songs/1/similar")) return json(200, { results: [] });
    });
    renderAt([{ path: "/songs/:id", element: <SongPage /> }], "/songs/1");
    const section = await screen.findByRole("region", { name: "Listen" });
    expect(
      within(section)
        .getAllByRole("link")
        .map((link) => link.getAttribute("aria-label")),
    ).toEqual(["Listen to Harbour Lights on Spotify", "Listen to Harbour Lights on YouTube Music (search)"]);
    expectOpensInNewTab(
      within(section).getByRole("link", { name: "Listen to Harbour Lights on Spotify" }),
      "https://open.spotify.com/track/1vrMGV0cxKxujjkhKiFMUe",
    );
  });
});
