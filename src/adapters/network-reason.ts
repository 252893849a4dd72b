/**
 * Why a request over the network failed, in words: undici reports "fetch failed" and keeps the
 * reason in its chain of causes (ECONNREFUSED, a reset…), the innermost being the telling one.
 */
export function networkReason(error: unknown): string {
  let reason = error instanceof Error ? error.message : String(error);
  let cause = error instanceof Error ? error.cause : undefined;
  while (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    reason = code ? `${code} ${cause.message}` : cause.message;
    cause = cause.cause;
  }
  return reason;
}
