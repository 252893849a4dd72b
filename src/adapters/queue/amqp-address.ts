/**
 * The broker's address as the AMQP queue may show it: every message, log line and error it
 * produces names the broker through `display`, and passes anything that came from the client
 * library through `scrub`, so the password of an amqp:// URL never leaves this module.
 */
import { VersoError } from "../../core/errors.js";

export interface BrokerAddress {
  /** The URL without its password or query, e.g. `amqp://verso:***@rabbit:5672/prod`. */
  readonly display: string;
  readonly tls: boolean;
  /** The text with every form of the password replaced by `***`. */
  scrub(text: string): string;
  /** A copy of the error (message, stack, code, causes) that carries no secret; the original is dropped. */
  clean(error: unknown): Error;
}

const MASK = "***";

export function parseBrokerAddress(url: string): BrokerAddress {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The URL itself may hold the password: it is never quoted back.
    throw new VersoError("VALIDATION_FAILED", "the queue URL is not a valid amqp:// or amqps:// URL");
  }
  if (parsed.protocol !== "amqp:" && parsed.protocol !== "amqps:")
    throw new VersoError(
      "VALIDATION_FAILED",
      `the queue URL must start with amqp:// or amqps://, not ${parsed.protocol}//`,
    );
  if (!parsed.hostname) throw new VersoError("VALIDATION_FAILED", "the queue URL names no host");

  const secrets = secretForms(url, parsed.password);
  const scrub = (text: string): string => {
    let clean = text;
    for (const secret of secrets) clean = clean.split(secret).join(MASK);
    return clean;
  };
  const user = parsed.username ? `${scrub(parsed.username)}${parsed.password ? `:${MASK}` : ""}@` : "";
  const display = `${parsed.protocol}//${user}${parsed.host}${parsed.pathname === "/" ? "" : parsed.pathname}`;

  const clean = (error: unknown, depth = 0): Error => {
    if (!(error instanceof Error)) return new Error(scrub(String(error)));
    const copy = new Error(
      scrub(error.message),
      error.cause !== undefined && depth < 5 ? { cause: clean(error.cause, depth + 1) } : undefined,
    );
    copy.name = error.name;
    if (error.stack) copy.stack = scrub(error.stack);
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" || typeof code === "number") Object.assign(copy, { code });
    return copy;
  };

  return { display, tls: parsed.protocol === "amqps:", scrub, clean };
}

/**
 * Every spelling in which the password may reach a message: the whole URL, the password as
 * written (percent-encoded) and decoded the two ways a client may decode it. Longest first,
 * so the whole URL is masked before a part of it.
 */
function secretForms(url: string, encodedPassword: string): string[] {
  if (!encodedPassword) return [];
  const forms = new Set<string>([url, encodedPassword]);
  try {
    forms.add(decodeURIComponent(encodedPassword));
  } catch {
    // a malformed escape: the encoded form above is what a client would send
  }
  forms.add(
    encodedPassword.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
  );
  return [...forms].filter((form) => form.length > 0).sort((a, b) => b.length - a.length);
}
