import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { progressBar } from "./progress.js";

/** A log file, as when `verso ingest` is redirected: no terminal, lines kept. */
function logOutput() {
  let written = "";
  const stream = new Writable({
    write(chunk, _encoding, done) {
      written += String(chunk);
      done();
    },
  });
  return { stream, written: () => written };
}

describe("progressBar", () => {
  it("shows its own ETA: nothing known before any progress, never NaN, Infinity or 60 seconds", async () => {
    const log = logOutput();
    const bar = progressBar("{value}/{total} | ETA {timeLeft}", log.stream);
    bar.start(1000, {});
    bar.update(0, {});
    bar.stop();
    expect(log.written()).toMatch(/0\/1000 \| ETA –/);

    const second = logOutput();
    const running = progressBar("{value}/{total} | ETA {timeLeft}", second.stream);
    running.start(1000, {});
    await new Promise((resolve) => setTimeout(resolve, 50));
    running.update(1, {});
    running.stop();
    const shown = /1\/1000 \| ETA (\S+)/.exec(second.written())?.[1];
    expect(shown).toMatch(/^(\d+s|\d+m[0-5]\ds|\d+h[0-5]\dm)$/);
    expect(second.written()).not.toMatch(/NaN|Infinity|INF/);
  });
});
