import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config.js";

const trustProxy = (value: string) => loadConfig({ VERSO_TRUST_PROXY: value }).trustProxy;

describe("VERSO_TRUST_PROXY", () => {
  it("trusts no one by default, a number of hops, or the addresses and CIDRs named", () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(trustProxy("false")).toBe(false);
    expect(trustProxy("2")).toBe(2);
    expect(trustProxy("10.0.0.0/8, 192.0.2.1,fd00::/8")).toEqual(["10.0.0.0/8", "192.0.2.1", "fd00::/8"]);
  });

  it("refuses to trust every sender, and what is not a hop count, an address or a CIDR", () => {
    for (const value of ["true", "yes", "11", "10.0.0.0/33", "proxy.internal", "10.0.0.1,"]) {
      expect(() => trustProxy(value), value).toThrow(ConfigError);
      expect(() => trustProxy(value), value).toThrow(
        `VERSO_TRUST_PROXY=${JSON.stringify(value)}: expected false, a number of proxy hops`,
      );
    }
  });
});

describe("VERSO_RATE_LIMIT_FACTOR", () => {
  it("scales the request limits, 0 turning them off, and refuses what is not a number", () => {
    expect(loadConfig({}).rateLimitFactor).toBe(1);
    expect(loadConfig({ VERSO_RATE_LIMIT_FACTOR: "0" }).rateLimitFactor).toBe(0);
    expect(() => loadConfig({ VERSO_RATE_LIMIT_FACTOR: "lots" })).toThrow(/VERSO_RATE_LIMIT_FACTOR/);
  });
});

describe("administrators", () => {
  it("refuses VERSO_ADMINS, which named usernames anyone could register, and says what replaced it", () => {
    expect(() => loadConfig({ VERSO_ADMINS: "root" })).toThrow(/verso admin grant NAME/);
    expect(() => loadConfig({ VERSO_ADMINS: "" })).not.toThrow();
  });
});

describe("VERSO_METRICS_TOKEN", () => {
  it("is empty by default, and refuses a short token without repeating it", () => {
    expect(loadConfig({}).metricsToken).toBe("");
    expect(loadConfig({ VERSO_METRICS_TOKEN: "a".repeat(32) }).metricsToken).toBe("a".repeat(32));
    expect(() => loadConfig({ VERSO_METRICS_TOKEN: "short" })).toThrow("VERSO_METRICS_TOKEN=(hidden)");
  });
});
