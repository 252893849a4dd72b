import type { Clock } from "../../src/core/accounts/user.js";

/** A clock tests move by hand. */
export function manualClock(start = new Date("2026-12-01T12:00:00.000Z")) {
  let now = start.getTime();
  const clock: Clock = () => new Date(now);
  return {
    clock,
    advance(ms: number) {
      now += ms;
    },
  };
}
