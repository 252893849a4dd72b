/**
 * The time a progress bar says is left. cli-progress's own estimate divides by a rate that may
 * still be zero ("ETA NFs") and rounds minutes and seconds apart ("1m60s"); this one is worked
 * out from the whole run so far and rounded once, before it is split into units.
 */

/**
 * Seconds left at the pace so far, or null while there is no pace to go by (nothing done yet,
 * no time passed, or numbers that are not finite).
 */
export function secondsLeft(done: number, total: number, elapsedMs: number): number | null {
  if (![done, total, elapsedMs].every(Number.isFinite)) return null;
  if (done <= 0 || elapsedMs <= 0) return null;
  const remaining = Math.max(0, total - done);
  return (remaining * elapsedMs) / done / 1000;
}

const twoDigits = (n: number) => String(n).padStart(2, "0");

/** "45s", "1m05s", "2h03m"; "–" when nothing is known yet. */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds < 0) return "–";
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole}s`;
  if (whole < 3600) return `${Math.floor(whole / 60)}m${twoDigits(whole % 60)}s`;
  const minutes = Math.round(whole / 60);
  return `${Math.floor(minutes / 60)}h${twoDigits(minutes % 60)}m`;
}
