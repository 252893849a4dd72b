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

/**
 * `format` names cli-progress's tokens and the payload's; `{timeLeft}` is the time left (its own
 * `{eta}` and `{eta_formatted}` are the estimates this replaces). `output` is standard error
 * unless given.
 */
export function progressBar(format: string, output?: NodeJS.WritableStream): ProgressBar {
  const bar = new cliProgress.SingleBar(
    {
      format,
      ...(output ? { stream: output } : {}),
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
      bar.start(size, 0, { ...payload, timeLeft: formatEta(null) });
    },
    update(value, payload) {
      bar.update(value, { ...payload, timeLeft: formatEta(secondsLeft(value, total, Date.now() - began)) });
    },
    stop: () => bar.stop(),
  };
}
