import { describe, expect, it } from "vitest";
import { VersoError } from "../errors.js";
import { failureKind } from "./failures.js";
import { UnreadableObjectError } from "./unreadable.js";

describe("failureKind", () => {
  it("never retries a source that refuses Verso's account, nor an unreadable object", () => {
    expect(failureKind(new VersoError("SUBSONIC_AUTH_FAILED", "refused"))).toBe("permanent");
    expect(failureKind(new UnreadableObjectError("not audio"))).toBe("permanent");
  });

  it("retries a source that is away", () => {
    expect(failureKind(new VersoError("DEPENDENCY_UNAVAILABLE", "down"))).toBe("transient");
    expect(failureKind(new VersoError("SUBSONIC_REQUEST_FAILED", "error 0"))).toBe("transient");
  });
});
