import { useEffect, useState } from "react";
import { isApiError } from "../api/errors.js";

/**
 * Seconds left of the wait a failed call asked for (Retry-After), counting down once a second;
 * 0 when there is nothing to wait for. Each new error starts its own countdown.
 */
export function useRetryCountdown(error: unknown): number {
  const seconds = isApiError(error) ? error.retryAfterSeconds : null;
  const [endsAt, setEndsAt] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!seconds) {
      setEndsAt(null);
      return;
    }
    const start = Date.now();
    setEndsAt(start + seconds * 1000);
    setNow(start);
    const timer = window.setInterval(() => {
      const current = Date.now();
      setNow(current);
      if (current >= start + seconds * 1000) window.clearInterval(timer);
    }, 1000);
    return () => window.clearInterval(timer);
  }, [error, seconds]);
  if (endsAt === null) return 0;
  return Math.max(0, Math.ceil((endsAt - now) / 1000));
}
