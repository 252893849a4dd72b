import { isIPv4, isIPv6 } from "node:net";

/**
 * The unit a per-address limit counts: an IPv4 address, or the /64 an IPv6 address lies in,
 * since one subscriber is usually handed a whole /64 and could otherwise take a fresh address
 * for every request.
 */
export function addressGroup(address: string): string {
  if (isIPv4(address)) return address;
  if (!isIPv6(address)) return address;
  const lower = address.toLowerCase().split("%")[0]!;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped) return mapped[1]!;
  const [head = "", tail = ""] = lower.split("::");
  const headGroups = head === "" ? [] : head.split(":");
  const tailGroups = lower.includes("::") ? (tail === "" ? [] : tail.split(":")) : [];
  // An embedded IPv4 tail stands for two groups; it lies past the first four anyway.
  const tailLength = tailGroups.reduce((n, group) => n + (group.includes(".") ? 2 : 1), 0);
  const groups = lower.includes("::")
    ? [...headGroups, ...Array<string>(8 - headGroups.length - tailLength).fill("0"), ...tailGroups]
    : headGroups;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
