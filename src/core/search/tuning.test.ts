import { describe, expect, it } from "vitest";
import { defaultTuning, modelTunings, tuningForModel } from "./tuning.js";

describe("tuningForModel", () => {
  const { byFullTextIndex, ...builtIn } = modelTunings["use-lite-v1"]!;

  it("gives a model without an entry the defaults, whatever the index", () => {
    expect(tuningForModel("some-other-model")).toEqual(defaultTuning);
    expect(tuningForModel("some-other-model", "innodb-fulltext")).toEqual(defaultTuning);
  });

  it("gives a known English-only model without an entry its language, so its prompts are translated as its passages", () => {
    expect(tuningForModel("all-minilm-l6-v2")).toEqual({ ...defaultTuning, modelLanguage: "en" });
    expect(tuningForModel("multilingual-e5-small").modelLanguage).toBeUndefined();
  });

  it("lays a model's weights over the defaults, the same on an index without an entry", () => {
    expect(tuningForModel("use-lite-v1")).toEqual({ ...defaultTuning, ...builtIn });
    expect(tuningForModel("use-lite-v1", "fts5")).toEqual(tuningForModel("use-lite-v1"));
  });

  it("lays what an index changes over the model's weights", () => {
    const onInnodb = tuningForModel("use-lite-v1", "innodb-fulltext");
    expect(onInnodb).toEqual({ ...defaultTuning, ...builtIn, ...byFullTextIndex!["innodb-fulltext"] });
    expect(onInnodb.translatePrompts).toBe(false);
    expect(onInnodb.otherLanguageLexicalWeight).toBe(builtIn.otherLanguageLexicalWeight);
  });
});
