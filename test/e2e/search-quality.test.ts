/**
 * Search quality where people meet it: the demo catalog through the real pipeline, model and
 * translator (Debian's apertium, which .ci/run installs), asked over HTTP as the web app asks,
 * and held to the demo's own judgments (bench/judgments/demo: every song judged for each prompt).
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readJudgments } from "../../bench/judged-set.js";
import { demoCatalogFolder, packageRoot } from "../../src/paths.js";
import { ingestOnce } from "../../src/roles/ingest-once.js";
import { openTestVerso } from "../support/verso.js";

const judgments = readJudgments(path.join(packageRoot, "bench", "judgments", "demo"));
/** The songs judged to clearly fit the demo prompt of that text. */
const clearlyFit = (prompt: string) => {
  const query = judgments.queries.find((q) => q.prompt === prompt);
  if (!query) throw new Error(`no judged prompt "${prompt}"`);
  return new Set([...judgments.grades.get(query.qid)!].filter(([, grade]) => grade === 2).map(([id]) => id));
};

interface Answer {
  fit: "strong" | "weak" | "none" | null;
  results: { song: { id: string; language: string | null }; score: number; fit?: string }[];
}

describe("search quality on the demo catalog", () => {
  let t: Awaited<ReturnType<typeof openTestVerso>>;

  beforeAll(async () => {
    t = await openTestVerso({ translator: "auto" });
    expect((await t.verso.translator())?.pairs).toContain("es-en");
    await ingestOnce(t.verso, `file://${demoCatalogFolder}`);
    await (await t.verso.index()).refresh();
  });
  afterAll(async () => t?.close());

  async function ask(prompt: string, filters?: Record<string, unknown>): Promise<Answer> {
    const response = await t.app.inject({
      method: "POST",
      url: "/api/ask",
      payload: { prompt, k: 10, ...(filters ? { filters } : {}) },
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Answer>();
  }

  it("answers a README example with the songs that fit it first, and says it fits", async () => {
    const answer = await ask("songs about the ocean");
    const fit = clearlyFit("songs about the ocean");
    expect(answer.fit).toBe("strong");
    expect(answer.results.slice(0, 3).map((r) => fit.has(r.song.id))).toEqual([true, true, true]);
  });

  it("says that nothing fits a prompt of nonsense, of no words, or of a language's function words alone", async () => {
    for (const prompt of ["xqzv blorf wuggle plim", "asdfgh jkl", "🌊🌊🌊", "sobre", "para", "de"]) {
      const answer = await ask(prompt);
      expect(answer.fit, prompt).toBe("none");
      expect(
        answer.results.every((r) => r.fit === "none"),
        prompt,
      ).toBe(true);
    }
  });

  it("gives scores that mean the same on every prompt: a sure fit scores above anything in a nonsense answer", async () => {
    const nonsense = await ask("xqzv blorf wuggle plim");
    const ocean = await ask("songs about the ocean");
    expect(ocean.results[0]!.score).toBeGreaterThan(Math.max(...nonsense.results.map((r) => r.score)));
    for (const { results } of [nonsense, ocean]) {
      expect(results.every((r) => r.score >= 0 && r.score <= 1)).toBe(true);
    }
  });

  it("lets no Spanish function word decide: a prompt's topic does", async () => {
    const sea = await ask("canciones sobre el mar");
    const fit = clearlyFit("songs about the ocean");
    expect(sea.results.slice(0, 3).every((r) => fit.has(r.song.id))).toBe(true);
    // "sobre" alone ranked the same two songs first for every prompt that held it.
    const leaving = await ask("top 5 canciones sobre dejar mi tierra");
    expect(leaving.results[0]!.song.id).not.toBe(sea.results[0]!.song.id);
  });

  it("crosses languages: an English prompt finds Spanish songs that fit, and a Spanish prompt English ones", async () => {
    const fit = clearlyFit("songs about the ocean");
    const spanish = await ask("songs about the ocean", { language: "es" });
    expect(spanish.results.slice(0, 3).map((r) => fit.has(r.song.id))).toEqual([true, true, true]);
    const english = await ask("canciones para llorar", { language: "en" });
    expect(clearlyFit("canciones para llorar").has(english.results[0]!.song.id)).toBe(true);
  });
});
