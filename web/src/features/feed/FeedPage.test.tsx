import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { feedItem, prompt, user } from "../../test/fixtures.js";
import { json, renderWithApp } from "../../test/render.js";
import { FeedPage } from "./FeedPage.js";

/** An IntersectionObserver the test drives: `reachEnd()` says the end of the list came into view. */
class FakeObserver {
  static live = new Set<FakeObserver>();
  constructor(private readonly callback: IntersectionObserverCallback) {}
  observe() {
    FakeObserver.live.add(this);
  }
  disconnect() {
    FakeObserver.live.delete(this);
  }
  unobserve() {}
  takeRecords() {
    return [];
  }
  static reachEnd() {
    for (const observer of [...FakeObserver.live]) {
      observer.callback([{ isIntersecting: true } as IntersectionObserverEntry], observer as never);
    }
  }
}

const ana = user(1, "ana");
const page = (ids: number[]) => ids.map((id) => feedItem(prompt(id, `prompt number ${id}`)));

let feedCalls: string[];
let failNextPage: boolean;

function answer(url: string): Response {
  if (url === "/api/session") return json(200, { user: ana, isAdmin: false });
  if (url.startsWith("/api/feed")) {
    feedCalls.push(url);
    const cursor = new URL(url, "http://verso.test").searchParams.get("cursor");
    if (cursor === null) return json(200, { items: page([30, 29, 28]), nextCursor: "after-28" });
    if (failNextPage) {
      failNextPage = false;
      return json(503, { error: { code: "DEPENDENCY_UNAVAILABLE", message: "database down" } });
    }
    if (cursor === "after-28")
      return json(200, {
        items: [...page([27]), feedItem(prompt(30, "prompt number 30"), { id: 2, username: "bruno" })],
        nextCursor: "after-27",
      });
    return json(200, { items: page([26]), nextCursor: null });
  }
  return json(404, { error: { code: "ROUTE_NOT_FOUND", message: url } });
}

const shownPrompts = () =>
  within(screen.getByRole("list", { name: "Feed" }))
    .getAllByRole("heading", { level: 3 })
    .map((heading) => heading.textContent);

describe("the feed", () => {
  beforeEach(() => {
    feedCalls = [];
    failNextPage = false;
    FakeObserver.live.clear();
    vi.stubGlobal("IntersectionObserver", FakeObserver);
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string) => answer(url)),
    );
  });
  afterEach(() => vi.unstubAllGlobals());

  it("loads the next page when its end comes into view, until the last page", async () => {
    renderWithApp(<FeedPage />);
    await screen.findByText("prompt number 30");
    expect(shownPrompts()).toEqual(["prompt number 30", "prompt number 29", "prompt number 28"]);
    expect(feedCalls).toEqual(["/api/feed?limit=20"]);

    act(() => FakeObserver.reachEnd());
    await screen.findByText("prompt number 27");
    expect(feedCalls[1]).toBe("/api/feed?cursor=after-28&limit=20");
    // The same prompt again, this time as a repost, is a second entry that says who reposted it.
    expect(shownPrompts()).toEqual([
      "prompt number 30",
      "prompt number 29",
      "prompt number 28",
      "prompt number 27",
      "prompt number 30",
    ]);
    expect(screen.getByText("@bruno").closest("p")?.textContent).toBe("↻ Reposted by @bruno");

    await waitFor(() => expect(FakeObserver.live.size).toBe(1));
    act(() => FakeObserver.reachEnd());
    await screen.findByText("That is everything.");
    expect(shownPrompts()).toHaveLength(6);
    expect(feedCalls).toHaveLength(3);
    // Nothing is left to load: nothing watches the end of the list any more.
    expect(FakeObserver.live.size).toBe(0);
  });

  it("keeps what it shows when a later page fails, and tries again on request", async () => {
    failNextPage = true;
    renderWithApp(<FeedPage />);
    await screen.findByText("prompt number 28");
    act(() => FakeObserver.reachEnd());
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("not available right now");
    expect(shownPrompts()).toHaveLength(3);

    await userEvent.click(within(alert).getByRole("button", { name: "Try again" }));
    await screen.findByText("prompt number 27");
    expect(shownPrompts()).toHaveLength(5);
  });

  it("loads more with the button alone, without IntersectionObserver", async () => {
    vi.stubGlobal("IntersectionObserver", undefined);
    renderWithApp(<FeedPage />);
    await screen.findByText("prompt number 28");
    await userEvent.click(screen.getByRole("button", { name: "Load more" }));
    await screen.findByText("prompt number 27");
    await userEvent.click(screen.getByRole("button", { name: "Load more" }));
    await screen.findByText("That is everything.");
  });

  it("asks to sign in instead of loading a feed nobody owns", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => json(401, { error: { code: "AUTH_REQUIRED", message: "sign in first" } })),
    );
    renderWithApp(<FeedPage />);
    await screen.findByText("Sign in to see the prompts of the people you follow.");
    expect(screen.getByRole("link", { name: "Sign in" }).getAttribute("href")).toBe("/signin?next=%2F");
    expect(feedCalls).toEqual([]);
  });
});
