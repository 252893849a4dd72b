import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { PromptWithSongs } from "../../api/types.js";
import { idleCatalog } from "../../test/ask-api.js";
import { prompt, session, songHit } from "../../test/fixtures.js";
import { json, renderAt, stubApi } from "../../test/render.js";
import { PromptPage } from "./PromptPage.js";

const routes = [{ path: "/prompts/:id", element: <PromptPage /> }];

function servePrompt(results: PromptWithSongs["results"]) {
  stubApi(({ url }) => {
    if (url === "/api/session") return json(200, session(null));
    if (url.startsWith("/api/catalog/status")) return json(200, idleCatalog);
    if (url === "/api/prompts/7")
      return json(200, { ...prompt(7, "xqzv blorf"), results, resultsError: null } satisfies PromptWithSongs);
  });
}

describe("a published prompt", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("copies its link", async () => {
    const writeText = vi.fn(async () => undefined);
    vi.stubGlobal("navigator", { ...navigator, share: undefined, clipboard: { writeText } });
    servePrompt([songHit("1")]);
    renderAt(routes, "/prompts/7");
    await userEvent.click(await screen.findByRole("button", { name: "Copy link to this prompt" }));
    expect(writeText).toHaveBeenCalledWith(`${window.location.origin}/prompts/7`);
    await screen.findByText("Link copied.");
  });

  it("says when none of its songs fits well, and links each song back to it", async () => {
    servePrompt([songHit("1", { score: 0.05, fit: "none" }), songHit("2", { score: 0.03, fit: "none" })]);
    renderAt(routes, "/prompts/7");
    await screen.findByText("No song in the catalog fits this well — these are the closest.");
    expect(screen.getAllByText("Loose match")).toHaveLength(2);
    expect(screen.getByRole("link", { name: "Song 1" }).getAttribute("href")).toBe(
      "/songs/1?passage=1&from=%2Fprompts%2F7",
    );
  });
});
