import { describe, expect, it } from "vitest";
import { addressGroup } from "./address-group.js";

describe("addressGroup", () => {
  it("keeps IPv4 addresses, IPv4-mapped ones included, as they are", () => {
    expect(addressGroup("203.0.113.7")).toBe("203.0.113.7");
    expect(addressGroup("::ffff:203.0.113.7")).toBe("203.0.113.7");
  });

  it("groups IPv6 addresses by their /64, however they are written", () => {
    const group = "2001:db8:aa:1::/64";
    expect(addressGroup("2001:db8:aa:1::1")).toBe(group);
    expect(addressGroup("2001:0DB8:00aa:0001:ffff:1:2:3")).toBe(group);
    expect(addressGroup("2001:db8:aa:1:9:8:7:6%eth0")).toBe(group);
    expect(addressGroup("2001:db8:aa:2::1")).not.toBe(group);
    expect(addressGroup("::1")).toBe("0:0:0:0::/64");
    expect(addressGroup("2001:db8::")).toBe("2001:db8:0:0::/64");
    expect(addressGroup("::")).toBe("0:0:0:0::/64");
  });

  it("leaves what is not an address alone", () => {
    expect(addressGroup("unknown")).toBe("unknown");
  });
});
