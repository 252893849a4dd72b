/**
 * A model-free worker speaking the pool's protocol, so the pool's scheduling, crash and
 * shutdown handling can be tested in milliseconds instead of with a real model.
 */
import { serveModel } from "./worker-host.js";

export interface StubSettings {
  /** Start-up fails with this message. */
  failLoad?: string;
  /**
   * Shared budget of failed start-ups: a worker fails to load while the count is above zero,
   * then loads normally. Lets a test see the pool recover from workers that could not start.
   */
  failLoads?: Int32Array;
  /** Start-up tries to fetch this URL (the worker must refuse: it works offline). */
  fetchAtLoad?: string;
  loadDelayMs?: number;
  /** Time one batch takes, per text. */
  msPerText?: number;
  /**
   * Shared crash budget: a text "crash" kills the worker while the count is above zero, then
   * embeds normally. Lets a test crash a worker once and see the retry succeed.
   */
  crashes?: Int32Array;
  /**
   * Shared hang budget: a text "hang" spins the worker in a busy loop, never to answer, while
   * the count is above zero, then embeds normally. A busy loop, not a promise that never
   * settles, because it is the hang that only terminating the thread can end.
   */
  hangs?: Int32Array;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

serveModel(async (data) => {
  const settings = (data.settings ?? {}) as StubSettings;
  if (settings.loadDelayMs) await sleep(settings.loadDelayMs);
  if (settings.failLoad) throw new Error(settings.failLoad);
  if (settings.failLoads && Atomics.sub(settings.failLoads, 0, 1) > 0) throw new Error("a load that fails");
  if (settings.fetchAtLoad) await fetch(settings.fetchAtLoad);
  return async (texts) => {
    if (settings.msPerText) await sleep(settings.msPerText * texts.length);
    for (const text of texts) {
      if (text === "crash" && settings.crashes && Atomics.sub(settings.crashes, 0, 1) > 0) process.exit(3);
      if (text === "hang" && settings.hangs && Atomics.sub(settings.hangs, 0, 1) > 0) spinForever();
      if (text === "fail") throw new Error("the stub model refuses the text 'fail'");
    }
    // Deterministic, not normalized (the host must normalize), and distinct per text.
    return texts.map((text) =>
      Array.from({ length: data.dimension }, (_, i) => hash(`${i}:${text}`) - 0.5 + 3),
    );
  };
});

function spinForever(): never {
  for (;;);
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0) / 4294967296;
}
