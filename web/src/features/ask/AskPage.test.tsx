import { fireEvent, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { idleCatalog } from "../../test/ask-api.js";
import { answer, prompt, session, songHit, user } from "../../test/fixtures.js";
import { deferred, json, renderAt, stubApi, type ApiCall } from "../../test/render.js";
import { AskPage } from "./AskPage.js";

const routes = [
  { path: "/", element: <AskPage /> },
  { path: "/prompts/:id", element: <h1>A published prompt</h1> },
];

let calls: ApiCall[];
const asks = () => calls.filter((call) => call.url === "/api/ask");

function serve(signedIn = false) {
  calls = stubApi(({ url, method, body }) => {
    if (url === "/api/session") return json(200, session(signedIn ? user(1, "ana") : null));
    if (url.startsWith("/api/catalog/status")) return json(200, idleCatalog);
    if (url === "/api/ask") {
      const asked = (body as { prompt: string }).prompt;
      if (asked.length > 500)
        return json(400, { error: { code: "PROMPT_TOO_LONG", message: "at most 500 characters" } });
      return json(200, answer(asked, [songHit("harbour")]));
    }
    if (url === "/api/prompts" && method === "POST") return json(201, prompt(42, "songs about the sea"));
  });
}

describe("asking", () => {
  beforeEach(() => serve());
  afterEach(() => vi.unstubAllGlobals());

  it("says so when the prompt is empty, and asks nothing", async () => {
    renderAt(routes, "/");
    const box = await screen.findByRole("searchbox", { name: "Your prompt" });
    await userEvent.type(box, "   {Enter}");
    expect((await screen.findByRole("alert")).textContent).toBe("Write a few words first.");
    expect(box.getAttribute("aria-invalid")).toBe("true");
    expect(asks()).toEqual([]);
  });

  it("keeps a pasted prompt whole and says it is too long, instead of cutting it silently", async () => {
    const { router } = renderAt(routes, "/");
    const box = await screen.findByRole("searchbox", { name: "Your prompt" });
    const long = `${"the sea at night ".repeat(120).slice(0, 1999)}.`;
    fireEvent.change(box, { target: { value: long } });
    expect((box as HTMLInputElement).value).toHaveLength(2000);
    await userEvent.type(box, "{Enter}");
    expect((await screen.findByRole("alert")).textContent).toBe(
      "A prompt has at most 500 characters: this one has 2,000. Shorten it to ask.",
    );
    expect(router.state.location.search).toBe("");
    expect(asks()).toEqual([]);
  });

  it("opens a link with a prompt too long on the refusal, with no Try again that cannot succeed", async () => {
    renderAt(routes, `/?q=${"a".repeat(2000)}`);
    await screen.findByText("A prompt has at most 500 characters.");
    expect(screen.queryByRole("button", { name: "Try again" })).toBeNull();
  });

  it("moves focus to the published prompt after Publish", async () => {
    serve(true);
    renderAt(routes, `/?q=${encodeURIComponent("songs about the sea")}`);
    const publish = await screen.findByRole("button", { name: "Publish this prompt" });
    publish.focus();
    await userEvent.keyboard("{Enter}");
    const link = await screen.findByRole("link", { name: "See your prompt" });
    await waitFor(() => expect(document.activeElement).toBe(link));
  });
});

describe("while Verso starts", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("says that Verso is starting, and stops saying it once the API answers", async () => {
    let started = false;
    calls = stubApi(({ url }) => {
      if (url === "/api/session") return json(200, session(null));
      if (url.startsWith("/api/catalog/status")) {
        if (started) return json(200, idleCatalog);
        return json(503, {
          error: {
            code: "DEPENDENCY_UNAVAILABLE",
            message: "Verso is starting: its dependencies are not ready yet",
          },
        });
      }
    });
    renderAt(routes, "/");
    const notice = await screen.findByRole("status", { name: "Verso is starting" });
    expect(notice.textContent).toContain("This page follows along and is ready in a moment.");
    started = true;
    await waitFor(() => expect(screen.queryByRole("status", { name: "Verso is starting" })).toBeNull(), {
      timeout: 5000,
    });
  });

  it("keeps saying it while the page asks again, until an answer says otherwise", async () => {
    const starting = () =>
      json(503, {
        error: {
          code: "DEPENDENCY_UNAVAILABLE",
          message: "Verso is starting: its dependencies are not ready yet",
        },
      });
    const second = deferred<Response>();
    let asked = 0;
    calls = stubApi(({ url }) => {
      if (url === "/api/session") return json(200, session(null));
      if (url.startsWith("/api/catalog/status")) return ++asked === 1 ? starting() : second.promise;
    });
    renderAt(routes, "/");
    await screen.findByRole("status", { name: "Verso is starting" });
    await waitFor(() => expect(asked).toBe(2), { timeout: 5000 });
    // The second answer is still awaited: nothing new is known, so the notice stays.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.queryByRole("status", { name: "Verso is starting" })).not.toBeNull();
    second.resolve(json(200, idleCatalog));
    await waitFor(() => expect(screen.queryByRole("status", { name: "Verso is starting" })).toBeNull());
  });
});
