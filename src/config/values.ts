/** The kinds of value settings take, as zod schemas that parse the text of a variable or flag. */
import { isIP } from "node:net";
import { Cron } from "croner";
import { z } from "zod";
import { portSchemes, schemeOf, type Port } from "../compose/schemes.js";

export const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
export const seconds = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().min(min).max(max);
export const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => ["true", "1", "yes"].includes(v));
/**
 * Whom X-Forwarded-* may come from. Never "everyone": then any client could name its own
 * address and walk past every per-address limit.
 */
export const trustedProxies = z.string().transform((value, context): false | number | string[] => {
  const text = value.trim();
  if (["false", "0", "no", ""].includes(text)) return false;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops >= 1 && hops <= 10) return hops;
  } else if (text !== "true" && text !== "yes" && text !== "1") {
    const entries = text.split(",").map((entry) => entry.trim());
    const bad = entries.filter((entry) => !isAddressOrCidr(entry));
    if (bad.length === 0) return entries;
    context.addIssue({ code: "custom", message: `not an address or CIDR: ${bad.join(", ")}` });
    return z.NEVER;
  }
  context.addIssue({
    code: "custom",
    message: "name the proxies (a hop count from 1 to 10, or their addresses and CIDRs), never all of them",
  });
  return z.NEVER;
});

function isAddressOrCidr(entry: string): boolean {
  const [address, bits, ...rest] = entry.split("/");
  if (rest.length > 0 || address === undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

export const list = z.string().transform((v) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
);
export const optionalText = z.string().transform((v) => (v === "" ? undefined : v));

/** The URL setting of a port: one of the schemes its adapters have. */
export const portUrl = (port: Port) =>
  z.string().refine((value) => (portSchemes[port] as readonly string[]).includes(schemeOf(value)));
export const schemesInWords = (port: Port) =>
  portSchemes[port]
    .map((s) => (["embedded", "db", "memory", "use-lite", "none"].includes(s) ? s : `${s}:…`))
    .join(", ");

export function isCronExpression(value: string): boolean {
  try {
    new Cron(value, { paused: true }).stop();
    return true;
  } catch {
    return false;
  }
}
