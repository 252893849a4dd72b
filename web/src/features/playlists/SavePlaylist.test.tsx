import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { session, user } from "../../test/fixtures.js";
import { json, renderWithApp, stubApi, type ApiCall } from "../../test/render.js";
import { SavePlaylist } from "./SavePlaylist.js";

const rain = {
  prompt: "rain & snow",
  filters: { language: "es", energy: { min: 0.4 }, year: { min: 1990, max: 1999 } },
  k: 20,
};
const server = "http://music.local:4533/";

function serving(
  account: { server: string | null; username: string | null } | null,
  saved?: (call: ApiCall) => Response,
) {
  return stubApi((call) => {
    if (call.url === "/api/session") return json(200, session(account ? user(1, "ana") : null));
    if (call.url === "/api/me/music-server")
      return account
        ? json(200, account)
        : json(401, { error: { code: "AUTH_REQUIRED", message: "sign in" } });
    if (call.url === "/api/playlists" && saved) return saved(call);
    return undefined;
  });
}

describe("Save as playlist", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("downloads the answer as M3U8 and XSPF, with the ask's prompt, number of songs and filters", async () => {
    serving(null);
    renderWithApp(<SavePlaylist source={{ query: rain }} />);
    await userEvent.click(screen.getByText("Save as playlist"));
    const m3u8 = screen.getByRole("link", { name: "Download M3U8" });
    expect(m3u8.getAttribute("href")).toBe(
      "/api/ask.m3u8?prompt=rain+%26+snow&k=20&language=es&year=1990..1999&energy=0.4..",
    );
    expect(m3u8.hasAttribute("download")).toBe(true);
    expect(screen.getByRole("link", { name: "Download XSPF" }).getAttribute("href")).toMatch(
      /^\/api\/ask\.xspf\?prompt=rain/,
    );
    expect(screen.queryByRole("button", { name: /Save to/ })).toBeNull();
  });

  it("downloads a published prompt's playlist by its id", async () => {
    serving(null);
    renderWithApp(<SavePlaylist source={{ promptId: 42 }} />);
    await userEvent.click(screen.getByText("Save as playlist"));
    expect(screen.getByRole("link", { name: "Download XSPF" }).getAttribute("href")).toBe(
      "/api/prompts/42.xspf",
    );
  });

  it("saves to the music server with my account there, and says how many songs it holds", async () => {
    const calls = serving({ server, username: "ana" }, () =>
      json(200, {
        server,
        playlistId: "7",
        name: "rain & snow",
        songIds: ["a", "b"],
        leftOut: 0,
        created: true,
      }),
    );
    renderWithApp(<SavePlaylist source={{ query: rain }} />);
    await userEvent.click(screen.getByText("Save as playlist"));
    await userEvent.click(await screen.findByRole("button", { name: "Save to music.local:4533" }));
    expect(await screen.findByText("Saved to music.local:4533 with 2 songs.")).toBeDefined();
    expect(calls.find((call) => call.url === "/api/playlists")?.body).toEqual({
      prompt: "rain & snow",
      k: 20,
      filters: rain.filters,
    });
  });

  it("leads to my account page when my account on the server is not saved, and says why a save failed", async () => {
    serving({ server, username: null });
    renderWithApp(<SavePlaylist source={{ promptId: 3 }} />);
    await userEvent.click(screen.getByText("Save as playlist"));
    const link = await screen.findByRole("link", { name: /Save your account on music.local:4533/ });
    expect(link.getAttribute("href")).toBe("/me#music-server");
    vi.unstubAllGlobals();

    serving({ server, username: "ana" }, () =>
      json(400, { error: { code: "MUSIC_SERVER_ACCOUNT_REFUSED", message: "refused" } }),
    );
    document.body.innerHTML = "";
    renderWithApp(<SavePlaylist source={{ promptId: 3 }} />);
    await userEvent.click(screen.getByText("Save as playlist"));
    await userEvent.click(await screen.findByRole("button", { name: "Save to music.local:4533" }));
    expect((await screen.findByRole("alert")).textContent).toMatch(/refused this user name or password/);
  });
});
