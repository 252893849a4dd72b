/**
 * A progress bar for a person at a terminal, and a line every ten seconds when the output is a
 * log. Its ETA is computed here (./eta.ts), not by cli-progress.
 */
import cliProgress from "cli-progress";
import { formatEta, secondsLeft } from "./eta.js";

type Payload = Record<string, string | number>;

export interface ProgressBar {
  start(total: number, payload: Payload): void;
  update(value: number, payload: Payload): void;
  stop(): void;
}

/** `format` names cli-progress's tokens and the payload's; `{eta}` is the time left. */
export function progressBar(format: string): ProgressBar {
  const bar = new cliProgress.SingleBar(
    {
      format,
      hideCursor: true,
      // Redirected to a log, a line every ten seconds still shows that work goes on.
      noTTYOutput: true,
      notTTYSchedule: 10_000,
    },
    cliProgress.Presets.shades_classic,
  );
  let began = 0;
  let total = 0;
  return {
    start(size, payload) {
      began = Date.now();
      total = size;
      bar.start(size, 0, { ...payload, eta: formatEta(null) });
    },
    update(value, payload) {
      bar.update(value, { ...payload, eta: formatEta(secondsLeft(value, total, Date.now() - began)) });
    },
    stop: () => bar.stop(),
  };
}
