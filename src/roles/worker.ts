/** The worker role: takes ingest jobs off the queue, one catalog object each. */
import type { Verso } from "../compose.js";

export function startWorker(verso: Verso) {
  const subscription = verso.queue.consume((message) => verso.ingest.handle(message), {
    prefetch: verso.config.workerConcurrency,
  });
  return { stop: () => subscription.stop() };
}
