import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AskResponse, SongHit } from "../../api/types.js";
import { stubAskApi } from "../../test/ask-api.js";
import { answer, songHit } from "../../test/fixtures.js";
import { deferred, json, renderAt } from "../../test/render.js";
import { AskPage } from "./AskPage.js";

const routes = [{ path: "/", element: <AskPage /> }];

/** `count` songs, "Song 1" first, each with the score and fit given. */
const songs = (count: number, from = 1, fit?: SongHit["fit"], score = (i: number) => 1 - i / 100) =>
  Array.from({ length: count }, (_, i) =>
    songHit(String(from + i), { score: score(from + i - 1), ...(fit ? { fit } : {}) }),
  );

const titles = () =>
  within(screen.getByRole("list", { name: /^Songs for/ }))
    .getAllByRole("heading", { level: 3 })
    .map((heading) => heading.textContent);

describe("more songs", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("asks for ten more, keeps the songs shown meanwhile, and moves focus to the first new one", async () => {
    const more = deferred<Response>();
    const api = stubAskApi((body) =>
      body.k === 20 ? more.promise : json(200, answer(body.prompt, songs(10), { k: 10 })),
    );
    const { router } = renderAt(routes, "/?q=rain");
    await userEvent.click(await screen.findByRole("button", { name: "More songs" }));
    expect(api.asked().at(-1)).toEqual({ prompt: "rain", k: 20 });
    expect(router.state.location.search).toBe("?q=rain&k=20");
    // The ten songs stay while the next ones come.
    expect(titles()).toHaveLength(10);
    expect(screen.getByRole("button", { name: "Finding more songs…" })).toBeDefined();

    more.resolve(json(200, answer("rain", songs(20), { k: 20 })));
    await waitFor(() => expect(titles()).toHaveLength(20));
    await waitFor(() => expect(document.activeElement?.textContent).toBe("Song 11"));
    expect(screen.getByRole("button", { name: "More songs" })).toBeDefined();
  });

  it("offers no more when the catalog has no more, or at the API's 50", async () => {
    stubAskApi((body) =>
      json(200, answer(body.prompt, songs(body.prompt === "few" ? 7 : 50), { k: body.k ?? 10 })),
    );
    renderAt(routes, "/?q=few");
    await screen.findByText("Song 7");
    expect(screen.queryByRole("button", { name: "More songs" })).toBeNull();
    vi.unstubAllGlobals();
    document.body.innerHTML = "";
    stubAskApi((body) => json(200, answer(body.prompt, songs(50), { k: body.k ?? 10 })));
    renderAt(routes, "/?q=many&k=50");
    await screen.findByText("Song 50");
    expect(screen.queryByRole("button", { name: "More songs" })).toBeNull();
  });
});

describe("how well an answer fits", () => {
  afterEach(() => vi.unstubAllGlobals());

  const show = async (response: AskResponse) => {
    stubAskApi(() => json(200, response));
    renderAt(routes, `/?q=${encodeURIComponent(response.prompt)}`);
    await screen.findByText("Song 1");
  };
  const bars = () => screen.getAllByRole("img").map((bar) => bar.getAttribute("aria-label"));
  const notice = () => document.querySelector(".fit-notice")?.textContent ?? null;
  const loose = () => screen.queryAllByText("Loose match").length;

  it("without a fit, shows each score against the best song's, and says nothing more", async () => {
    await show(
      answer(
        "songs about rain",
        songs(2, 1, undefined, (i) => [0.4, 0.2][i]!),
        { fit: null },
      ),
    );
    expect(bars()).toEqual(["Fit: 100% of the best song", "Fit: 50% of the best song"]);
    expect(notice()).toBeNull();
    expect(loose()).toBe(0);
  });

  it("with a strong fit, shows each score as it is, the same on every prompt", async () => {
    const hits = [songHit("1", { score: 0.91, fit: "strong" }), songHit("2", { score: 0.45, fit: "weak" })];
    await show(answer("songs about the ocean", hits, { fit: "strong" }));
    expect(bars()).toEqual(["Fits the prompt: 91%", "Fits the prompt: 45%"]);
    expect(notice()).toBeNull();
    // The second song alone fits only in part.
    expect(loose()).toBe(1);
    expect(screen.getByText("Loose match").closest("article")?.textContent).toContain("Song 2");
  });

  it("with a weak fit, says the songs fit only in part", async () => {
    await show(
      answer(
        "a quiet tuesday",
        songs(2, 1, "weak", (i) => [0.4, 0.3][i]!),
        { fit: "weak" },
      ),
    );
    expect(notice()).toBe("These songs fit this prompt only in part.");
    expect(bars()).toEqual(["Fits the prompt: 40%", "Fits the prompt: 30%"]);
    expect(loose()).toBe(2);
  });

  it("with no fit, says nothing in the catalog fits this well and these are the closest", async () => {
    await show(
      answer(
        "xqzv blorf wuggle plim",
        songs(3, 1, "none", () => 0.04),
        { fit: "none" },
      ),
    );
    expect(notice()).toBe("No song in the catalog fits this well — these are the closest.");
    // Not 100 %: the best of songs that do not fit does not fill the bar.
    expect(bars()).toEqual(["Fits the prompt: 4%", "Fits the prompt: 4%", "Fits the prompt: 4%"]);
    expect(loose()).toBe(3);
  });
});

describe("sharing an answer", () => {
  afterEach(() => vi.unstubAllGlobals());

  const showAnswer = async () => {
    stubAskApi((body) => json(200, answer(body.prompt, songs(1))));
    renderAt(routes, "/?q=rain&energy=0.4..0.8");
    await screen.findByText("Song 1");
  };
  const link = `${window.location.origin}/?q=rain&energy=0.4..0.8`;

  it("uses the system's share sheet where there is one", async () => {
    const share = vi.fn(async () => undefined);
    vi.stubGlobal("navigator", { ...navigator, share });
    await showAnswer();
    await userEvent.click(screen.getByRole("button", { name: "Share this answer" }));
    expect(share).toHaveBeenCalledWith({ title: "rain", url: link });
    expect((await screen.findByRole("status", { name: "" })).textContent).toBe("Shared.");
  });

  it("copies the link elsewhere, and says so", async () => {
    const writeText = vi.fn(async () => undefined);
    vi.stubGlobal("navigator", { ...navigator, share: undefined, clipboard: { writeText } });
    await showAnswer();
    await userEvent.click(screen.getByRole("button", { name: "Copy link to this answer" }));
    expect(writeText).toHaveBeenCalledWith(link);
    await screen.findByText("Link copied.");
  });

  it("shows the link to copy by hand when the clipboard refuses", async () => {
    const writeText = vi.fn(async () => Promise.reject(new Error("denied")));
    vi.stubGlobal("navigator", { ...navigator, share: undefined, clipboard: { writeText } });
    await showAnswer();
    await userEvent.click(screen.getByRole("button", { name: "Copy link to this answer" }));
    const manual = await screen.findByLabelText("Copy this link:");
    expect((manual as HTMLInputElement).value).toBe(link);
    expect(document.activeElement).toBe(manual);
  });
});
