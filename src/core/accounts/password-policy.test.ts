import { describe, expect, it } from "vitest";
import { canonicalPassword, checkNewPassword, type CommonPasswords } from "./password-policy.js";

const common: CommonPasswords = { includes: (p) => ["password1", "iloveyou"].includes(p.toLowerCase()) };
const check =
  (password: string, username = "alice") =>
  () =>
    checkNewPassword(password, { username, common });

describe("password policy", () => {
  it("accepts 8 characters and more, without composition rules", () => {
    for (const password of [
      "abcdefgh",
      "all lower case words",
      "12345679",
      "ñandú ñandú",
      "🎵🎶🎸🥁🎹🎺🎻🎷",
      "alice in wonderland",
      "my friend alice sings",
    ]) {
      expect(check(password), password).not.toThrow();
    }
  });

  it("counts characters as people do: eight emoji are eight characters", () => {
    expect(check("🎵🎶🎸🥁🎹🎺🎻")).toThrow(expect.objectContaining({ code: "PASSWORD_TOO_SHORT" }));
    expect(check("🎵🎶🎸🥁🎹🎺🎻🎷")).not.toThrow();
  });

  it("refuses fewer than 8 characters", () => {
    expect(check("abcdefg")).toThrow(expect.objectContaining({ code: "PASSWORD_TOO_SHORT" }));
    expect(check("")).toThrow(expect.objectContaining({ code: "PASSWORD_TOO_SHORT" }));
  });

  it("accepts 1,000 characters and refuses 1,001", () => {
    const long = "pass phrase ".repeat(100);
    expect(check(long.slice(0, 1000))).not.toThrow();
    expect(check(long.slice(0, 1001))).toThrow(expect.objectContaining({ code: "PASSWORD_TOO_LONG" }));
  });

  it("refuses common passwords whatever their letter case, saying why", () => {
    expect(check("Password1")).toThrow(expect.objectContaining({ code: "PASSWORD_TOO_COMMON" }));
    expect(check("ILOVEYOU")).toThrow(/common/);
  });

  it("refuses the username as password", () => {
    expect(check("Alice.Smith", "alice.smith")).toThrow(
      expect.objectContaining({ code: "PASSWORD_MATCHES_USERNAME" }),
    );
  });

  it("refuses one or two characters repeated, eight spaces among them, as a common password", () => {
    for (const password of [
      "aaaaaaaa",
      "        ",
      "abababab",
      "🎵".repeat(8),
      "11111111111111",
      "Aa".repeat(10),
    ])
      expect(check(password), JSON.stringify(password)).toThrow(
        expect.objectContaining({ code: "PASSWORD_TOO_COMMON" }),
      );
  });

  it("refuses control characters and broken Unicode: eight NULs, a line break, a lone surrogate", () => {
    for (const password of ["\u0000".repeat(8), "pass\u0000word99", "two\nlines here", "surro\ud800gate!"])
      expect(check(password), JSON.stringify(password)).toThrow(
        expect.objectContaining({ code: "PASSWORD_INVALID" }),
      );
  });

  it("refuses name-like passwords: the username with a few characters, or digits and signs only, added", () => {
    for (const password of [
      "alice1",
      "Alice123",
      "alice2024!",
      "1alice99",
      "ALICE!!!",
      "xalicex",
      "alicealice",
    ])
      expect(check(password.padEnd(8, "1")), password).toThrow(
        expect.objectContaining({ code: "PASSWORD_MATCHES_USERNAME" }),
      );
    expect(check("bob12345", "bob")).toThrow(expect.objectContaining({ code: "PASSWORD_MATCHES_USERNAME" }));
  });

  it("compares composed and decomposed accents as the same password", () => {
    expect(canonicalPassword("caf\u00e9 au lait")).toBe(canonicalPassword("cafe\u0301 au lait"));
  });
});
