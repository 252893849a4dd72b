import type { InfiniteData } from "@tanstack/react-query";
import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { keys } from "../../api/keys.js";
import type { FeedItem, Page, Prompt, PromptWithSongs } from "../../api/types.js";
import { feedItem, prompt, user } from "../../test/fixtures.js";
import { deferred, json, renderWithApp, testQueryClient } from "../../test/render.js";
import { PromptsPage } from "./PromptsPage.js";

const rain = prompt(7, "songs about rain", { likeCount: 2 });
const pageOf = <T,>(items: T[]): InfiniteData<Page<T>, string | null> => ({
  pages: [{ items, nextCursor: null }],
  pageParams: [null],
});

/** A signed-in reader whose cache holds the prompt in a search, in the feed twice and on its page. */
function seeded(start: Prompt = rain) {
  const client = testQueryClient();
  client.setQueryData(keys.session, { user: user(2, "bruno"), isAdmin: false });
  client.setQueryData(keys.promptSearch(""), pageOf([start, prompt(8, "songs about snow")]));
  client.setQueryData(
    keys.feed,
    pageOf<FeedItem>([feedItem(start), feedItem(start, { id: 3, username: "carla" })]),
  );
  client.setQueryData<PromptWithSongs>(keys.prompt(start.id), { ...start, results: [], resultsError: null });
  return client;
}

const likeButton = () => screen.getByRole("button", { name: "Like “songs about rain”" });
const countOfRain = () => likeButton().parentElement!.querySelector("[data-testid=like-count]")!.textContent;
const feedCounts = (client: ReturnType<typeof testQueryClient>) =>
  client
    .getQueryData<InfiniteData<Page<FeedItem>>>(keys.feed)!
    .pages[0]!.items.map((i) => [i.likeCount, i.likedByMe]);

let answer: ReturnType<typeof deferred<Response>>;
let calls: { method: string; url: string }[];

describe("liking a prompt", () => {
  beforeEach(() => {
    answer = deferred<Response>();
    calls = [];
    vi.stubGlobal(
      "fetch",
      vi.fn((url: string, init?: RequestInit) => {
        calls.push({ method: init?.method ?? "GET", url });
        return answer.promise;
      }),
    );
  });
  afterEach(() => vi.unstubAllGlobals());

  it("counts the like at once, everywhere the prompt is, before the server answers", async () => {
    const client = seeded();
    renderWithApp(<PromptsPage />, client);
    expect(countOfRain()).toBe("2 likes");
    expect(likeButton().getAttribute("aria-pressed")).toBe("false");

    await userEvent.click(likeButton());
    expect(countOfRain()).toBe("3 likes");
    expect(likeButton().getAttribute("aria-pressed")).toBe("true");
    expect(feedCounts(client)).toEqual([
      [3, true],
      [3, true],
    ]);
    expect(client.getQueryData<PromptWithSongs>(keys.prompt(7))!.likeCount).toBe(3);
    expect(calls).toEqual([{ method: "PUT", url: "/api/prompts/7/like" }]);

    // Others liked it meanwhile: the server's count wins.
    answer.resolve(json(200, { ...rain, likeCount: 5, likedByMe: true }));
    await waitFor(() => expect(countOfRain()).toBe("5 likes"));
    expect(feedCounts(client)).toEqual([
      [5, true],
      [5, true],
    ]);
    // The other prompt was never touched.
    expect(screen.getByRole("button", { name: "Like “songs about snow”" }).getAttribute("aria-pressed")).toBe(
      "false",
    );
  });

  it("puts everything back and says so when the server refuses", async () => {
    const client = seeded();
    renderWithApp(<PromptsPage />, client);
    await userEvent.click(likeButton());
    expect(countOfRain()).toBe("3 likes");

    answer.resolve(json(500, { error: { code: "INTERNAL", message: "something went wrong on our side" } }));
    await waitFor(() => expect(countOfRain()).toBe("2 likes"));
    expect(likeButton().getAttribute("aria-pressed")).toBe("false");
    expect(feedCounts(client)).toEqual([
      [2, false],
      [2, false],
    ]);
    expect((await screen.findByRole("alert")).textContent).toBe(
      "Verso had a problem answering. Try again in a moment.",
    );
  });

  it("unlikes at once too", async () => {
    const client = seeded({ ...rain, likeCount: 3, likedByMe: true });
    renderWithApp(<PromptsPage />, client);
    expect(likeButton().getAttribute("aria-pressed")).toBe("true");
    await userEvent.click(likeButton());
    expect(countOfRain()).toBe("2 likes");
    expect(calls).toEqual([{ method: "DELETE", url: "/api/prompts/7/like" }]);
    answer.resolve(json(200, { ...rain, likeCount: 2, likedByMe: false }));
    await waitFor(() => expect(likeButton().getAttribute("aria-pressed")).toBe("false"));
  });

  it("only shows the count to who is not signed in", () => {
    const client = seeded();
    client.setQueryData(keys.session, { user: null, isAdmin: false });
    renderWithApp(<PromptsPage />, client);
    expect(screen.queryByRole("button", { name: "Like “songs about rain”" })).toBeNull();
    expect(screen.getAllByTestId("like-count")[0]!.textContent).toBe("2 likes");
  });
});
