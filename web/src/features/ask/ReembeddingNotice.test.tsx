import { screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AskResponse } from "../../api/types.js";
import { chooseLanguage } from "../../i18n/i18n.js";
import { stubAskApi } from "../../test/ask-api.js";
import { answer, songHit } from "../../test/fixtures.js";
import { json, renderAt } from "../../test/render.js";
import { AskPage } from "./AskPage.js";

const routes = [{ path: "/", element: <AskPage /> }];

const show = async (reembedding: AskResponse["reembedding"]) => {
  stubAskApi((body) => json(200, answer(body.prompt, [songHit("1")], { reembedding })));
  renderAt(routes, "/?q=rain");
  await screen.findByText("Song 1");
};
const notice = () => document.querySelector(".reembedding-notice")?.textContent ?? null;

describe("an answer given while the catalog is being re-embedded", () => {
  afterEach(async () => {
    vi.unstubAllGlobals();
    await chooseLanguage("en");
  });

  it("says how many of the catalog's songs it covers", async () => {
    await show({ model: "e5-small", done: 1250, total: 4000 });
    expect(notice()).toBe(
      "The catalog is being re-embedded with a new model: this answer covers 1,250 of 4,000 songs.",
    );
  });

  it("says it in Spanish to a Spanish reader", async () => {
    await chooseLanguage("es");
    await show({ model: "e5-small", done: 3, total: 8 });
    expect(notice()).toBe(
      "El catálogo se está volviendo a indexar con un modelo nuevo: esta respuesta abarca 3 de 8 canciones.",
    );
  });

  it("says nothing once every song has the new model's vectors", async () => {
    await show(null);
    expect(notice()).toBeNull();
  });
});
