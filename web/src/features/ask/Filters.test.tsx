import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { act } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { answer, songHit } from "../../test/fixtures.js";
import { stubAskApi } from "../../test/ask-api.js";
import { json, renderAt } from "../../test/render.js";
import { AskPage } from "./AskPage.js";

const routes = [{ path: "/", element: <AskPage /> }];

/** Each ask answered with one song named after its filters, so a test sees which answer shows. */
const answerByFilters = () =>
  stubAskApi((body) =>
    json(
      200,
      answer(body.prompt, [
        songHit(body.filters ? JSON.stringify(body.filters).replace(/\W+/g, "-") : "none"),
      ]),
    ),
  );

const rangeBox = (group: string, end: "From" | "To") =>
  within(screen.getByRole("group", { name: group })).getByLabelText(end);

describe("the filters of an answer", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("are set by keyboard, asked with, and put in the address", async () => {
    const api = answerByFilters();
    const { router } = renderAt(routes, "/");
    const box = await screen.findByRole("searchbox", { name: "Your prompt" });
    await userEvent.type(box, "songs about the sea");
    // A native disclosure (the browser test opens it from the keyboard).
    const summary = screen.getByText("Filters").closest("summary")!;
    await userEvent.click(summary);
    expect(summary.parentElement!.hasAttribute("open")).toBe(true);

    await userEvent.selectOptions(screen.getByLabelText("Language"), "es");
    await userEvent.type(rangeBox("Energy", "From"), "40");
    await userEvent.type(rangeBox("Energy", "To"), "80");
    await userEvent.type(rangeBox("Tempo (BPM)", "To"), "120");
    await userEvent.type(rangeBox("Energy", "To"), "{Enter}");

    await waitFor(() => expect(api.asked()).toHaveLength(1));
    expect(api.asked()[0]).toEqual({
      prompt: "songs about the sea",
      filters: { language: "es", tempo: { max: 120 }, energy: { min: 0.4, max: 0.8 } },
    });
    expect(router.state.location.search).toBe("?q=songs+about+the+sea&lang=es&tempo=..120&energy=0.4..0.8");
    const applied = screen.getByText("Filters").closest("summary")!;
    expect(applied.textContent).toBe("Filters3 onSpanish · Tempo (BPM) ≤ 120 · Energy 40–80 %");
  });

  it("are read back from a link, and answered from the cache when the reader comes back to them", async () => {
    const api = answerByFilters();
    const { router } = renderAt(routes, "/?q=rain&valence=..0.3");
    await screen.findByText(`Song -valence-max-0-3-`);
    expect(api.asked()).toEqual([{ prompt: "rain", filters: { valence: { max: 0.3 } } }]);
    await userEvent.click(screen.getByText("Filters"));
    expect((rangeBox("Mood (how bright it sounds)", "To") as HTMLInputElement).value).toBe("30");

    // Other filters are another answer; the first one's is still cached when Back brings it.
    await userEvent.clear(rangeBox("Mood (how bright it sounds)", "To"));
    await userEvent.type(rangeBox("Mood (how bright it sounds)", "From"), "70{Enter}");
    await screen.findByText(`Song -valence-min-0-7-`);
    expect(api.asked()).toHaveLength(2);
    await act(() => router.navigate(-1));
    await screen.findByText(`Song -valence-max-0-3-`);
    expect(api.asked()).toHaveLength(2);
    expect((rangeBox("Mood (how bright it sounds)", "To") as HTMLInputElement).value).toBe("30");
  });

  it("say what is wrong with a range, next to it, and ask nothing until it is right", async () => {
    const api = answerByFilters();
    renderAt(routes, "/");
    await userEvent.type(await screen.findByRole("searchbox", { name: "Your prompt" }), "rain");
    await userEvent.click(screen.getByText("Filters"));
    await userEvent.type(rangeBox("Danceability", "From"), "90");
    await userEvent.type(rangeBox("Danceability", "To"), "20");
    await userEvent.type(rangeBox("Release year", "From"), "20000{Enter}");

    const dance = screen.getByRole("group", { name: "Danceability" });
    expect(within(dance).getByText("“From” is above “To”.")).toBeDefined();
    expect(rangeBox("Danceability", "From").getAttribute("aria-invalid")).toBe("true");
    expect(rangeBox("Danceability", "From").getAttribute("aria-describedby")).toBe(
      within(dance).getByText("“From” is above “To”.").id,
    );
    expect(
      within(screen.getByRole("group", { name: "Release year" })).getByText("Use numbers from 0 to 9,999."),
    ).toBeDefined();
    await waitFor(() => expect(document.activeElement).toBe(rangeBox("Release year", "From")));
    expect(api.asked()).toEqual([]);
  });

  it("are cleared at once, and the answer asked again without them", async () => {
    const api = answerByFilters();
    const { router } = renderAt(routes, "/?q=rain&lang=en&genre=pop");
    await screen.findByText("Song -language-en-genre-pop-");
    await userEvent.click(screen.getByText("Filters"));
    expect((screen.getByLabelText("Genre") as HTMLInputElement).value).toBe("pop");
    await userEvent.click(screen.getByRole("button", { name: "Clear the filters" }));
    await screen.findByText("Song none");
    expect(router.state.location.search).toBe("?q=rain");
    expect(api.asked().at(-1)).toEqual({ prompt: "rain" });
    expect((screen.getByLabelText("Genre") as HTMLInputElement).value).toBe("");
  });
});
