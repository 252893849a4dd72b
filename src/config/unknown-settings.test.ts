import { describe, expect, it } from "vitest";
import { unknownSettingWarnings } from "./unknown-settings.js";

describe("unknownSettingWarnings", () => {
  it("names a misspelt setting and the one it was probably meant to be", () => {
    expect(unknownSettingWarnings({ VERSO_DATABSE_URL: "postgres://db/verso" })).toEqual([
      "VERSO_DATABSE_URL is not a Verso setting and is ignored: did you mean VERSO_DATABASE_URL?",
    ]);
    expect(unknownSettingWarnings({ VERSO_PROT: "8080", VERSO_EMBEDER: "use-lite" })).toEqual([
      "VERSO_EMBEDER is not a Verso setting and is ignored: did you mean VERSO_EMBEDDER?",
      "VERSO_PROT is not a Verso setting and is ignored: did you mean VERSO_PORT?",
    ]);
  });

  it("names a variable like no setting without guessing", () => {
    expect(unknownSettingWarnings({ VERSO_SOMETHING_ELSE_ENTIRELY: "1" })).toEqual([
      "VERSO_SOMETHING_ELSE_ENTIRELY is not a Verso setting and is ignored (`verso serve --help` lists them)",
    ]);
  });

  it("says nothing of the settings, other programs' variables and the tools' own", () => {
    expect(
      unknownSettingWarnings({
        VERSO_DATABASE_URL: "sqlite:x.db",
        VERSO_PORT: "3000",
        PATH: "/usr/bin",
        VERSOX: "1",
        VERSO_ADMINS: "",
        VERSO_SHARED_DIR: "../shared",
        VERSO_CHROMIUM: "chromium",
        VERSO_TEST_DATABASE: "postgres",
        VERSO_FUZZ_RUNS: "10",
      }),
    ).toEqual([]);
  });
});
