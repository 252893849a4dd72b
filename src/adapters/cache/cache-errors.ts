/**
 * How the remote cache adapters report a server that failed an operation: DEPENDENCY_UNAVAILABLE
 * with the library's words, minus any credential. The library's error is deliberately not kept
 * as the cause: ioredis attaches the failed command and its arguments to its errors, and for
 * AUTH those arguments are the password, which a logger serializing causes would print.
 */
import { VersoError } from "../../core/errors.js";

export function cacheUnavailable(
  server: string,
  operation: string,
  error: unknown,
  secrets: readonly string[],
): VersoError {
  const reason = error instanceof Error ? error.message : String(error);
  return new VersoError(
    "DEPENDENCY_UNAVAILABLE",
    `${server} ${operation}: ${withoutSecrets(reason, secrets)}`,
  );
}

export function withoutSecrets(text: string, secrets: readonly string[]): string {
  let clean = text;
  for (const secret of secrets) {
    if (!secret) continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) clean = clean.split(form).join("***");
  }
  return clean;
}
