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
      "🎵🎵🎵🎵🎵🎵🎵🎵",
    ]) {
      expect(check(password), password).not.toThrow();
    }
  });

  it("counts characters as people do: eight emoji are eight characters", () => {
    expect(check("🎵".repeat(7))).toThrow(expect.objectContaining({ code: "PASSWORD_TOO_SHORT" }));
    expect(check("🎵".repeat(8))).not.toThrow();
  });

  it("refuses fewer than 8 characters", () => {
    expect(check("abcdefg")).toThrow(expect.objectContaining({ code: "PASSWORD_TOO_SHORT" }));
    expect(check("")).toThrow(expect.objectContaining({ code: "PASSWORD_TOO_SHORT" }));
  });

  it("accepts 1,000 characters and refuses 1,001", () => {
    expect(check("p".repeat(1000))).not.toThrow();
    expect(check("p".repeat(1001))).toThrow(expect.objectContaining({ code: "PASSWORD_TOO_LONG" }));
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

  it("compares composed and decomposed accents as the same password", () => {
    expect(canonicalPassword("caf\u00e9 au lait")).toBe(canonicalPassword("cafe\u0301 au lait"));
  });
});
